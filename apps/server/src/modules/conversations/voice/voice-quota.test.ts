import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages, voiceRecordings } from '../../../platform/db/schema/index.js';
import { withTenant } from '../../../platform/db/tenancy.js';
import { testDatabaseKinds } from '../../../platform/db/test-database.js';
import { createTestApp, type TestApp } from '../../../testing/test-app.js';
import { CONSOLE_ORIGIN } from '../../auth/test-console-client.js';
import { readEvents, streamedText } from '../testing/sse-client.js';
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
  addSpeechProvider,
  type FakeSpeechServer,
  QUESTION_WEBM,
  startFakeSpeechServer,
  voiceOn,
} from './testing/fake-speech-server.js';

/**
 * Voice turns obey the org's monthly limits (usage/model-quota.ts): past 100% of the cost limit,
 * starting or ending a turn is a 429 quota_exceeded problem, the speech provider (a local server
 * speaking OpenAI's audio protocol) receives nothing, no audio or recording is kept; a turn
 * transcribed before the limit was reached gets its answer as text only (no `speech` events), and
 * typed messages keep working. Under the limit (and once it is raised) voice works as before.
 */
describe.each(testDatabaseKinds)('voice turns and the monthly usage limit on %s', (kind) => {
  let t: TestApp;
  let fake: FakeSpeechServer;
  let base: string;
  let org: WidgetOrg;
  let n = 0;
  const nextId = () => `vq-${++n}`;
  type Conversation = { conversationId: string; token: string };

  const admin = (method: 'GET' | 'PUT' | 'PATCH' | 'POST', url: string, payload?: object) =>
    t.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${org.apiKey}` },
      ...(payload ? { payload: payload as Record<string, unknown> } : {}),
    });
  const widget = (c: Conversation, method: 'GET' | 'POST', path: string, body?: Uint8Array | object) =>
    fetch(`${base}/v1/widget/conversations/${c.conversationId}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${c.token}`,
        origin: SITE,
        ...(body instanceof Uint8Array
          ? { 'content-type': 'application/octet-stream' }
          : body
            ? { 'content-type': 'application/json' }
            : {}),
      },
      ...(body instanceof Uint8Array
        ? { body: body as Uint8Array<ArrayBuffer> }
        : body
          ? { body: JSON.stringify(body) }
          : {}),
    });
  const startTurn = async (c: Conversation) => {
    const res = await widget(c, 'POST', '/voice-turns', {});
    expect(res.status, await res.clone().text()).toBe(201);
    return ((await res.json()) as { turnId: string }).turnId;
  };
  const upload = async (c: Conversation, turnId: string) => {
    const res = await widget(c, 'POST', `/voice-turns/${turnId}/chunks`, QUESTION_WEBM);
    expect(res.status).toBe(204);
  };
  const answer = async (c: Conversation, turnId: string) =>
    readEvents(
      await widget(c, 'POST', '/messages', {
        text: 'ignored',
        clientMessageId: nextId(),
        voiceTurnId: turnId,
      }),
    );
  const expectQuotaProblem = async (res: Response) => {
    expect(res.status).toBe(429);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await res.json()) as { type: string; title: string; code: string; detail: string };
    expect(problem).toMatchObject({
      type: 'https://confidant.dev/problems/quota-exceeded',
      title: 'Usage limit reached',
      code: 'quota_exceeded',
    });
    expect(problem.detail).toMatch(/Voice is not available right now; please type your question/);
    return problem;
  };
  /** Every request the fake provider received: transcriptions and speech. */
  const providerRequests = () => fake.heard.length + fake.spoken.length;
  const recordingsOf = (conversationId: string) =>
    withTenant(t.database, [org.orgId], (tx) =>
      tx
        .select({ id: voiceRecordings.id })
        .from(voiceRecordings)
        .where(and(eq(voiceRecordings.orgId, org.orgId), eq(voiceRecordings.conversationId, conversationId))),
    );
  const messagesOf = (conversationId: string) =>
    withTenant(t.database, [org.orgId], (tx) =>
      tx
        .select({ role: messages.role, content: messages.content })
        .from(messages)
        .where(and(eq(messages.orgId, org.orgId), eq(messages.conversationId, conversationId))),
    );
  /** A cost limit below what the month has cost so far: the org is past 100%. */
  const limitBelowUsage = async () => {
    const used = (await admin('GET', '/v1/usage/limits')).json().month.used.costUsd as number;
    expect(used).toBeGreaterThan(0);
    const set = await admin('PUT', '/v1/usage/limits', { monthlyCostUsd: used / 2 });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json().month.percent).toBeGreaterThanOrEqual(100);
  };

  beforeAll(async () => {
    fake = await startFakeSpeechServer();
    t = await createTestApp({
      kind,
      env: { PUBLIC_URL: CONSOLE_ORIGIN, CONFIDANT_ALLOW_PRIVATE_NETWORKS: 'true' },
    });
    org = await createWidgetOrg(t, 'Lumen');
    const providerId = await addSpeechProvider(
      (payload) => admin('POST', '/v1/model-providers', payload),
      fake.baseUrl,
    );
    // Recordings kept (with consent), so "nothing is stored" is tested where something could be.
    const on = await admin('PATCH', `/v1/agents/${org.agentId}`, { voice: voiceOn(providerId, true) });
    expect(on.statusCode, on.body).toBe(200);
    base = await listen(t);
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  it('under the limit a voice turn is transcribed and spoken; past it nothing reaches the provider', async () => {
    // Under the limit: as before (and the month now has a cost: the transcription and speech).
    const early = await startConversation(base, org.agentKey);
    expect((await widget(early, 'POST', '/voice-recording-consent', { granted: true })).status).toBe(200);
    const turnId = await startTurn(early);
    await upload(early, turnId);
    const ended = await widget(early, 'POST', `/voice-turns/${turnId}/end`);
    expect(ended.status).toBe(200);
    const events = await answer(early, turnId);
    const spoken = events.filter((e) => e.event === 'speech');
    expect(spoken.length).toBeGreaterThan(0);
    expect((await widget(early, 'GET', `/voice-turns/${turnId}/speech/0`)).status).toBe(200);
    expect(await recordingsOf(early.conversationId)).toHaveLength(1);

    // A second turn is recorded and transcribed while under the limit; the limit is reached
    // before its answer is asked for.
    const second = await startConversation(base, org.agentKey);
    const transcribed = await startTurn(second);
    await upload(second, transcribed);
    expect((await widget(second, 'POST', `/voice-turns/${transcribed}/end`)).status).toBe(200);
    // A third turn is being recorded when the limit is reached.
    const midway = await startConversation(base, org.agentKey);
    expect((await widget(midway, 'POST', '/voice-recording-consent', { granted: true })).status).toBe(200);
    const recording = await startTurn(midway);
    await upload(midway, recording);

    await limitBelowUsage();
    const before = providerRequests();

    // Starting a turn: 429, no turn held.
    const late = await startConversation(base, org.agentKey);
    await expectQuotaProblem(await widget(late, 'POST', '/voice-turns', {}));
    // Ending the turn that was being recorded: 429, its audio dropped, nothing transcribed or kept.
    await expectQuotaProblem(await widget(midway, 'POST', `/voice-turns/${recording}/end`));
    expect(voiceHeldInMemory().audioBytes).toBe(0);
    expect(await recordingsOf(midway.conversationId)).toEqual([]);
    expect(await messagesOf(midway.conversationId)).toEqual([]);
    expect((await widget(midway, 'POST', `/voice-turns/${recording}/end`)).status).toBe(404);

    // The transcribed turn's answer: the text streams, with no `speech` events; speech is a 429.
    const textOnly = await answer(second, transcribed);
    expect(streamedText(textOnly)).toMatch(/ship/i);
    expect(textOnly.filter((e) => e.event === 'speech')).toEqual([]);
    expect(textOnly.at(-1)!.event).toBe('done');
    expect(await messagesOf(second.conversationId)).toHaveLength(2);
    await expectQuotaProblem(await widget(second, 'GET', `/voice-turns/${transcribed}/speech/0`));
    // A sentence of an answer spoken under the limit is not read aloud again past it.
    await expectQuotaProblem(await widget(early, 'GET', `/voice-turns/${turnId}/speech/0`));

    // Typing still works.
    const typed = await readEvents(
      await sendMessage(base, late.conversationId, late.token, {
        text: 'How long does shipping take?',
        clientMessageId: nextId(),
      }),
    );
    expect(streamedText(typed)).toMatch(/ship/i);

    // The provider received nothing past the limit.
    expect(providerRequests()).toBe(before);

    // Raising the limit: voice works again at once.
    expect((await admin('PUT', '/v1/usage/limits', {})).statusCode).toBe(200);
    const again = await startTurn(late);
    await upload(late, again);
    expect((await widget(late, 'POST', `/voice-turns/${again}/end`)).status).toBe(200);
    expect(providerRequests()).toBe(before + 1);
  });
});
