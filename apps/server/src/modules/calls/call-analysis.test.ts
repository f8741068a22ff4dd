import { existsSync } from 'node:fs';
import path from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryRows } from '../../platform/db/query-rows.js';
import { callRecordings, callSegments, modelCalls } from '../../platform/db/schema/index.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { testDatabaseKinds } from '../../platform/db/test-database.js';
import {
  type Dialogue,
  type DialogueScriptLine,
  generateEspeakDialogue,
} from '../../testing/espeak-dialogue.js';
import { scanForResidue } from '../../testing/residue-scan.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { multipart, type Part } from '../knowledge/testing/file-upload-kit.js';
import { createProvider } from '../model-providers/service.js';
import { type FakeSpeechProvider, startFakeSpeechProvider } from '../models/testing/fake-speech-provider.js';
import {
  type FakeStructuredOpenAi,
  startFakeStructuredOpenAi,
} from '../models/testing/fake-structured-openai.js';
import { purgeOrganization } from '../privacy/retention/purge.js';

/**
 * The "done when" for call analysis: a two-voice espeak-ng dialogue uploaded through the
 * API is transcribed by a local server speaking OpenAI's transcription protocol, redacted, scored
 * by a local server speaking the chat protocol with structured output; the stored scores cite
 * timestamps that exist in the transcript; the local metrics are right for the known dialogue.
 * Also: a transcript without speakers (verbose_json) is one speaker 'A'; no transcription model
 * fails the call in words; reprocessing keeps the transcript and scores again.
 */
const EMAIL = 'dana.whitfield@example.com';
const PHONE = '+1 415 555 0134';

/** Rep A, customer B; the customer gives contact details the model must never see. */
const SCRIPT: DialogueScriptLine[] = [
  // One sentence per line (no long pauses inside): the fake times turn i by the i-th sound region.
  { speaker: 'A', text: 'Hello this is Sam from Acme how can I help you today?' },
  { speaker: 'B', text: 'I want to upgrade our support plan.', pauseBeforeSeconds: 0.8 },
  { speaker: 'A', text: 'How many agents are on your team?', pauseBeforeSeconds: 0.8 },
  { speaker: 'B', text: `About twelve so email me at ${EMAIL} or call ${PHONE}.`, pauseBeforeSeconds: 0.8 },
  { speaker: 'A', text: 'I will send the pro plan details today.', pauseBeforeSeconds: 0.8 },
];

type Segment = { index: number; start: number; end: number; speaker: string; text: string };

describe.each(testDatabaseKinds)('call analysis end to end on %s', (kind) => {
  let t: TestApp;
  let org: { orgId: string; apiKey: string };
  let speech: FakeSpeechProvider;
  let chat: FakeStructuredOpenAi;
  let dialogue: Dialogue;
  let transcriptionProviderId: string;
  let chatProviderId: string;
  let rubricId: string;
  const auth = () => ({ authorization: `Bearer ${org.apiKey}` });
  const api = (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: auth(), ...(payload ? { payload } : {}) });
  const upload = (data: Uint8Array, fields: Part[] = []) => {
    const body = multipart([...fields, { name: 'file', filename: 'call.wav', data }]);
    return t.app.inject({
      method: 'POST',
      url: '/v1/calls',
      headers: { ...auth(), ...body.headers },
      payload: body.payload,
    });
  };
  /** Polls until the call is ready or failed (the job runs in the test app's worker); never timed. */
  const settled = async (id: string) => {
    for (let i = 0; i < 1200; i++) {
      const call = (await api('GET', `/v1/calls/${id}`)).json();
      if (call.status === 'ready' || call.status === 'failed') return call;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`call ${id} never settled`);
  };
  const settings = (transcriptionModel: string) => ({
    transcription: { providerId: transcriptionProviderId, model: transcriptionModel },
    scoring: { providerId: chatProviderId, model: 'gpt-4o-mini' },
    defaultRubricId: null,
    maxBytes: 10 * 1024 * 1024,
    maxDurationSeconds: 600,
  });

  beforeAll(async () => {
    dialogue = await generateEspeakDialogue(SCRIPT);
    speech = await startFakeSpeechProvider({
      script: { turns: SCRIPT.map((l) => ({ speaker: l.speaker, text: l.text })) },
    });
    chat = await startFakeStructuredOpenAi({ object: {} });
    t = await createTestApp({ kind, env: { CONFIDANT_ALLOW_PRIVATE_NETWORKS: 'true' } });
    org = await t.createOrg('Calls org');
    const system = { type: 'system' as const, id: null };
    await withTenant(t.database, [org.orgId], async (tx) => {
      transcriptionProviderId = (
        await createProvider(tx, t.keyring, org.orgId, system, {
          kind: 'openai-compatible',
          name: 'Local Whisper',
          baseUrl: speech.baseUrl,
          models: [
            { id: 'gpt-4o-transcribe-diarize', type: 'transcription' },
            { id: 'whisper-1', type: 'transcription' },
          ],
          maxRetries: 0,
        })
      ).id;
      chatProviderId = (
        await createProvider(tx, t.keyring, org.orgId, system, {
          kind: 'openai-compatible',
          name: 'Local chat',
          baseUrl: chat.baseUrl,
          models: [{ id: 'gpt-4o-mini', type: 'chat' }],
          maxRetries: 0,
        })
      ).id;
    });
    const rubric = await api('POST', '/v1/rubrics', {
      name: 'Discovery call',
      criteria: [
        { id: 'discovery', name: 'Discovery', description: 'Asks about the customer’s needs', weight: 2 },
        { id: 'next-step', name: 'Next step', description: 'Agrees what happens next' },
      ],
    });
    rubricId = rubric.json().id;
  });
  afterAll(async () => {
    await t?.close();
    await speech?.close();
    await chat?.close();
  });
  beforeEach(() => {
    chat.requests.length = 0;
    chat.queue.length = 0;
    speech.requests.length = 0;
  });

  const scriptedScore = {
    object: {
      criteria: [
        {
          criterionId: 'discovery',
          score: 4,
          rationale: 'Asked about team size.',
          evidence: [{ segmentIndex: 2, quote: 'How many agents are on your team?' }],
        },
        {
          criterionId: 'next-step',
          score: 5,
          rationale: 'Committed to sending details.',
          evidence: [{ segmentIndex: 4, quote: 'I will send the pro plan details today' }],
        },
      ],
    },
  };
  const scriptedCoaching = {
    object: {
      wentWell: ['Opened with a clear greeting', 'Asked about team size'],
      tryNext: ['Confirm the budget', 'Book a follow-up meeting'],
    },
  };

  it('a two-voice dialogue is transcribed, redacted, scored with cited timestamps and measured', async () => {
    const put = await api('PUT', '/v1/calls/settings', settings('gpt-4o-transcribe-diarize'));
    expect(put.statusCode, put.body).toBe(200);
    chat.queue.push(scriptedScore, scriptedCoaching);

    const res = await upload(dialogue.wav, [
      { name: 'repName', data: 'Sam' },
      { name: 'rubricId', data: rubricId },
    ]);
    expect(res.statusCode, res.body).toBe(202);
    const call = await settled(res.json().id);
    expect(call.error).toBeNull();
    expect(call.status).toBe('ready');
    expect(call.progress).toBe(1);
    expect(call.diarized).toBe(true);

    // Transcript: the fake's words at the audio's own timing, two speakers in order.
    const segments = call.segments as Segment[];
    expect(segments.map((s) => s.speaker)).toEqual(['A', 'B', 'A', 'B', 'A']);
    expect(segments.map((s) => s.text)).toEqual(SCRIPT.map((l) => l.text));
    for (const [i, s] of segments.entries()) {
      expect(Math.abs(s.start - dialogue.lines[i]!.start)).toBeLessThan(0.1);
      expect(Math.abs(s.end - dialogue.lines[i]!.end)).toBeLessThan(0.1);
    }
    // The provider received the audio itself, as WAV.
    expect(speech.requests[0]!.file).toMatchObject({ detectedType: 'wav', bytes: dialogue.wav.length });

    // Redaction: the chat model never saw the customer's email or phone number, only placeholders.
    expect(chat.requests.length).toBe(2);
    for (const request of chat.requests) {
      expect(request.raw).not.toContain(EMAIL);
      expect(request.raw).not.toContain('415 555 0134');
      expect(request.raw).not.toContain('555');
    }
    expect(chat.requests[0]!.raw).toMatch(/\[EMAIL_1\]/);
    expect(chat.requests[0]!.raw).toMatch(/\[PHONE_1\]/);
    expect(chat.requests[0]!.body.response_format).toMatchObject({ type: 'json_schema' });

    // Scores: weighted total, evidence citing timestamps that exist in the transcript.
    expect(call.scores).toHaveLength(1);
    const score = call.scores[0];
    expect(score).toMatchObject({ rubricId, rubricName: 'Discovery call', model: 'gpt-4o-mini' });
    // (4-1)/4 weight 2 and (5-1)/4 weight 1 → (0.75·2 + 1·1)/3 = 83.3
    expect(score.total).toBeCloseTo(83.3, 1);
    expect(call.score).toBeCloseTo(83.3, 1);
    const evidence = score.criteria.flatMap((c: { evidence: unknown[] }) => c.evidence);
    expect(evidence.length).toBe(2);
    for (const e of evidence as { segmentIndex: number; start: number; end: number; quote: string }[]) {
      const cited = segments.find((s) => s.index === e.segmentIndex)!;
      expect(cited).toBeDefined();
      expect(e.start).toBe(cited.start);
      expect(e.end).toBe(cited.end);
      expect(cited.text.toLowerCase()).toContain(e.quote.toLowerCase().replace(/[?.]$/, ''));
    }
    expect(call.coaching).toEqual(scriptedCoaching.object);

    // Local metrics from the known timeline.
    const talk = (speaker: string) =>
      dialogue.lines.filter((l) => l.speaker === speaker).reduce((sum, l) => sum + (l.end - l.start), 0);
    const metrics = call.metrics;
    const rep = metrics.speakers.find((s: { speaker: string }) => s.speaker === 'A');
    const customer = metrics.speakers.find((s: { speaker: string }) => s.speaker === 'B');
    expect(rep.role).toBe('rep');
    expect(customer.role).toBe('customer');
    expect(Math.abs(rep.talkSeconds - talk('A'))).toBeLessThan(0.3);
    expect(Math.abs(customer.talkSeconds - talk('B'))).toBeLessThan(0.3);
    expect(rep.talkShare).toBeCloseTo(talk('A') / (talk('A') + talk('B')), 1);
    expect(rep.questions).toBe(2);
    expect(customer.questions).toBe(0);
    expect(metrics.interruptions).toBe(0);

    // At rest, the transcript text is ciphertext.
    const stored = await withTenant(t.database, [org.orgId], (tx) =>
      tx.select().from(callSegments).where(eq(callSegments.orgId, org.orgId)),
    );
    expect(stored.length).toBe(5);
    for (const row of stored) {
      expect(row.textCiphertext.startsWith('ev1.')).toBe(true);
      expect(row.textCiphertext).not.toContain('Acme');
    }
    // Metered: the transcription (audio seconds) and both structured calls.
    const metered = await withTenant(t.database, [org.orgId], (tx) =>
      tx
        .select()
        .from(modelCalls)
        .where(and(eq(modelCalls.orgId, org.orgId))),
    );
    expect(metered.map((m) => m.purpose).sort()).toEqual(['call', 'call_coaching', 'call_scoring']);

    // Reprocess: the transcript is kept (no second transcription), scoring is redone.
    const transcriptions = speech.requests.length;
    chat.queue.push(scriptedScore, scriptedCoaching);
    const again = await api('POST', `/v1/calls/${call.id}/reprocess`, {});
    expect(again.statusCode, again.body).toBe(202);
    const reprocessed = await settled(call.id);
    expect(reprocessed.status).toBe('ready');
    expect(speech.requests.length).toBe(transcriptions);
    expect(chat.requests.length).toBe(4);
    expect(reprocessed.scores).toHaveLength(1);
    expect(reprocessed.segments).toEqual(segments);

    // A new rep speaker recomputes the metrics.
    const patched = await api('PATCH', `/v1/calls/${call.id}`, { repSpeaker: 'B' });
    expect(patched.statusCode, patched.body).toBe(200);
    chat.queue.push(scriptedScore, scriptedCoaching);
    const swapped = await settled(call.id);
    expect(swapped.repSpeaker).toBe('B');
    expect(swapped.metrics.speakers.find((m: { speaker: string }) => m.speaker === 'B').role).toBe('rep');
  });

  it('a transcript without speakers is one speaker A; no transcription model fails the call in words', async () => {
    await api('PUT', '/v1/calls/settings', settings('whisper-1'));
    chat.queue.push(scriptedScore, scriptedCoaching);
    const res = await upload(dialogue.wav);
    const call = await settled(res.json().id);
    expect(call.status, call.error).toBe('ready');
    expect(call.diarized).toBe(false);
    expect(new Set(call.segments.map((s: Segment) => s.speaker))).toEqual(new Set(['A']));
    expect(speech.requests[0]!.fields.response_format).toBe('verbose_json');
    // No rubric named: the org's newest rubric is used.
    expect(call.rubricId).toBe(rubricId);

    await api('PUT', '/v1/calls/settings', { ...settings('whisper-1'), transcription: null });
    const none = await settled((await upload(dialogue.wav)).json().id);
    expect(none.status).toBe('failed');
    expect(none.error).toMatch(/No transcription model is chosen/);
    expect(none.segments).toEqual([]);

    // The provider refusing the audio: failed with words, not the provider's body.
    await api('PUT', '/v1/calls/settings', settings('whisper-1'));
    speech.queue.push({ status: 400 });
    const refused = await settled((await upload(dialogue.wav)).json().id);
    expect(refused.status).toBe('failed');
    expect(refused.error).toMatch(/transcription provider refused/);
    expect(refused.error).not.toMatch(/scripted failure/);
  });

  const callTables = [
    'calls',
    'call_recordings',
    'call_segments',
    'call_scores',
    'call_metrics',
    'call_coaching',
  ] as const;
  /** Rows of every call table for one call (read past RLS). */
  const rowsOf = async (callId: string) => {
    const out: Record<string, number> = {};
    for (const table of callTables) {
      const column = table === 'calls' ? 'id' : 'call_id';
      const rows = await withTenant(t.database, [org.orgId], (tx) =>
        queryRows<{ n: number }>(
          tx,
          sql`select count(*)::int as n from ${sql.identifier(table)} where ${sql.identifier(column)} = ${callId}::uuid`,
        ),
      );
      out[table] = rows[0]!.n;
    }
    return out;
  };
  const recordingFile = async (callId: string) => {
    const [r] = await withTenant(t.database, [org.orgId], (tx) =>
      tx.select().from(callRecordings).where(eq(callRecordings.callId, callId)),
    );
    return path.join(t.config.dataDir, 'blobs', org.orgId, r!.blobKey.slice(0, 2), r!.blobKey);
  };
  const privacyRequest = async (type: 'export' | 'erasure', email: string) => {
    const res = await api('POST', '/v1/privacy/requests', { type, subject: { email } });
    expect(res.statusCode, res.body).toBe(202);
    for (let i = 0; i < 1200; i++) {
      const r = (await api('GET', `/v1/privacy/requests/${res.json().id}`)).json();
      if (r.status === 'completed' || r.status === 'failed') return r;
      await new Promise((done) => setTimeout(done, 100));
    }
    throw new Error('privacy request never finished');
  };

  it('the customer’s export includes the call; erasure removes audio, transcript and scores', async () => {
    await api('PUT', '/v1/calls/settings', settings('gpt-4o-transcribe-diarize'));
    chat.queue.push(scriptedScore, scriptedCoaching);
    const canary = 'canary-call-7f3a9c';
    const email = 'canary-buyer-7f3a9c@example.com';
    const res = await upload(dialogue.wav, [
      { name: 'title', data: canary },
      { name: 'repName', data: 'canary-rep-7f3a9c' },
      { name: 'customerEmail', data: email },
    ]);
    const call = await settled(res.json().id);
    expect(call.status).toBe('ready');
    const file = await recordingFile(call.id);
    expect(existsSync(file)).toBe(true);
    // Another customer's call stays.
    chat.queue.push(scriptedScore, scriptedCoaching);
    const other = await settled(
      (await upload(dialogue.wav, [{ name: 'customerEmail', data: 'someone-else@example.com' }])).json().id,
    );

    const exported = await privacyRequest('export', email.toUpperCase());
    expect(exported.status).toBe('completed');
    const download = await api('GET', `/v1/privacy/requests/${exported.id}/download`);
    expect(download.statusCode).toBe(200);
    const document = JSON.parse(strFromU8(unzipSync(new Uint8Array(download.rawPayload))['subject.json']!));
    expect(document.tables.calls).toMatchObject([{ id: call.id, title: canary, customer_email: email }]);
    expect(document.tables.call_segments.map((s: { text: string }) => s.text)).toEqual(
      SCRIPT.map((l) => l.text),
    );
    expect(document.tables.call_scores[0]).toMatchObject({ call_id: call.id, total: call.scores[0].total });
    expect(document.tables.calls.map((c: { id: string }) => c.id)).not.toContain(other.id);

    const erased = await privacyRequest('erasure', email);
    expect(erased.status).toBe('completed');
    expect(await rowsOf(call.id)).toEqual(Object.fromEntries(callTables.map((table) => [table, 0])));
    expect(existsSync(file)).toBe(false);
    expect(
      await scanForResidue({ database: t.database, dataDir: t.config.dataDir }, [
        canary,
        'canary-rep-7f3a9c',
        email,
      ]),
    ).toEqual([]);
    expect((await rowsOf(other.id)).call_segments).toBe(5);
  });

  it('retention: audio goes after the recordings period, transcript and scores after theirs', async () => {
    await api('PUT', '/v1/calls/settings', settings('gpt-4o-transcribe-diarize'));
    chat.queue.push(scriptedScore, scriptedCoaching);
    const canary = 'canary-retained-4b21e0';
    const call = await settled((await upload(dialogue.wav, [{ name: 'title', data: canary }])).json().id);
    expect(call.status).toBe('ready');
    const file = await recordingFile(call.id);
    const rules = await api('PUT', '/v1/privacy/retention', {
      rules: [
        { category: 'recordings', days: 30 },
        { category: 'call_transcripts', days: 60 },
      ],
    });
    expect(rules.statusCode, rules.body).toBe(200);
    const purgeDeps = { database: t.database, keyring: t.keyring, blobStore: t.blobStore };
    const day = 86_400_000;

    const dry = await purgeOrganization(purgeDeps, org.orgId, {
      dryRun: true,
      now: new Date(Date.now() + 31 * day),
    });
    expect(dry.counts.call_recordings).toBeGreaterThan(0);
    expect(existsSync(file)).toBe(true);

    await purgeOrganization(purgeDeps, org.orgId, { now: new Date(Date.now() + 31 * day) });
    expect(existsSync(file)).toBe(false);
    const afterAudio = await rowsOf(call.id);
    expect(afterAudio).toMatchObject({ calls: 1, call_recordings: 0, call_segments: 5, call_scores: 1 });
    expect((await api('GET', `/v1/calls/${call.id}/audio`)).statusCode).toBe(404);

    await purgeOrganization(purgeDeps, org.orgId, { now: new Date(Date.now() + 61 * day) });
    expect(await rowsOf(call.id)).toEqual(Object.fromEntries(callTables.map((table) => [table, 0])));
    expect(await scanForResidue({ database: t.database, dataDir: t.config.dataDir }, [canary])).toEqual([]);
  });
});
