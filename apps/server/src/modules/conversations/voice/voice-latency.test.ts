import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { testDatabaseKinds } from '../../../platform/db/test-database.js';
import { createTestApp, type TestApp } from '../../../testing/test-app.js';
import { readEvents } from '../testing/sse-client.js';
import {
  createWidgetOrg,
  listen,
  SITE,
  startConversation,
  type WidgetOrg,
} from '../testing/widget-fixture.js';
import {
  ANSWER_MP3,
  addSpeechProvider,
  type FakeSpeechServer,
  QUESTION_WEBM,
  startFakeSpeechServer,
  voiceOn,
} from './testing/fake-speech-server.js';

/**
 * What makes a voice turn quicker without changing what it does (issue 13): the first sentence's
 * speech is started by the server as soon as the sentence is written (speech-prefetch.ts), and
 * the resolved speech models are cached per org, dropped when the org's providers change.
 */
describe.each(testDatabaseKinds)('voice turn latency work on %s', (kind) => {
  let t: TestApp;
  let fake: FakeSpeechServer;
  let other: FakeSpeechServer;
  let base: string;
  let org: WidgetOrg;
  let providerId: string;
  let n = 0;

  const admin = (method: 'POST' | 'PATCH', url: string, payload: object) =>
    t.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${org.apiKey}` },
      payload: payload as Record<string, unknown>,
    });

  /** One conversation, one voice turn: recorded, ended (transcribed) and answered; the answer's events. */
  const askByVoice = async () => {
    const conversation = await startConversation(base, org.agentKey);
    const root = `${base}/v1/widget/conversations/${conversation.conversationId}`;
    const headers = { authorization: `Bearer ${conversation.token}`, origin: SITE };
    const post = (path: string, body: BodyInit, type: string) =>
      fetch(`${root}${path}`, { method: 'POST', headers: { ...headers, 'content-type': type }, body });
    const started = await post('/voice-turns', '{}', 'application/json');
    expect(started.status).toBe(201);
    const { turnId } = (await started.json()) as { turnId: string };
    expect(
      (await post(`/voice-turns/${turnId}/chunks`, QUESTION_WEBM, 'application/octet-stream')).status,
    ).toBe(204);
    const ended = await fetch(`${root}/voice-turns/${turnId}/end`, { method: 'POST', headers });
    expect(ended.status).toBe(200);
    const events = await readEvents(
      await post(
        '/messages',
        JSON.stringify({ text: 'x', clientMessageId: `lat-${++n}`, voiceTurnId: turnId }),
        'application/json',
      ),
    );
    const speech = (path: string) => fetch(`${root}/voice-turns/${turnId}${path}`, { headers });
    return { events, speech };
  };

  beforeAll(async () => {
    fake = await startFakeSpeechServer();
    other = await startFakeSpeechServer({ transcript: 'Do you ship abroad?' });
    t = await createTestApp({ kind, env: { CONFIDANT_ALLOW_PRIVATE_NETWORKS: 'true' } });
    org = await createWidgetOrg(t, 'Swift');
    providerId = await addSpeechProvider(
      (payload) => admin('POST', '/v1/model-providers', payload),
      fake.baseUrl,
    );
    const patched = await admin('PATCH', `/v1/agents/${org.agentId}`, { voice: voiceOn(providerId) });
    expect(patched.statusCode, patched.body).toBe(200);
    base = await listen(t);
  });

  afterAll(async () => {
    await t?.close();
    await fake?.close();
    await other?.close();
  });

  it('starts reading the first sentence aloud before the widget asks, and the GET hands on that audio', async () => {
    const spokenBefore = fake.spoken.length;
    const { events, speech } = await askByVoice();
    const indexes = events
      .filter((e) => e.event === 'speech')
      .map((e) => (e.data as { index: number }).index);
    expect(indexes[0]).toBe(0);
    // Nobody asked for sentence 0 yet: the server did, on its own.
    await vi.waitFor(() => expect(fake.spoken.length).toBe(spokenBefore + 1), { timeout: 30_000 });
    const first = await speech('/speech/0');
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('audio/mpeg');
    expect(Buffer.from(await first.arrayBuffer()).equals(ANSWER_MP3)).toBe(true);
    // One provider call for that sentence, not two; a second GET asks the provider again.
    expect(fake.spoken.length).toBe(spokenBefore + 1);
    const again = await speech('/speech/0');
    expect(again.status).toBe(200);
    expect(Buffer.from(await again.arrayBuffer()).equals(ANSWER_MP3)).toBe(true);
    expect(fake.spoken.length).toBe(spokenBefore + 2);
  });

  it('uses a changed speech provider at once: the cached model is dropped when the provider changes', async () => {
    const heardBefore = fake.heard.length;
    await askByVoice();
    expect(fake.heard.length).toBe(heardBefore + 1);

    const moved = await admin('PATCH', `/v1/model-providers/${providerId}`, { baseUrl: other.baseUrl });
    expect(moved.statusCode, moved.body).toBe(200);
    // The next turn's transcription and speech go to the provider's new address.
    const { speech } = await askByVoice();
    await vi.waitFor(() => expect(other.heard.length).toBe(1), { timeout: 30_000 });
    expect(fake.heard.length).toBe(heardBefore + 1);
    const first = await speech('/speech/0');
    expect(first.status).toBe(200);
    await first.arrayBuffer();
    expect(other.spoken.length).toBeGreaterThan(0);
  });
});
