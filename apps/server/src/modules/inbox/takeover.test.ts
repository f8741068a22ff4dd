import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../../platform/db/schema/index.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { testDatabaseKinds } from '../../platform/db/test-database.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { type FakeOpenAi, startFakeOpenAi } from '../answers/testing/fake-openai.js';
import { createUserWithMembership } from '../auth/service.js';
import { CONSOLE_ORIGIN, ConsoleClient } from '../auth/test-console-client.js';
import { type LiveEvents, openLiveEvents } from '../conversations/testing/live-events.js';
import { dataOf, eventSequence, readEvents, streamedText } from '../conversations/testing/sse-client.js';
import {
  createWidgetOrg,
  listen,
  SITE,
  sendMessage,
  startConversation,
  type WidgetOrg,
} from '../conversations/testing/widget-fixture.js';

/**
 * The human takeover, end to end over real sockets: a visitor asks for a person, an operator
 * claims and replies, the AI stays silent, notes stay private, hand back, close and reopen with
 * a fresh model context (checked at a local OpenAI-compatible server); and the race where an
 * operator claims while a model answer is streaming.
 */
type Done = { userMessageId: string; assistantMessageId: string | null };
const password = 'a long enough password';

describe.each(testDatabaseKinds)('human takeover on %s', (kind) => {
  let t: TestApp;
  let fake: FakeOpenAi;
  let base: string;
  let org: WidgetOrg;
  let operator: ConsoleClient;
  let operatorId: string;
  let operatorEvents: LiveEvents;
  let counter = 0;
  const nextId = () => `m-${++counter}`;

  const asOperator = (method: 'GET' | 'POST', url: string, payload?: object) =>
    operator.inOrg(org.orgId, { method, url, ...(payload ? { payload } : {}) });
  const visitorEvents = (conversationId: string, token: string) =>
    openLiveEvents(`${base}/v1/widget/conversations/${conversationId}/events`, {
      authorization: `Bearer ${token}`,
      origin: SITE,
    });
  const ask = async (conversationId: string, token: string, text: string) =>
    readEvents(await sendMessage(base, conversationId, token, { text, clientMessageId: nextId() }));
  const storedRoles = (conversationId: string) =>
    withTenant(t.database, [org.orgId], (tx) =>
      tx
        .select({ role: messages.role, internal: messages.internal, text: messages.content })
        .from(messages)
        .where(and(eq(messages.orgId, org.orgId), eq(messages.conversationId, conversationId))),
    );

  beforeAll(async () => {
    fake = await startFakeOpenAi({ deltas: ['Orders ship ', 'within 2 days.'] });
    t = await createTestApp({
      kind,
      env: {
        PUBLIC_URL: CONSOLE_ORIGIN,
        CONFIDANT_MODEL_BASE_URL: fake.baseUrl,
        CONFIDANT_MODEL_NAME: 'fake-model',
      },
    });
    org = await createWidgetOrg(t, 'Lumen', { answerMode: 'model' });
    ({ userId: operatorId } = await createUserWithMembership(t, {
      email: 'olga@example.com',
      password,
      name: 'Olga',
      orgId: org.orgId,
      role: 'agent',
    }));
    operator = new ConsoleClient(t.app);
    expect((await operator.signIn('olga@example.com', password)).statusCode).toBe(200);
    base = await listen(t);
    const cookie = [...operator.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    operatorEvents = await openLiveEvents(`${base}/v1/events`, { cookie, 'x-confidant-org': org.orgId });
    expect(operatorEvents.status).toBe(200);
  });
  afterAll(async () => {
    operatorEvents?.close();
    await t?.close();
    await fake?.close();
  });

  it('walks: handoff → claim → reply → AI silent → private note → hand back → close → reopen fresh', async () => {
    const { conversationId, token } = await startConversation(base, org.agentKey);
    const visitor = await visitorEvents(conversationId, token);
    expect(visitor.status).toBe(200);
    await visitor.waitFor((e) => e.event === 'status', 'initial status');

    // The visitor asks for a person: the conversation waits for one, and operators see it live.
    const handoff = await ask(conversationId, token, 'I want to talk to a human');
    // The operator has the live stream open, so a person is available and the reply says so.
    expect(dataOf(handoff, 'handoff')).toEqual({ reason: 'requested', operatorsAvailable: true });
    await operatorEvents.waitFor(
      (e) =>
        e.event === 'conversation' &&
        (e.data as { id: string; status: string }).id === conversationId &&
        (e.data as { status: string }).status === 'waiting',
      'waiting conversation event',
    );
    await visitor.waitFor((e) => e.event === 'status' && (e.data as { status: string }).status === 'waiting');

    const waiting = await asOperator('GET', '/v1/conversations?view=waiting');
    expect(waiting.statusCode, waiting.body).toBe(200);
    const listed = (waiting.json() as { conversations: { id: string; handoffReason: string }[] })
      .conversations;
    expect(listed.find((c) => c.id === conversationId)?.handoffReason).toBe('requested');

    // The operator claims: the visitor learns who joined.
    const claimed = await asOperator('POST', `/v1/conversations/${conversationId}/claim`, {});
    expect(claimed.statusCode, claimed.body).toBe(200);
    expect(claimed.json()).toMatchObject({ status: 'human', assigneeId: operatorId, assigneeName: 'Olga' });
    await visitor.waitFor(
      (e) => e.event === 'status' && (e.data as { operatorName?: string }).operatorName === 'Olga',
      'status human with the operator name',
    );
    await visitor.waitFor(
      (e) => e.event === 'message' && (e.data as { systemEvent?: string }).systemEvent === 'claimed',
      'the "joined" system line',
    );

    // The transcript keeps the order things happened in, even within one transaction.
    const sofar = (await asOperator('GET', `/v1/conversations/${conversationId}`)).json() as {
      messages: { role: string; systemEvent: string | null }[];
    };
    expect(sofar.messages.map((m) => m.systemEvent ?? m.role)).toEqual([
      'visitor',
      'assistant',
      'waiting',
      'claimed',
    ]);

    // Typing and a reply reach the visitor live, with the operator's name.
    expect((await asOperator('POST', `/v1/conversations/${conversationId}/typing`, {})).statusCode).toBe(204);
    await visitor.waitFor((e) => e.event === 'typing', 'operator typing');
    const reply = await asOperator('POST', `/v1/conversations/${conversationId}/messages`, {
      text: 'Hi, Olga here. How can I help?',
    });
    expect(reply.statusCode, reply.body).toBe(201);
    const delivered = await visitor.waitFor(
      (e) => e.event === 'message' && (e.data as { text: string }).text === 'Hi, Olga here. How can I help?',
      'operator reply',
    );
    expect(delivered.data).toMatchObject({ role: 'operator', authorName: 'Olga' });
    expect(delivered.id).toMatch(/^\d+$/);

    // The visitor's next message gets no AI answer: a person owns the conversation.
    const requestsBefore = fake.requests.length;
    const silent = await ask(conversationId, token, 'How long does shipping take?');
    expect(eventSequence(silent)).toEqual(['done']);
    expect(dataOf<Done>(silent, 'done')!.assistantMessageId).toBeNull();
    expect(fake.requests.length).toBe(requestsBefore);
    await operatorEvents.waitFor(
      (e) => e.event === 'message' && (e.data as { text: string }).text === 'How long does shipping take?',
      'the visitor message reaching operators',
    );

    // A private note: operators see it, the visitor never does.
    const note = await asOperator('POST', `/v1/conversations/${conversationId}/messages`, {
      text: 'NOTE: refund already issued',
      internal: true,
    });
    expect(note.statusCode).toBe(201);
    await operatorEvents.waitFor((e) => (e.data as { text?: string }).text === 'NOTE: refund already issued');

    // Hand back: the AI answers again.
    const back = await asOperator('POST', `/v1/conversations/${conversationId}/handback`, {});
    expect(back.json()).toMatchObject({ status: 'ai', assigneeId: null });
    await visitor.waitFor(
      (e) => e.event === 'message' && (e.data as { systemEvent?: string }).systemEvent === 'handed_back',
    );
    const answered = await ask(conversationId, token, 'How long does shipping take?');
    expect(streamedText(answered)).toBe('Orders ship within 2 days.');
    expect(dataOf<Done>(answered, 'done')!.assistantMessageId).not.toBeNull();
    // The model saw the conversation so far, but never the private note.
    expect(fake.requests.at(-1)!.raw).not.toContain('refund already issued');

    // Close, then a visitor message reopens as ai with no pre-close history sent to the model.
    const closed = await asOperator('POST', `/v1/conversations/${conversationId}/close`, {});
    expect(closed.json()).toMatchObject({ status: 'closed' });
    await visitor.waitFor((e) => e.event === 'status' && (e.data as { status: string }).status === 'closed');
    const reopened = await ask(conversationId, token, 'Do you ship to Canada?');
    expect(dataOf<Done>(reopened, 'done')!.assistantMessageId).not.toBeNull();
    const chat = fake.requests.at(-1)!.body.messages as { role: string; content: string }[];
    const history = chat.filter((m) => m.role !== 'system');
    expect(history).toEqual([{ role: 'user', content: 'Do you ship to Canada?' }]);
    const detail = await asOperator('GET', `/v1/conversations/${conversationId}`);
    expect(detail.json()).toMatchObject({ status: 'ai' });

    // The note never reached the visitor, live or in the transcript.
    expect(visitor.events.some((e) => JSON.stringify(e.data).includes('refund already issued'))).toBe(false);
    const transcript = await fetch(`${base}/v1/widget/conversations/${conversationId}`, {
      headers: { authorization: `Bearer ${token}`, origin: SITE },
    });
    expect(await transcript.text()).not.toContain('refund already issued');
    visitor.close();

    const stored = await storedRoles(conversationId);
    expect(stored.filter((m) => m.internal).map((m) => m.text)).toEqual(['NOTE: refund already issued']);
  });

  it('race: an operator claims while a model answer streams — the answer is never stored nor delivered', async () => {
    const { conversationId, token } = await startConversation(base, org.agentKey);
    const visitor = await visitorEvents(conversationId, token);
    fake.reply = { deltas: ['Our shipping ', 'takes ', 'two ', 'days.'], holdAfter: 1 };
    const answering = sendMessage(base, conversationId, token, {
      text: 'How long does shipping take?',
      clientMessageId: nextId(),
    });
    const tokens: string[] = [];
    const events = readEvents(await answering, (e) => {
      if (e.event === 'token') tokens.push((e.data as { text: string }).text);
    });
    // Wait until the answer is mid-stream, then claim.
    await operatorEvents.waitFor(
      (e) =>
        e.event === 'message' && (e.data as { conversationId: string }).conversationId === conversationId,
      'the visitor message',
    );
    while (tokens.length === 0) await new Promise((r) => setTimeout(r, 10));
    const claimed = await asOperator('POST', `/v1/conversations/${conversationId}/claim`, {});
    expect(claimed.statusCode, claimed.body).toBe(200);
    // Once the claim is live on the event bus (the answering stream watches the same bus), the
    // provider may go on: nothing it sends from now on may reach the visitor.
    await operatorEvents.waitFor(
      (e) =>
        e.event === 'conversation' &&
        (e.data as { id: string }).id === conversationId &&
        (e.data as { status: string }).status === 'human',
      'the claim on the bus',
    );
    fake.release();
    const all = await events;
    fake.reply = { deltas: ['Orders ship ', 'within 2 days.'] };

    expect(dataOf<Done>(all, 'done')!.assistantMessageId).toBeNull();
    expect(streamedText(all)).not.toContain('days.');
    const stored = await storedRoles(conversationId);
    expect(stored.filter((m) => m.role === 'assistant')).toEqual([]);
    await visitor.waitFor((e) => e.event === 'status' && (e.data as { status: string }).status === 'human');
    expect(
      visitor.events.some((e) => e.event === 'message' && (e.data as { role: string }).role === 'assistant'),
    ).toBe(false);
    visitor.close();
  });
});
