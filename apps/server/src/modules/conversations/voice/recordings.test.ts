import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { consentRecords, voiceRecordings } from '../../../platform/db/schema/index.js';
import { withTenant } from '../../../platform/db/tenancy.js';
import { testDatabaseKinds } from '../../../platform/db/test-database.js';
import { scanForAudio } from '../../../testing/residue-scan.js';
import { createTestApp, type TestApp } from '../../../testing/test-app.js';
import { noticeHash } from '../../privacy/consent/service.js';
import { purgeOrganization } from '../../privacy/retention/purge.js';
import { runPrivacyRequest } from '../../privacy/testing/subject-fixture.js';
import { readEvents } from '../testing/sse-client.js';
import {
  createWidgetOrg,
  listen,
  SITE,
  startConversation,
  type WidgetOrg,
} from '../testing/widget-fixture.js';
import { voiceConsentText } from './recordings.js';
import {
  addSpeechProvider,
  type FakeSpeechServer,
  QUESTION_WEBM,
  startFakeSpeechServer,
  voiceOn,
} from './testing/fake-speech-server.js';

type Conversation = { conversationId: string; token: string };
const DAY = 86_400_000;

/**
 * Kept voice messages: the server keeps a turn's audio only when the agent records AND the
 * visitor granted the `voice_recording` consent; the file is encrypted; withdrawal, erasure and
 * the retention purge delete rows and files.
 */
describe.each(testDatabaseKinds)('kept voice recordings on %s', (kind) => {
  let t: TestApp;
  let fake: FakeSpeechServer;
  let base: string;
  let org: WidgetOrg;
  let providerId: string;
  let n = 0;

  const admin = (method: 'POST' | 'PATCH' | 'GET' | 'PUT', url: string, payload?: object) =>
    t.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${org.apiKey}` },
      ...(payload ? { payload: payload as Record<string, unknown> } : {}),
    });
  const widget = (c: Conversation, suffix: string, body?: Uint8Array | object) =>
    fetch(`${base}/v1/widget/conversations/${c.conversationId}${suffix}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${c.token}`,
        origin: SITE,
        'content-type': body instanceof Uint8Array ? 'application/octet-stream' : 'application/json',
      },
      body: body instanceof Uint8Array ? (body as Uint8Array<ArrayBuffer>) : JSON.stringify(body ?? {}),
    });
  /** One whole voice turn: start, upload, end, answer (the message links the recording). */
  const speak = async (c: Conversation) => {
    const started = await widget(c, '/voice-turns', {});
    expect(started.status).toBe(201);
    const { turnId } = (await started.json()) as { turnId: string };
    expect((await widget(c, `/voice-turns/${turnId}/chunks`, QUESTION_WEBM)).status).toBe(204);
    const ended = await widget(c, `/voice-turns/${turnId}/end`);
    expect(ended.status, await ended.clone().text()).toBe(200);
    const events = await readEvents(
      await widget(c, '/messages', { text: 'x', clientMessageId: `r-${++n}`, voiceTurnId: turnId }),
    );
    expect(events.at(-1)!.event).toBe('done');
  };
  const consent = (c: Conversation, granted: boolean) => widget(c, '/voice-recording-consent', { granted });
  const recordingsOf = (conversationId: string) =>
    withTenant(t.database, [org.orgId], (tx) =>
      tx
        .select()
        .from(voiceRecordings)
        .where(and(eq(voiceRecordings.orgId, org.orgId), eq(voiceRecordings.conversationId, conversationId))),
    );
  const fileExists = (blobKey: string) =>
    t.blobStore.get(org.orgId, blobKey).then(
      () => true,
      () => false,
    );
  const noAudioAnywhere = async () =>
    expect(await scanForAudio({ database: t.database, dataDir: t.config.dataDir })).toEqual([]);

  beforeAll(async () => {
    fake = await startFakeSpeechServer();
    t = await createTestApp({ kind, env: { CONFIDANT_ALLOW_PRIVATE_NETWORKS: 'true' } });
    org = await createWidgetOrg(t, 'Lumen');
    providerId = await addSpeechProvider(
      (payload) => admin('POST', '/v1/model-providers', payload),
      fake.baseUrl,
    );
    base = await listen(t);
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  it('recordAudio needs voice on and an agent that stores transcripts; the notice tells the truth', async () => {
    const off = { enabled: false, transcription: null, speech: null, recordAudio: true };
    expect((await admin('PATCH', `/v1/agents/${org.agentId}`, { voice: off })).statusCode).toBe(400);
    const ephemeral = await admin('PATCH', `/v1/agents/${org.agentId}`, {
      storeTranscripts: false,
      voice: voiceOn(providerId, true),
    });
    expect(ephemeral.statusCode).toBe(400);
    expect(ephemeral.json().issues[0].path).toBe('/voice/recordAudio');
    // Voice without recording: config says audio is not kept, and the consent route is refused.
    expect(
      (await admin('PATCH', `/v1/agents/${org.agentId}`, { voice: voiceOn(providerId) })).statusCode,
    ).toBe(200);
    const c = await startConversation(base, org.agentKey);
    expect((await consent(c, true)).status).toBe(409);
    await speak(c);
    expect(await recordingsOf(c.conversationId)).toEqual([]);

    const on = await admin('PATCH', `/v1/agents/${org.agentId}`, { voice: voiceOn(providerId, true) });
    expect(on.statusCode, on.body).toBe(200);
    expect(on.json().voice.recordAudio).toBe(true);
    const config = await (
      await fetch(`${base}/v1/widget/config?agentKey=${org.agentKey}`, { headers: { origin: SITE } })
    ).json();
    expect(config.voice).toEqual({
      recording: true,
      notice:
        'Your voice is transcribed by Local Whisper; recordings are kept only if you agree, for 90 days.',
      consentText: voiceConsentText(90),
    });
    await noAudioAnywhere();
  });

  it('keeps nothing without consent or when declined; with consent one encrypted file, played back decrypted', async () => {
    const none = await startConversation(base, org.agentKey);
    await speak(none);
    expect(await recordingsOf(none.conversationId)).toEqual([]);

    const declined = await startConversation(base, org.agentKey);
    expect(await (await consent(declined, false)).json()).toEqual({ granted: false, deletedRecordings: 0 });
    await speak(declined);
    expect(await recordingsOf(declined.conversationId)).toEqual([]);
    await noAudioAnywhere();

    const granted = await startConversation(base, org.agentKey);
    expect((await consent(granted, true)).status).toBe(200);
    await speak(granted);
    // The recording is linked to its visitor message once the answer's stream has finished, which
    // may be just after the visitor read its last event.
    const [kept, ...more] = await vi.waitFor(async () => {
      const rows = await recordingsOf(granted.conversationId);
      expect(rows[0]?.messageId).toBeTruthy();
      return rows;
    });
    expect(more).toEqual([]);
    expect(kept).toMatchObject({ mediaType: 'audio/webm', byteSize: QUESTION_WEBM.length });
    // Stored encrypted: the raw file has no WebM/Ogg bytes, and nothing anywhere does.
    const raw = Buffer.from(await t.blobStore.get(org.orgId, kept!.blobKey));
    expect(raw.includes(QUESTION_WEBM.subarray(0, 4))).toBe(false);
    await noAudioAnywhere();
    // The consent record: purpose, outcome, the SHA-256 of the exact text shown.
    const records = await withTenant(t.database, [org.orgId], (tx) =>
      tx.select().from(consentRecords).where(eq(consentRecords.conversationId, granted.conversationId)),
    );
    expect(records).toEqual([
      expect.objectContaining({
        purpose: 'voice_recording',
        outcome: 'granted',
        method: 'checkbox',
        noticeHash: noticeHash(voiceConsentText(90)),
        withdrawnAt: null,
      }),
    ]);
    // The inbox lists it and plays it back decrypted, with its media type.
    const list = await admin('GET', `/v1/conversations/${granted.conversationId}/recordings`);
    expect(list.json().recordings).toEqual([
      expect.objectContaining({ id: kept!.id, messageId: kept!.messageId }),
    ]);
    const played = await admin('GET', `/v1/conversations/${granted.conversationId}/recordings/${kept!.id}`);
    expect(played.statusCode).toBe(200);
    expect(played.headers['content-type']).toBe('audio/webm');
    expect(Buffer.compare(played.rawPayload, QUESTION_WEBM)).toBe(0);
    // Another conversation's id does not reach it.
    const elsewhere = await admin('GET', `/v1/conversations/${none.conversationId}/recordings/${kept!.id}`);
    expect(elsewhere.statusCode).toBe(404);
  });

  it('withdrawing (unticking, or "forget my details") deletes the recordings and their files', async () => {
    for (const withdraw of [
      (c: Conversation) => consent(c, false),
      (c: Conversation) => widget(c, '/consent/withdraw'),
    ]) {
      const c = await startConversation(base, org.agentKey);
      await consent(c, true);
      await speak(c);
      const [kept] = await recordingsOf(c.conversationId);
      expect(await fileExists(kept!.blobKey)).toBe(true);
      const res = await withdraw(c);
      expect(res.status).toBe(200);
      expect((await res.json()).deletedRecordings).toBe(1);
      expect(await recordingsOf(c.conversationId)).toEqual([]);
      expect(await fileExists(kept!.blobKey)).toBe(false);
      // And nothing new is kept after withdrawal.
      await speak(c);
      expect(await recordingsOf(c.conversationId)).toEqual([]);
    }
    await noAudioAnywhere();
  });

  it('erasure and the retention purge remove rows and files', async () => {
    const erased = await startConversation(base, org.agentKey);
    await consent(erased, true);
    await speak(erased);
    const [a] = await recordingsOf(erased.conversationId);
    // The subject's export lists the recording (metadata only: the audio is not in the zip).
    const exported = await runPrivacyRequest(t, org.apiKey, {
      type: 'export',
      subject: { conversationId: erased.conversationId },
    });
    expect(exported.counts.voice_recordings).toBe(1);
    const result = await runPrivacyRequest(t, org.apiKey, {
      type: 'erasure',
      subject: { conversationId: erased.conversationId },
    });
    expect(result.status).toBe('completed');
    expect(await recordingsOf(erased.conversationId)).toEqual([]);
    expect(await fileExists(a!.blobKey)).toBe(false);

    // The recordings period (shorter than the transcripts'): the recording goes, the chat stays.
    expect(
      (
        await admin('PUT', '/v1/privacy/retention', {
          rules: [
            { category: 'recordings', days: 1 },
            { category: 'transcripts', days: 30 },
          ],
        })
      ).statusCode,
    ).toBe(200);
    const aged = await startConversation(base, org.agentKey);
    await consent(aged, true);
    await speak(aged);
    const [b] = await recordingsOf(aged.conversationId);
    const purgeDeps = { database: t.database, keyring: t.keyring, blobStore: t.blobStore };
    const first = await purgeOrganization(purgeDeps, org.orgId, { now: new Date(Date.now() + 2 * DAY) });
    expect(first.counts.voice_recordings).toBeGreaterThan(0);
    expect(first.counts.conversations ?? 0).toBe(0);
    expect(await recordingsOf(aged.conversationId)).toEqual([]);
    expect(await fileExists(b!.blobKey)).toBe(false);

    // With its conversation (transcripts period passed before the recordings one).
    expect(
      (
        await admin('PUT', '/v1/privacy/retention', {
          rules: [
            { category: 'recordings', days: 90 },
            { category: 'transcripts', days: 30 },
          ],
        })
      ).statusCode,
    ).toBe(200);
    const old = await startConversation(base, org.agentKey);
    await consent(old, true);
    await speak(old);
    const [c] = await recordingsOf(old.conversationId);
    const second = await purgeOrganization(purgeDeps, org.orgId, { now: new Date(Date.now() + 31 * DAY) });
    expect(second.counts.conversations).toBeGreaterThan(0);
    expect(await recordingsOf(old.conversationId)).toEqual([]);
    expect(await fileExists(c!.blobKey)).toBe(false);
    await noAudioAnywhere();
  });
});
