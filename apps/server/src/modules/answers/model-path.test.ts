import { setTimeout as sleep } from 'node:timers/promises';
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages, modelCalls } from '../../platform/db/schema/index.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { testDatabaseKinds } from '../../platform/db/test-database.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import {
  dataOf,
  eventSequence,
  postAndDisconnect,
  readEvents,
  streamedText,
} from '../conversations/testing/sse-client.js';
import {
  createWidgetOrg,
  listen,
  SITE,
  sendMessage,
  startConversation,
  type WidgetOrg,
} from '../conversations/testing/widget-fixture.js';
import { type FakeOpenAi, startFakeOpenAi } from './testing/fake-openai.js';

/**
 * The model answer path end to end: widget → engine → gateway → a real local HTTP server that
 * speaks OpenAI chat-completions streaming. Nothing of ours is mocked.
 */
type Done = { userMessageId: string; assistantMessageId: string };

/** Waits for a condition the server reaches asynchronously (bounded by the test timeout). */
async function until<T>(probe: () => Promise<T | undefined>): Promise<T> {
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    await sleep(10);
  }
}

describe.each(testDatabaseKinds)('model answers on %s', (kind) => {
  let fake: FakeOpenAi;
  let t: TestApp;
  let base: string;
  let org: WidgetOrg;
  let counter = 0;
  const nextId = () => `model-${++counter}`;

  const conversationMessages = (conversationId: string) =>
    withTenant(t.database, [org.orgId], (tx) =>
      tx
        .select()
        .from(messages)
        .where(and(eq(messages.orgId, org.orgId), eq(messages.conversationId, conversationId)))
        .orderBy(asc(messages.createdAt)),
    );
  const calls = (conversationId: string) =>
    withTenant(t.database, [org.orgId], (tx) =>
      tx
        .select()
        .from(modelCalls)
        .where(and(eq(modelCalls.orgId, org.orgId), eq(modelCalls.conversationId, conversationId))),
    );

  beforeAll(async () => {
    fake = await startFakeOpenAi({ deltas: [] });
    // The org's provider is the fake on loopback: allowed as an operator allows a shared Ollama,
    // so these answers also go through the guarded fetch (streaming, aborts, failures).
    t = await createTestApp({ kind, env: { CONFIDANT_ALLOW_PRIVATE_NETWORKS: 'true' } });
    org = await createWidgetOrg(t, 'Lumen', {
      answerMode: 'model',
      instructions: 'You are Lumi, the assistant of Lumen Lamps.',
    });
    const saved = await t.app.inject({
      method: 'PUT',
      url: '/v1/model-provider',
      headers: { authorization: `Bearer ${org.apiKey}` },
      payload: { baseUrl: fake.baseUrl, model: 'fake-model', apiKey: 'sk-test-123' },
    });
    expect(saved.statusCode).toBe(200);
    base = await listen(t);
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  it('streams the model’s answer, redacting PII on the way out and restoring it on the way back', async () => {
    fake.reply = {
      deltas: ['Sure! We', "'ll email a reset link to [EMA", 'IL_1] right away [1]', '.'],
      usage: { prompt_tokens: 321, completion_tokens: 17 },
    };
    const { conversationId, token } = await startConversation(base, org.agentKey);
    const question =
      'Hi, I am jane.doe@example.com and my card 4111 1111 1111 1111 works fine. How do I reset my password?';
    const events = await readEvents(
      await sendMessage(base, conversationId, token, { text: question, clientMessageId: nextId() }),
    );

    expect(eventSequence(events)).toEqual(['token…', 'citations', 'done']);
    const answer = "Sure! We'll email a reset link to jane.doe@example.com right away [1].";
    expect(streamedText(events)).toBe(answer);
    expect(
      dataOf<{ citations: { title: string }[] }>(events, 'citations')!.citations.map((c) => c.title),
    ).toEqual(['Your account and password']);

    const sent = fake.requests.at(-1)!;
    expect(sent.authorization).toBe('Bearer sk-test-123');
    expect(sent.body).toMatchObject({
      model: 'fake-model',
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(sent.raw).not.toContain('jane.doe@example.com');
    expect(sent.raw).not.toContain('4111 1111 1111 1111');
    const chat = sent.body.messages as { role: string; content: string }[];
    expect(chat[0]!.role).toBe('system');
    expect(chat[0]!.content).toContain('You are Lumi, the assistant of Lumen Lamps.');
    expect(chat[0]!.content).toMatch(/\[1\] Your account and password/);
    expect(chat.at(-1)).toEqual({
      role: 'user',
      content: 'Hi, I am [EMAIL_1] and my card [CARD_1] works fine. How do I reset my password?',
    });

    const done = dataOf<Done>(events, 'done')!;
    const stored = await conversationMessages(conversationId);
    expect(stored.map((m) => m.id)).toEqual([done.userMessageId, done.assistantMessageId]);
    expect(stored[1]!.content).toBe(answer);
    expect(stored[1]!.answerMode).toBe('model');

    const [call] = await calls(conversationId);
    expect(call).toMatchObject({
      purpose: 'answer',
      model: 'fake-model',
      inputTokens: 321,
      outputTokens: 17,
      redactions: 2,
      outcome: 'ok',
    });
    expect(call!.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('tells the model about typed placeholders and restores a name and an address it repeats', async () => {
    fake.reply = {
      deltas: ['Thanks, [PER', 'SON_1]! We will send it to [ADDRESS_1] [1].'],
      usage: { prompt_tokens: 50, completion_tokens: 12 },
    };
    const { conversationId, token } = await startConversation(base, org.agentKey);
    const question = 'Hi, my name is Anna Schmidt and I live at 42 Baker Street. How do I reset my password?';
    const events = await readEvents(
      await sendMessage(base, conversationId, token, { text: question, clientMessageId: nextId() }),
    );
    expect(streamedText(events)).toBe('Thanks, Anna Schmidt! We will send it to 42 Baker Street [1].');

    const sent = fake.requests.at(-1)!;
    expect(sent.raw).not.toContain('Anna Schmidt');
    expect(sent.raw).not.toContain('Baker Street');
    const chat = sent.body.messages as { role: string; content: string }[];
    expect(chat.at(-1)!.content).toBe(
      'Hi, my name is [PERSON_1] and I live at [ADDRESS_1]. How do I reset my password?',
    );
    // The rule names every placeholder type, names and addresses included, and reaches the
    // provider intact (the redactor does not mistake it for personal data).
    for (const example of ['[PERSON_1]', '[ADDRESS_1]', '[EMAIL_1]', '[PHONE_1]', '[IBAN_1]', '[DOB_1]'])
      expect(chat[0]!.content).toContain(example);
    expect(chat[0]!.content).toContain('repeat the placeholder exactly as written');
    const [call] = await calls(conversationId);
    expect(call).toMatchObject({ redactions: 2, outcome: 'ok' });
  });

  it('gives the model the conversation so far', async () => {
    fake.reply = { deltas: ['Standard shipping is free over $50 [1].'] };
    const { conversationId, token } = await startConversation(base, org.agentKey);
    await readEvents(
      await sendMessage(base, conversationId, token, {
        text: 'Do you ship to Canada?',
        clientMessageId: nextId(),
      }),
    );
    await readEvents(
      await sendMessage(base, conversationId, token, {
        text: 'Is shipping free?',
        clientMessageId: nextId(),
      }),
    );
    const chat = fake.requests.at(-1)!.body.messages as { role: string; content: string }[];
    expect(chat.slice(1)).toEqual([
      { role: 'user', content: 'Do you ship to Canada?' },
      { role: 'assistant', content: 'Standard shipping is free over $50 [1].' },
      { role: 'user', content: 'Is shipping free?' },
    ]);
  });

  it('sends an error event and stores no answer when the provider fails mid-stream', async () => {
    fake.reply = { deltas: ['Here is', ' a partial', ' answer'], failAfter: 1 };
    const { conversationId, token } = await startConversation(base, org.agentKey);
    const events = await readEvents(
      await sendMessage(base, conversationId, token, {
        text: 'Is shipping free?',
        clientMessageId: nextId(),
      }),
    );
    expect(eventSequence(events)).toEqual(['token…', 'error']);
    expect(dataOf(events, 'error')).toMatchObject({ status: 503, code: 'unavailable' });
    expect((await conversationMessages(conversationId)).map((m) => m.role)).toEqual(['visitor']);
    expect((await calls(conversationId)).map((c) => c.outcome)).toEqual(['error']);

    // A provider failing before its first token is not the visitor's problem: the extractive
    // answerer answers from the passages, with citations, and no error event.
    fake.reply = { deltas: [], status: 500 };
    const again = await readEvents(
      await sendMessage(base, conversationId, token, {
        text: 'Is shipping free?',
        clientMessageId: nextId(),
      }),
    );
    expect(eventSequence(again)).toEqual(['token…', 'citations', 'done']);
    const stored = await conversationMessages(conversationId);
    expect(stored.map((m) => m.role)).toEqual(['visitor', 'visitor', 'assistant']);
    expect(stored[2]!.answerMode).toBe('extractive');
  });

  it('stops the model call when the visitor disconnects, stores no half answer, and answers the retry', async () => {
    fake.reply = { deltas: ['Standard shipping', ' takes 3 to 5', ' business days [1].'], holdAfter: 1 };
    const { conversationId, token } = await startConversation(base, org.agentKey);
    const body = { text: 'How long does shipping take?', clientMessageId: nextId() };
    const seen = await postAndDisconnect(
      `${base}/v1/widget/conversations/${conversationId}/messages`,
      { 'content-type': 'application/json', authorization: `Bearer ${token}`, origin: SITE },
      JSON.stringify(body),
      (event) => event.event === 'token',
    );
    expect(seen.map((e) => e.event)).toEqual(['token']);

    await fake.clientAborted;
    const [aborted] = await until(async () => {
      const rows = await calls(conversationId);
      return rows.length > 0 ? rows : undefined;
    });
    expect(aborted!.outcome).toBe('aborted');
    const afterAbort = await conversationMessages(conversationId);
    expect(afterAbort.map((m) => m.role)).toEqual(['visitor']);
    fake.release();

    fake.reply = { deltas: ['Standard shipping', ' takes 3 to 5', ' business days [1].'] };
    const retry = await readEvents(await sendMessage(base, conversationId, token, body));
    expect(eventSequence(retry)).toEqual(['token…', 'citations', 'done']);
    expect(streamedText(retry)).toBe('Standard shipping takes 3 to 5 business days [1].');
    expect(dataOf<Done>(retry, 'done')!.userMessageId).toBe(afterAbort[0]!.id);
    expect((await conversationMessages(conversationId)).map((m) => m.role)).toEqual(['visitor', 'assistant']);
  });
});

describe.each(testDatabaseKinds)('graceful shutdown on %s', (kind) => {
  it('finishes an open answer stream before closing, and refuses new requests meanwhile', async () => {
    const fake = await startFakeOpenAi({
      deltas: ['Standard shipping', ' takes 3 to 5', ' business days [1].'],
      holdAfter: 1,
      usage: { prompt_tokens: 50, completion_tokens: 9 },
    });
    // No org provider here: the server-wide CONFIDANT_MODEL_* configuration is the fallback.
    const t = await createTestApp({
      kind,
      env: { CONFIDANT_MODEL_BASE_URL: fake.baseUrl, CONFIDANT_MODEL_NAME: 'env-model' },
    });
    try {
      const org = await createWidgetOrg(t, 'Lumen', { answerMode: 'model' });
      const base = await listen(t);
      const { conversationId, token } = await startConversation(base, org.agentKey);
      const body = { text: 'How long does shipping take?', clientMessageId: 'shutdown-1' };

      let closing: Promise<void> | undefined;
      let refused: Promise<Response> | undefined;
      const events = await readEvents(await sendMessage(base, conversationId, token, body), (event, all) => {
        if (event.event === 'token' && all.length === 1) {
          closing = t.app.close();
          // Once closing has begun, a new request is turned away while the open stream goes on.
          refused = (async () => {
            await sleep(0);
            const res = await sendMessage(base, conversationId, token, {
              ...body,
              clientMessageId: 'shutdown-2',
            });
            fake.release();
            return res;
          })();
        }
      });
      expect((await refused!).status).toBe(503);
      await closing;

      expect(eventSequence(events)).toEqual(['token…', 'citations', 'done']);
      expect(streamedText(events)).toBe('Standard shipping takes 3 to 5 business days [1].');
      const stored = await withTenant(t.database, [org.orgId], (tx) =>
        tx
          .select()
          .from(messages)
          .where(eq(messages.conversationId, conversationId))
          .orderBy(asc(messages.createdAt)),
      );
      expect(stored.map((m) => [m.role, m.clientMessageId])).toEqual([
        ['visitor', 'shutdown-1'],
        ['assistant', null],
      ]);
      const [call] = await withTenant(t.database, [org.orgId], (tx) => tx.select().from(modelCalls));
      expect(call).toMatchObject({ model: 'env-model', outcome: 'ok', inputTokens: 50, outputTokens: 9 });
    } finally {
      await t.app.close();
      await t.database.drop();
      await fake.close();
    }
  });
});
