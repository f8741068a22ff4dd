import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages, modelCalls } from '../../../platform/db/schema/index.js';
import { withTenant } from '../../../platform/db/tenancy.js';
import { testDatabaseKinds } from '../../../platform/db/test-database.js';
import { createTestApp, type TestApp } from '../../../testing/test-app.js';
import { createUserWithMembership } from '../../auth/service.js';
import { CONSOLE_ORIGIN, ConsoleClient } from '../../auth/test-console-client.js';
import { dataOf, readEvents, streamedText } from '../testing/sse-client.js';
import {
  createWidgetOrg,
  listen,
  SITE,
  sendMessage,
  startConversation,
  type WidgetOrg,
} from '../testing/widget-fixture.js';
import { voiceHeldInMemory } from './routes.js';
import {
  ANSWER_MP3,
  addSpeechProvider,
  type FakeSpeechServer,
  QUESTION_WEBM,
  startFakeSpeechServer,
  voiceOn,
} from './testing/fake-speech-server.js';

/**
 * Voice turns over real HTTP: chunked Opus upload with the visitor token, transcription and
 * speech by a local server speaking OpenAI's audio protocol, the answer through the normal
 * answer path, spoken sentence by sentence; limits, ownership and metering.
 */
describe.each(testDatabaseKinds)('widget voice turns on %s', (kind) => {
  let t: TestApp;
  let fake: FakeSpeechServer;
  let base: string;
  let org: WidgetOrg;
  let silent: WidgetOrg;
  let providerId: string;
  let n = 0;
  const nextId = () => `v-${++n}`;

  const admin = (o: WidgetOrg, method: 'POST' | 'PATCH' | 'GET', url: string, payload?: object) =>
    t.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${o.apiKey}` },
      ...(payload ? { payload: payload as Record<string, unknown> } : {}),
    });
  const visitor = (
    conversation: { conversationId: string; token: string },
    method: 'GET' | 'POST',
    suffix: string,
    body?: Uint8Array | object,
    headers: Record<string, string> = {},
  ) =>
    fetch(`${base}/v1/widget/conversations/${conversation.conversationId}/voice-turns${suffix}`, {
      method,
      headers: {
        authorization: `Bearer ${conversation.token}`,
        origin: SITE,
        ...(body instanceof Uint8Array
          ? { 'content-type': 'application/octet-stream' }
          : body
            ? { 'content-type': 'application/json' }
            : {}),
        ...headers,
      },
      ...(body instanceof Uint8Array
        ? { body: body as Uint8Array<ArrayBuffer> }
        : body
          ? { body: JSON.stringify(body) }
          : {}),
    });
  const startTurn = async (conversation: { conversationId: string; token: string }) => {
    const res = await visitor(conversation, 'POST', '', {});
    expect(res.status, await res.clone().text()).toBe(201);
    return ((await res.json()) as { turnId: string }).turnId;
  };
  /** Uploads the clip in three chunks, as MediaRecorder's timeslices would. */
  const upload = async (conversation: { conversationId: string; token: string }, turnId: string) => {
    const third = Math.ceil(QUESTION_WEBM.length / 3);
    for (let i = 0; i < QUESTION_WEBM.length; i += third) {
      const res = await visitor(
        conversation,
        'POST',
        `/${turnId}/chunks`,
        QUESTION_WEBM.subarray(i, i + third),
      );
      expect(res.status).toBe(204);
    }
  };
  const expectProblem = async (res: Response, status: number) => {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    return (await res.json()) as { detail: string };
  };

  beforeAll(async () => {
    fake = await startFakeSpeechServer();
    t = await createTestApp({
      kind,
      env: { PUBLIC_URL: CONSOLE_ORIGIN, CONFIDANT_ALLOW_PRIVATE_NETWORKS: 'true' },
    });
    org = await createWidgetOrg(t, 'Lumen');
    silent = await createWidgetOrg(t, 'Quiet', {}, []);
    providerId = await addSpeechProvider(
      (payload) => admin(org, 'POST', '/v1/model-providers', payload),
      fake.baseUrl,
    );
    base = await listen(t);
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  it('is off by default; voice settings accept only the org’s own models of the right type', async () => {
    const agent = (await admin(org, 'GET', `/v1/agents/${org.agentId}`)).json();
    expect(agent.voice).toEqual({ enabled: false, transcription: null, speech: null, recordAudio: false });
    const config = await fetch(`${base}/v1/widget/config?agentKey=${org.agentKey}`, {
      headers: { origin: SITE },
    });
    expect((await config.json()).voice).toBeUndefined();

    const refused = [
      { ...voiceOn(providerId), transcription: null },
      { ...voiceOn(providerId), transcription: { providerId, model: 'tts-1' } },
      { ...voiceOn(providerId), speech: { providerId, model: 'no-such-model' } },
      { ...voiceOn('00000000-0000-4000-8000-000000000000') },
      // Keeping recordings needs voice on (recordings.test.ts covers the rest).
      { enabled: false, transcription: null, speech: null, recordAudio: true },
    ];
    for (const voice of refused) {
      const res = await admin(org, 'PATCH', `/v1/agents/${org.agentId}`, { voice });
      expect(res.statusCode, JSON.stringify(voice)).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    // Another org's provider is not this org's.
    const foreign = await admin(silent, 'PATCH', `/v1/agents/${silent.agentId}`, {
      voice: voiceOn(providerId),
    });
    expect(foreign.statusCode).toBe(400);
    expect((await admin(org, 'GET', `/v1/agents/${org.agentId}`)).json().voice.enabled).toBe(false);

    const on = await admin(org, 'PATCH', `/v1/agents/${org.agentId}`, { voice: voiceOn(providerId) });
    expect(on.statusCode, on.body).toBe(200);
    expect(on.json().voice).toEqual(voiceOn(providerId));
    const after = await fetch(`${base}/v1/widget/config?agentKey=${org.agentKey}`, {
      headers: { origin: SITE },
    });
    expect((await after.json()).voice).toEqual({
      recording: false,
      notice: 'Your voice is transcribed by Local Whisper and not kept.',
    });
  });

  it('transcribes a chunked recording, answers it through the normal path and speaks it sentence by sentence', async () => {
    const conversation = await startConversation(base, org.agentKey);
    const turnId = await startTurn(conversation);
    await upload(conversation, turnId);
    expect(voiceHeldInMemory().audioBytes).toBeGreaterThanOrEqual(QUESTION_WEBM.length);
    const heardBefore = fake.heard.length;
    const ended = await visitor(conversation, 'POST', `/${turnId}/end`);
    expect(ended.status).toBe(200);
    expect(await ended.json()).toEqual({ text: 'How long does shipping take?' });
    // The provider got exactly the recording, in order, as WebM.
    expect(fake.heard.length).toBe(heardBefore + 1);
    expect(fake.heard.at(-1)!.bytes.equals(QUESTION_WEBM)).toBe(true);
    expect(fake.heard.at(-1)!.mediaType).toBe('audio/webm');
    // The audio is gone from memory once transcribed.
    expect(voiceHeldInMemory().audioBytes).toBe(0);

    const clientMessageId = nextId();
    const spokenBefore = fake.spoken.length;
    const events = await readEvents(
      await fetch(`${base}/v1/widget/conversations/${conversation.conversationId}/messages`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${conversation.token}`,
          origin: SITE,
        },
        // The server's transcript is the message, whatever the text says.
        body: JSON.stringify({ text: 'ignored', clientMessageId, voiceTurnId: turnId }),
      }),
    );
    const answer = streamedText(events);
    expect(answer).toMatch(/ship/i);
    const speech = events.filter((e) => e.event === 'speech').map((e) => (e.data as { index: number }).index);
    expect(speech.length).toBeGreaterThan(0);
    expect(speech).toEqual(speech.map((_, i) => i));
    expect(dataOf<{ citations: unknown[] }>(events, 'citations')!.citations.length).toBeGreaterThan(0);
    expect(events.at(-1)!.event).toBe('done');

    const stored = await withTenant(t.database, [org.orgId], (tx) =>
      tx
        .select()
        .from(messages)
        .where(and(eq(messages.orgId, org.orgId), eq(messages.conversationId, conversation.conversationId))),
    );
    expect(stored.find((m) => m.role === 'visitor')?.content).toBe('How long does shipping take?');

    const first = await visitor(conversation, 'GET', `/${turnId}/speech/0`);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('audio/mpeg');
    expect(Buffer.from(await first.arrayBuffer()).equals(ANSWER_MP3)).toBe(true);
    // The first sentence's speech was started by the server when it was written (prefetch); the
    // GET handed on that call's audio: one call for it, not two.
    expect(fake.spoken.length).toBe(spokenBefore + 1);
    if (speech.length > 1) {
      const second = await visitor(conversation, 'GET', `/${turnId}/speech/1`);
      expect(second.status).toBe(200);
      expect((await second.arrayBuffer()).byteLength).toBe(ANSWER_MP3.length);
      expect(fake.spoken.length).toBe(spokenBefore + 2);
    }
    expect(fake.spoken.at(-1)).toMatchObject({ voice: 'nova', model: 'tts-1' });
    // What is spoken is the answer's text, without citation markers.
    expect(answer.replace(/\[\d+\]/g, '')).toContain(fake.spoken.at(-1)!.text.slice(0, 20));
    expect(fake.spoken.at(-1)!.text).not.toMatch(/\[\d+\]/);
    await expectProblem(await visitor(conversation, 'GET', `/${turnId}/speech/${speech.length}`), 404);

    // Metered like chat calls: the transcription's seconds and the speech's characters.
    const calls = await withTenant(t.database, [org.orgId], (tx) =>
      tx
        .select()
        .from(modelCalls)
        .where(
          and(eq(modelCalls.orgId, org.orgId), eq(modelCalls.conversationId, conversation.conversationId)),
        ),
    );
    const voiceCalls = calls.filter((c) => c.purpose === 'voice');
    expect(voiceCalls.some((c) => (c.audioSeconds ?? 0) > 0)).toBe(true);
    const spokenLengths = fake.spoken.slice(spokenBefore).map((s) => s.text.length);
    expect(voiceCalls.some((c) => spokenLengths.includes(c.characters ?? 0))).toBe(true);
  });

  it('refuses strangers, other conversations, wrong origins and oversized audio with problem+json', async () => {
    const mine = await startConversation(base, org.agentKey);
    const other = await startConversation(base, org.agentKey);
    const turnId = await startTurn(mine);
    const chunk = QUESTION_WEBM.subarray(0, 1000);

    await expectProblem(await visitor({ ...mine, token: 'nope' }, 'POST', `/${turnId}/chunks`, chunk), 401);
    await expectProblem(
      await visitor(mine, 'POST', `/${turnId}/chunks`, chunk, { origin: 'https://evil.example' }),
      403,
    );
    // Another conversation's token, on its own path, cannot reach this turn.
    await expectProblem(await visitor(other, 'POST', `/${turnId}/chunks`, chunk), 404);
    await expectProblem(await visitor(other, 'POST', `/${turnId}/end`), 404);
    await expectProblem(await visitor(other, 'GET', `/${turnId}/speech/0`), 404);
    const borrowed = await sendMessage(base, other.conversationId, other.token, {
      text: 'x',
      clientMessageId: nextId(),
    });
    expect(borrowed.status).toBe(200);
    await borrowed.text();
    const sneaky = await fetch(`${base}/v1/widget/conversations/${other.conversationId}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${other.token}`, origin: SITE },
      body: JSON.stringify({ text: 'x', clientMessageId: nextId(), voiceTurnId: turnId }),
    });
    await expectProblem(sneaky, 404);

    await expectProblem(await visitor(mine, 'POST', '', { mimeType: 'audio/mp3' }), 400);
    await expectProblem(await visitor(mine, 'POST', `/${turnId}/chunks`, new Uint8Array(0)), 400);
    await expectProblem(await visitor(mine, 'POST', `/${turnId}/chunks`, new Uint8Array(129 * 1024)), 413);
    // Answering before the turn was transcribed is a conflict.
    const early = await fetch(`${base}/v1/widget/conversations/${mine.conversationId}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${mine.token}`, origin: SITE },
      body: JSON.stringify({ text: 'x', clientMessageId: nextId(), voiceTurnId: turnId }),
    });
    await expectProblem(early, 409);
    // Past the turn's total the turn is dropped (413), and its audio with it.
    const big = new Uint8Array(120 * 1024).fill(7);
    let status = 204;
    for (let i = 0; i < 10 && status === 204; i++)
      status = (await visitor(mine, 'POST', `/${turnId}/chunks`, big)).status;
    expect(status).toBe(413);
    await expectProblem(await visitor(mine, 'POST', `/${turnId}/end`), 404);
    // Ending a turn with no audio.
    const empty = await startTurn(mine);
    await expectProblem(await visitor(mine, 'POST', `/${empty}/end`), 400);
    expect(voiceHeldInMemory().audioBytes).toBe(0);
  });

  it('says so clearly when transcription fails or hears nothing, and keeps no audio', async () => {
    const conversation = await startConversation(base, org.agentKey);
    const failing = await startTurn(conversation);
    await upload(conversation, failing);
    fake.failNextTranscription(400);
    const failed = await expectProblem(await visitor(conversation, 'POST', `/${failing}/end`), 503);
    expect(failed.detail).toMatch(/could not be transcribed/);
    const quiet = await startTurn(conversation);
    await upload(conversation, quiet);
    fake.setTranscript('   ');
    await expectProblem(await visitor(conversation, 'POST', `/${quiet}/end`), 422);
    fake.setTranscript('How long does shipping take?');
    expect(voiceHeldInMemory()).toMatchObject({ audioBytes: 0 });
  });

  it('is refused when the agent takes no voice', async () => {
    const conversation = await startConversation(base, silent.agentKey);
    await expectProblem(await visitor(conversation, 'POST', '', {}), 409);
  });

  it('posts the transcript without an AI answer (and speaks nothing) while a person owns the conversation', async () => {
    const password = 'a long enough password';
    await createUserWithMembership(t, {
      email: 'olga@example.com',
      password,
      name: 'Olga',
      orgId: org.orgId,
      role: 'admin',
    });
    const operator = new ConsoleClient(t.app);
    expect((await operator.signIn('olga@example.com', password)).statusCode).toBe(200);
    const conversation = await startConversation(base, org.agentKey);
    await readEvents(
      await sendMessage(base, conversation.conversationId, conversation.token, {
        text: 'Hello there',
        clientMessageId: nextId(),
      }),
    );
    const claimed = await operator.inOrg(org.orgId, {
      method: 'POST',
      url: `/v1/conversations/${conversation.conversationId}/claim`,
      payload: {},
    });
    expect(claimed.statusCode, claimed.body).toBe(200);

    const turnId = await startTurn(conversation);
    await upload(conversation, turnId);
    expect((await visitor(conversation, 'POST', `/${turnId}/end`)).status).toBe(200);
    const spokenBefore = fake.spoken.length;
    const events = await readEvents(
      await fetch(`${base}/v1/widget/conversations/${conversation.conversationId}/messages`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${conversation.token}`,
          origin: SITE,
        },
        body: JSON.stringify({ text: 'x', clientMessageId: nextId(), voiceTurnId: turnId }),
      }),
    );
    expect(events.map((e) => e.event)).toEqual(['done']);
    expect(dataOf<{ assistantMessageId: string | null }>(events, 'done')!.assistantMessageId).toBeNull();
    await expectProblem(await visitor(conversation, 'GET', `/${turnId}/speech/0`), 404);
    expect(fake.spoken.length).toBe(spokenBefore);
    // The operator sees the transcript as the visitor's message.
    const detail = await operator.inOrg(org.orgId, {
      method: 'GET',
      url: `/v1/conversations/${conversation.conversationId}`,
    });
    const visitorLines = (
      detail.json() as { messages: { role: string; text: string; spoken?: true }[] }
    ).messages
      .filter((m) => m.role === 'visitor')
      .map((m) => ({ text: m.text, spoken: m.spoken ?? false }));
    // Marked as spoken (its text is the transcriber's); the typed one is not.
    expect(visitorLines).toEqual([
      { text: 'Hello there', spoken: false },
      { text: 'How long does shipping take?', spoken: true },
    ]);
  });
});
