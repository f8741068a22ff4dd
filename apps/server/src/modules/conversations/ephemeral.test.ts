import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notifications } from '../../platform/db/schema/index.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { testDatabaseKinds } from '../../platform/db/test-database.js';
import { scanForResidue } from '../../testing/residue-scan.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { type FakeOpenAi, startFakeOpenAi } from '../answers/testing/fake-openai.js';
import { createUserWithMembership } from '../auth/service.js';
import { CONSOLE_ORIGIN, ConsoleClient } from '../auth/test-console-client.js';
import { type LiveEvent, type LiveEvents, openLiveEvents } from './testing/live-events.js';
import { dataOf, readEvents, streamedText } from './testing/sse-client.js';
import { createWidgetOrg, listen, SITE, sendMessage, startConversation } from './testing/widget-fixture.js';

/**
 * The decisive test of ephemeral agents (`storeTranscripts: false`): a whole conversation with
 * unique canaries — visitor text, an email address and a name, an extractive answer and a model
 * answer (a prompt really sent to a local OpenAI-compatible server), a handoff, an operator's
 * takeover, reply, private note, typing, hand back and close, with email and Slack notifications
 * queued — works live for the operator and the visitor, and afterwards not one canary is left in
 * any column of any table, any file under the data dir, or the logs (at trace level).
 *
 * The control runs the same conversation on an agent that stores transcripts: the scanner finds
 * its canaries, so a clean scan means something.
 */
type Msg = { id: string; role: string; text: string; internal: boolean; ephemeral?: true };
type Detail = { ephemeral: boolean; origin: string | null; pageUrl: string | null; messages: Msg[] };
const password = 'a long enough password';

const canaries = (tag: string) => {
  const n = () => `${tag}${randomBytes(4).toString('hex')}`;
  return {
    text: `canary-text-${n()}`,
    email: `canary.${n()}@example.com`,
    name: `Canaryname${n()}`,
    handoff: `canary-handoff-${n()}`,
    waiting: `canary-waiting-${n()}`,
    reply: `canary-reply-${n()}`,
    note: `canary-note-${n()}`,
    model: `canary-model-${n()}`,
    modelAnswer: `canary-answer-${n()}`,
  };
};
type Canaries = ReturnType<typeof canaries>;

describe.each(testDatabaseKinds)('ephemeral agents on %s', (kind) => {
  let t: TestApp;
  let fake: FakeOpenAi;
  let base: string;
  let orgId: string;
  let apiKey: string;
  let operator: ConsoleClient;
  let operatorEvents: LiveEvents;
  let logs = '';
  let counter = 0;
  const nextId = () => `e-${++counter}`;

  const asOperator = (method: 'GET' | 'POST', url: string, payload?: object) =>
    operator.inOrg(orgId, { method, url, ...(payload ? { payload } : {}) });
  const asAdmin = (method: 'POST' | 'PUT' | 'PATCH' | 'GET', url: string, payload?: object) =>
    t.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${apiKey}` },
      ...(payload ? { payload } : {}),
    });
  const ask = async (conversationId: string, token: string, text: string) =>
    readEvents(await sendMessage(base, conversationId, token, { text, clientMessageId: nextId() }));
  const createAgent = async (name: string, fields: Record<string, unknown>) => {
    const res = await asAdmin('POST', '/v1/agents', { name, allowedOrigins: [SITE], ...fields });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; publishableKey: string; storeTranscripts: boolean };
  };
  const operatorSaw = (conversationId: string, text: string) =>
    operatorEvents.waitFor(
      (e) =>
        e.event === 'message' &&
        (e.data as Msg & { conversationId: string }).conversationId === conversationId &&
        (e.data as Msg).text.includes(text),
      `operator sees "${text}" live`,
    );
  const statusIs = (status: string) => (e: LiveEvent) =>
    e.event === 'status' && (e.data as { status: string }).status === status;

  beforeAll(async () => {
    fake = await startFakeOpenAi({ deltas: [] });
    t = await createTestApp({
      kind,
      env: { PUBLIC_URL: CONSOLE_ORIGIN, CONFIDANT_ALLOW_PRIVATE_NETWORKS: 'true', LOG_LEVEL: 'trace' },
      logStream: {
        write: (line) => {
          logs += line;
        },
      },
    });
    const org = await createWidgetOrg(t, 'Lumen', { storeTranscripts: false });
    ({ orgId, apiKey } = org);
    await createUserWithMembership(t, {
      email: 'olga@example.com',
      password,
      name: 'Olga',
      orgId,
      role: 'admin',
    });
    operator = new ConsoleClient(t.app);
    expect((await operator.signIn('olga@example.com', password)).statusCode).toBe(200);
    // The model path goes to a local OpenAI-compatible server, so a prompt is really sent.
    expect(
      (
        await asAdmin('PUT', '/v1/model-provider', {
          baseUrl: fake.baseUrl,
          model: 'fake-model',
          apiKey: 'sk-test-123',
        })
      ).statusCode,
    ).toBe(200);
    // Notifications may quote chat text (previews on) and go to Slack too: never for ephemeral.
    const settings = await asAdmin('PUT', '/v1/notifications/settings', {
      previews: true,
      slackWebhookUrl: `${fake.baseUrl}/slack-hook`,
    });
    expect(settings.statusCode, settings.body).toBe(200);
    base = await listen(t);
    const cookie = [...operator.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    operatorEvents = await openLiveEvents(`${base}/v1/events`, { cookie, 'x-confidant-org': orgId });
    expect(operatorEvents.status).toBe(200);
  });
  afterAll(async () => {
    operatorEvents?.close();
    await t?.close();
    await fake?.close();
  });

  /** The whole conversation, checking at each step that operator and visitor see it live. */
  async function converse(
    agent: { publishableKey: string },
    modelAgent: { publishableKey: string },
    c: Canaries,
  ) {
    const { conversationId, token } = await startConversation(base, agent.publishableKey);
    const visitor = await openLiveEvents(`${base}/v1/widget/conversations/${conversationId}/events`, {
      authorization: `Bearer ${token}`,
      origin: SITE,
    });
    await visitor.waitFor((e) => e.event === 'status', 'initial status');

    // The extractive agent answers a message carrying text, an email address and a name.
    const first = await ask(
      conversationId,
      token,
      `Hi, I am ${c.name} (${c.email}). Where is my order? ${c.text}`,
    );
    expect(streamedText(first).length).toBeGreaterThan(0);
    await operatorSaw(conversationId, c.text);

    // The visitor asks for a person: it waits, and notifications are queued (email and Slack).
    const handoff = await ask(conversationId, token, `I want to talk to a human please ${c.handoff}`);
    expect(dataOf(handoff, 'handoff')).toMatchObject({ reason: 'requested' });
    await visitor.waitFor(statusIs('waiting'), 'waiting');
    await ask(conversationId, token, `still there? ${c.waiting}`);

    // The operator's API shows the transcript while it lives.
    const detail = await asOperator('GET', `/v1/conversations/${conversationId}`);
    expect(detail.statusCode, detail.body).toBe(200);
    const shown = detail.json() as Detail;
    const texts = shown.messages.map((m) => m.text).join('\n');
    expect(texts).toContain(c.text);
    expect(texts).toContain(c.email);
    expect(texts).toContain(c.waiting);
    const list = await asOperator('GET', '/v1/conversations?view=waiting');
    const listed = (list.json() as { conversations: { id: string; preview: string; ephemeral: boolean }[] })
      .conversations;
    // The list's preview is the latest visible line, from memory too.
    const latest = shown.messages.filter((m) => !m.internal && m.role !== 'system').at(-1)!;
    expect(latest.text).not.toBe('');
    expect(listed.find((x) => x.id === conversationId)?.preview).toBe(latest.text.slice(0, 140));

    // Takeover: claim, typing, a reply the visitor receives, a note the visitor never sees.
    expect((await asOperator('POST', `/v1/conversations/${conversationId}/claim`, {})).statusCode).toBe(200);
    await visitor.waitFor(statusIs('human'), 'human');
    expect((await asOperator('POST', `/v1/conversations/${conversationId}/typing`, {})).statusCode).toBe(204);
    await visitor.waitFor((e) => e.event === 'typing', 'operator typing');
    const typing = await fetch(`${base}/v1/widget/conversations/${conversationId}/typing`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, origin: SITE },
    });
    expect(typing.status).toBe(204);
    const reply = await asOperator('POST', `/v1/conversations/${conversationId}/messages`, {
      text: `Hello ${c.reply}`,
    });
    expect(reply.statusCode, reply.body).toBe(201);
    await visitor.waitFor(
      (e) => e.event === 'message' && (e.data as Msg).text.includes(c.reply),
      'the visitor receives the reply live',
    );
    const note = await asOperator('POST', `/v1/conversations/${conversationId}/messages`, {
      text: `Private: ${c.note}`,
      internal: true,
    });
    expect(note.statusCode, note.body).toBe(201);
    await operatorSaw(conversationId, c.note);
    // The visitor writes while a person owns it: the assignee's email never quotes it.
    await ask(conversationId, token, `thanks ${c.text}-again`);
    await operatorSaw(conversationId, `${c.text}-again`);

    // Reload: the widget's transcript is what the server still holds in memory.
    const reloaded = await fetch(`${base}/v1/widget/conversations/${conversationId}`, {
      headers: { authorization: `Bearer ${token}`, origin: SITE },
    });
    const transcript = (await reloaded.json()) as { messages: Msg[] };
    expect(transcript.messages.map((m) => m.text).join('\n')).toContain(c.reply);
    expect(transcript.messages.map((m) => m.text).join('\n')).not.toContain(c.note);

    // Hand back and close.
    expect((await asOperator('POST', `/v1/conversations/${conversationId}/handback`, {})).statusCode).toBe(
      200,
    );
    expect((await asOperator('POST', `/v1/conversations/${conversationId}/close`, {})).statusCode).toBe(200);
    await visitor.waitFor(statusIs('closed'), 'closed');
    visitor.close();

    // A second conversation answered by the model: the prompt carries the visitor's text.
    fake.reply = {
      deltas: ['Lamps ship ', c.modelAnswer],
      usage: { prompt_tokens: 40, completion_tokens: 5 },
    };
    const m = await startConversation(base, modelAgent.publishableKey);
    const sentBefore = fake.requests.length;
    const modelAnswer = await ask(m.conversationId, m.token, `How long does shipping take? ${c.model}`);
    expect(streamedText(modelAnswer)).toContain(c.modelAnswer);
    expect(
      fake.requests
        .slice(sentBefore)
        .map((r) => r.raw)
        .join(''),
    ).toContain(c.model);
    await operatorSaw(m.conversationId, c.modelAnswer);
    expect((await asOperator('POST', `/v1/conversations/${m.conversationId}/close`, {})).statusCode).toBe(
      200,
    );
    return { conversationId, modelConversationId: m.conversationId };
  }

  const needlesOf = (c: Canaries) => Object.values(c);

  it('an ephemeral conversation with a takeover works live and leaves no canary anywhere', async () => {
    const agent = await createAgent('Ephemeral', { storeTranscripts: false });
    expect(agent.storeTranscripts).toBe(false);
    const modelAgent = await createAgent('Ephemeral model', { storeTranscripts: false, answerMode: 'model' });
    const c = canaries('e');

    // The widget says so, and offers no email form.
    const config = await fetch(`${base}/v1/widget/config?agentKey=${agent.publishableKey}`, {
      headers: { origin: SITE },
    });
    const widget = (await config.json()) as {
      storageNotice: string;
      storesTranscripts: boolean;
      handoff: { emailReplies: boolean };
    };
    expect(widget.storesTranscripts).toBe(false);
    expect(widget.storageNotice).toContain("This chat isn't stored");
    expect(widget.handoff.emailReplies).toBe(false);

    const { conversationId } = await converse(agent, modelAgent, c);

    // Ended: the operator sees the skeleton, every text "Not stored"; nothing about the visitor.
    const detail = (await asOperator('GET', `/v1/conversations/${conversationId}`)).json() as Detail;
    expect(detail).toMatchObject({ ephemeral: true, origin: null, pageUrl: null });
    const said = detail.messages.filter((m) => m.role !== 'system');
    expect(said.length).toBeGreaterThanOrEqual(7);
    expect(said.every((m) => m.ephemeral === true && m.text === '')).toBe(true);

    // Counters still count it (usage), anonymously.
    const usage = await asOperator('GET', '/v1/usage/daily?days=1');
    expect(usage.statusCode, usage.body).toBe(200);
    const days = (usage.json() as { days: { conversations: number }[] }).days;
    expect(days.reduce((sum, d) => sum + d.conversations, 0)).toBeGreaterThanOrEqual(2);

    // Notifications were queued for it (handoff: email and Slack; the assignee's reply notice).
    const queued = await withTenant(t.database, [orgId], (tx) =>
      tx
        .select({ id: notifications.id })
        .from(notifications)
        .where(eq(notifications.conversationId, conversationId)),
    );
    expect(queued.length).toBeGreaterThanOrEqual(2);
    expect(logs.length).toBeGreaterThan(0);
    const found = await scanForResidue(
      { database: t.database, dataDir: t.config.dataDir, logs },
      needlesOf(c),
    );
    expect(found).toEqual([]);
  });

  it('PATCH storeTranscripts is exposed and audited; an open conversation keeps the mode it started with', async () => {
    const agent = await createAgent('Switching', {});
    const stored = await startConversation(base, agent.publishableKey);
    const patched = await asAdmin('PATCH', `/v1/agents/${agent.id}`, { storeTranscripts: false });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({ storeTranscripts: false });
    expect((await asAdmin('GET', `/v1/agents/${agent.id}`)).json()).toMatchObject({
      storeTranscripts: false,
    });
    const invalid = await asAdmin('PATCH', `/v1/agents/${agent.id}`, { storeTranscripts: 'no' });
    expect(invalid.statusCode).toBe(400);

    const audit = await asAdmin('GET', '/v1/audit?action=agent.updated');
    const entries = audit.json().entries as { targetId: string; metadata: { fields?: string } }[];
    expect(entries.find((e) => e.targetId === agent.id)?.metadata.fields).toBe('storeTranscripts');

    // The visitor of the conversation started before was told it is stored: it stays stored.
    const text = `canary-before-switch-${randomBytes(4).toString('hex')}`;
    await ask(stored.conversationId, stored.token, text);
    const before = (await asOperator('GET', `/v1/conversations/${stored.conversationId}`)).json() as Detail;
    expect(before.ephemeral).toBe(false);
    const found = await scanForResidue({ database: t.database, dataDir: t.config.dataDir, logs }, [text]);
    expect(found.map((r) => r.where)).toContain('public.messages.content');
    // A conversation started now is ephemeral.
    const after = await startConversation(base, agent.publishableKey);
    const detail = (await asOperator('GET', `/v1/conversations/${after.conversationId}`)).json() as Detail;
    expect(detail.ephemeral).toBe(true);
  });

  it('the server refuses to keep a contact for an ephemeral conversation', async () => {
    const agent = await createAgent('No contact', { storeTranscripts: false });
    const { conversationId, token } = await startConversation(base, agent.publishableKey);
    const res = await fetch(`${base}/v1/widget/conversations/${conversationId}/contact`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, origin: SITE },
      body: JSON.stringify({ email: 'canary.contact@example.com', consent: true, purpose: 'reply_by_email' }),
    });
    expect(res.status).toBe(409);
    const found = await scanForResidue({ database: t.database, dataDir: t.config.dataDir, logs }, [
      'canary.contact@example.com',
    ]);
    expect(found).toEqual([]);
  });

  it('control: the same conversation on an agent that stores transcripts leaves canaries the scan finds', async () => {
    const agent = await createAgent('Stored', {});
    expect(agent.storeTranscripts).toBe(true);
    const modelAgent = await createAgent('Stored model', { answerMode: 'model' });
    const c = canaries('s');
    await converse(agent, modelAgent, c);
    const found = await scanForResidue(
      { database: t.database, dataDir: t.config.dataDir, logs },
      needlesOf(c),
    );
    const where = found.map((r) => r.where);
    // Previews are on: the stored conversation's notifications quote it (the ephemeral one's not).
    expect(where).toContain('public.notifications.body');
    expect(where).toContain('public.messages.content');
    expect(where).toContain('public.events.payload');
    expect(found.map((r) => r.needle)).toEqual(
      expect.arrayContaining([c.text, c.email, c.name, c.reply, c.note]),
    );
  });
});
