import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionCalls, events } from '../../platform/db/schema/index.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { testDatabaseKinds } from '../../platform/db/test-database.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { type FakeOpenAi, startFakeOpenAi } from '../answers/testing/fake-openai.js';
import { helpCenter } from '../answers/testing/help-center.js';
import { readEvents, streamedText } from '../conversations/testing/sse-client.js';
import {
  createWidgetOrg,
  listen,
  SITE,
  sendMessage,
  startConversation,
  type WidgetOrg,
} from '../conversations/testing/widget-fixture.js';
import { APPROVAL_LEASE_MS, failStaleApprovals } from './approvals.js';
import { type ActionServer, json, startActionServer } from './testing/action-server.js';

/**
 * The model calling an agent's actions end to end: widget → engine → gateway → a real local
 * OpenAI-compatible server that asks for a tool → the action's real HTTP service → the tool's
 * result back to the model. And the approval flow: the model's call waits, an operator approves
 * or rejects through the API, the visitor reads the outcome in the conversation.
 */
const EMAIL = 'jane.doe@example.com';
const QUESTION = `How do I return an item from order A-17? My email is ${EMAIL}.`;

describe.each(testDatabaseKinds)('the model calling actions on %s', (kind) => {
  let t: TestApp;
  let fake: FakeOpenAi;
  let service: ActionServer;
  let org: WidgetOrg;
  let base: string;
  let operatorKey: string;
  let n = 0;
  const admin = () => ({ authorization: `Bearer ${org.apiKey}` });
  const operator = () => ({ authorization: `Bearer ${operatorKey}` });

  beforeAll(async () => {
    fake = await startFakeOpenAi({ deltas: ['Done.'] });
    service = await startActionServer();
    t = await createTestApp({ kind, env: { CONFIDANT_ALLOW_PRIVATE_NETWORKS: 'true' } });
    // One article (the one the question is about) keeps the set-up short on a loaded machine.
    org = await createWidgetOrg(
      t,
      'Lumen',
      { answerMode: 'model' },
      helpCenter.filter((a) => a.title === 'Returns and refunds'),
    );
    const saved = await t.app.inject({
      method: 'PUT',
      url: '/v1/model-provider',
      headers: admin(),
      payload: { baseUrl: fake.baseUrl, model: 'fake-model', apiKey: 'sk-test' },
    });
    expect(saved.statusCode).toBe(200);
    const key = await t.app.inject({
      method: 'POST',
      url: '/v1/api-keys',
      headers: admin(),
      payload: { name: 'operator', role: 'agent' },
    });
    operatorKey = key.json().key;
    for (const action of [
      {
        name: 'start_return',
        description: 'Start a return for an order',
        method: 'POST',
        urlTemplate: `${service.origin}/api/orders/{orderId}/returns`,
        parameters: {
          type: 'object',
          properties: {
            orderId: { type: 'string' },
            email: { type: 'string', sensitive: true },
          },
          required: ['orderId', 'email'],
        },
        headers: [{ name: 'Authorization', value: 'Bearer shop-secret' }],
      },
      {
        name: 'cancel_order',
        description: 'Cancel an order',
        method: 'DELETE',
        urlTemplate: `${service.origin}/api/orders/{orderId}`,
        parameters: { type: 'object', properties: { orderId: { type: 'string' } }, required: ['orderId'] },
        requiresApproval: true,
      },
      {
        name: 'disabled_one',
        method: 'GET',
        urlTemplate: `${service.origin}/never`,
        enabled: false,
      },
    ]) {
      const res = await t.app.inject({
        method: 'POST',
        url: `/v1/agents/${org.agentId}/actions`,
        headers: admin(),
        payload: action,
      });
      expect(res.statusCode, res.body).toBe(201);
    }
    base = await listen(t);
    // Creating a database and an app can take long on a loaded 2-core machine.
  }, 180_000);
  afterAll(async () => {
    await t?.close();
    await fake?.close();
    await service?.close();
  });

  const ask = async (toolCall: { name: string; arguments: Record<string, unknown> }, answer: string) => {
    fake.queue = [{ deltas: [], toolCalls: [toolCall] }, { deltas: [answer] }];
    const { conversationId, token } = await startConversation(base, org.agentKey);
    const streamed = await readEvents(
      await sendMessage(base, conversationId, token, { text: QUESTION, clientMessageId: `m-${++n}` }),
    );
    return { conversationId, token, text: streamedText(streamed) };
  };
  const visitorMessages = async (conversationId: string, token: string) => {
    const res = await fetch(`${base}/v1/widget/conversations/${conversationId}`, {
      headers: { authorization: `Bearer ${token}`, origin: SITE },
    });
    return ((await res.json()) as { messages: { role: string; text: string }[] }).messages;
  };
  const actionByName = async (name: string) => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/v1/agents/${org.agentId}/actions`,
      headers: admin(),
    });
    return (res.json().actions as { id: string; name: string }[]).find((a) => a.name === name)!;
  };

  it('offers the enabled actions as tools and runs the one the model calls with the visitor’s real values', async () => {
    service.reply = () => json({ returnLabel: 'RL-555', status: 'return_started' });
    const before = fake.requests.length;
    const { conversationId, text } = await ask(
      { name: 'start_return', arguments: { orderId: 'A-17', email: '[EMAIL_1]' } },
      'Your return has started; the label is RL-555.',
    );
    expect(text).toBe('Your return has started; the label is RL-555.');

    const [first, second] = fake.requests.slice(before);
    const tools = (first!.body.tools as { function: { name: string; parameters: unknown } }[]).map(
      (x) => x.function,
    );
    // The agent's enabled actions, and the handoff tool every handoff-enabled agent offers.
    expect(tools.map((x) => x.name).sort()).toEqual(['cancel_order', 'handoff', 'start_return']);
    // The model sees plain JSON Schema: our `sensitive` keyword stays home.
    // (The handoff tool's own reasons include the word, so only the actions are looked at.)
    expect(JSON.stringify(tools.filter((x) => x.name !== 'handoff'))).not.toContain('sensitive');
    // The model never saw the email, yet the service got it: the gateway restored the placeholder.
    expect(first!.raw).not.toContain(EMAIL);
    const received = service.received.at(-1)!;
    expect(received).toMatchObject({ method: 'POST', url: '/api/orders/A-17/returns' });
    expect(received.headers.authorization).toBe('Bearer shop-secret');
    expect(JSON.parse(received.body)).toEqual({ email: EMAIL });
    // The tool's result went back to the model.
    expect(second!.raw).toContain('RL-555');

    const action = await actionByName('start_return');
    const log = await t.app.inject({
      method: 'GET',
      url: `/v1/agents/${org.agentId}/actions/${action.id}/calls`,
      headers: admin(),
    });
    expect(log.json().calls).toMatchObject([
      {
        source: 'model',
        conversationId,
        outcome: 'ok',
        httpStatus: 200,
        parameters: { orderId: 'A-17', email: '[redacted]' },
      },
    ]);
    expect(log.body).not.toContain(EMAIL);
  });

  it('holds an action that needs approval until an operator approves it, then tells the visitor', async () => {
    const calledBefore = service.received.length;
    const before = fake.requests.length;
    const { conversationId, token, text } = await ask(
      { name: 'cancel_order', arguments: { orderId: 'A-18' } },
      'A team member will confirm the cancellation shortly.',
    );
    expect(text).toBe('A team member will confirm the cancellation shortly.');
    // Nothing was sent; the model was told the call waits for approval.
    expect(service.received.length).toBe(calledBefore);
    expect(fake.requests[before + 1]!.raw).toContain('pending_approval');

    const pending = await t.app.inject({
      method: 'GET',
      url: `/v1/conversations/${conversationId}/action-approvals`,
      headers: operator(),
    });
    expect(pending.statusCode).toBe(200);
    const [call] = pending.json().calls;
    expect(call).toMatchObject({
      actionName: 'cancel_order',
      outcome: 'pending_approval',
      parameters: { orderId: 'A-18' },
    });
    // Operators' consoles were told live (an outbox event), visitors' streams are not.
    const published = await withTenant(t.database, [org.orgId], (tx) =>
      tx
        .select({ type: events.type })
        .from(events)
        .where(and(eq(events.orgId, org.orgId), eq(events.conversationId, conversationId))),
    );
    expect(published.map((e) => e.type)).toContain('action_call');

    service.reply = () => ({ status: 204 });
    const approved = await t.app.inject({
      method: 'POST',
      url: `/v1/action-calls/${call.id}/approve`,
      headers: operator(),
    });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({ outcome: 'ok', httpStatus: 204 });
    expect(service.received.at(-1)).toMatchObject({ method: 'DELETE', url: '/api/orders/A-18' });
    expect((await visitorMessages(conversationId, token)).at(-1)).toEqual(
      expect.objectContaining({
        role: 'assistant',
        text: 'Your request “cancel order” was approved and done.',
      }),
    );

    const again = await t.app.inject({
      method: 'POST',
      url: `/v1/action-calls/${call.id}/approve`,
      headers: operator(),
    });
    expect(again.statusCode).toBe(409);
    expect(service.received.at(-1)).toMatchObject({ url: '/api/orders/A-18' });
    const left = await t.app.inject({ method: 'GET', url: '/v1/action-approvals', headers: operator() });
    expect(left.json().calls).toEqual([]);
  });

  it('tells the visitor a rejected request was declined, and never sends it', async () => {
    const calledBefore = service.received.length;
    const { conversationId, token } = await ask(
      { name: 'cancel_order', arguments: { orderId: 'A-19' } },
      'A team member will confirm the cancellation shortly.',
    );
    const [call] = (
      await t.app.inject({ method: 'GET', url: '/v1/action-approvals', headers: operator() })
    ).json().calls;
    const rejected = await t.app.inject({
      method: 'POST',
      url: `/v1/action-calls/${call.id}/reject`,
      headers: operator(),
    });
    expect(rejected.json()).toMatchObject({ outcome: 'rejected', conversationId });
    expect(service.received.length).toBe(calledBefore);
    expect((await visitorMessages(conversationId, token)).at(-1)).toEqual(
      expect.objectContaining({
        role: 'assistant',
        text: 'Your request “cancel order” was declined by our team.',
      }),
    );
    const audit = await t.app.inject({ method: 'GET', url: '/v1/audit?limit=100', headers: admin() });
    const actions = (audit.json().entries as { action: string }[]).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['action_call.approved', 'action_call.rejected']));
  });

  const pendingCall = async (orderId: string) => {
    const asked = await ask(
      { name: 'cancel_order', arguments: { orderId } },
      'A team member will confirm the cancellation shortly.',
    );
    const calls = (
      await t.app.inject({ method: 'GET', url: '/v1/action-approvals', headers: operator() })
    ).json().calls as { id: string; conversationId: string }[];
    const call = calls.find((c) => c.conversationId === asked.conversationId)!;
    return { ...asked, call };
  };
  const callRow = async (id: string) =>
    (
      await withTenant(t.database, [org.orgId], (tx) =>
        tx.select().from(actionCalls).where(eq(actionCalls.id, id)),
      )
    )[0]!;
  const approve = (id: string) =>
    t.app.inject({ method: 'POST', url: `/v1/action-calls/${id}/approve`, headers: operator() });

  it('does not run an approved call whose action was disabled since: 409, marked rejected, visitor told', async () => {
    const calledBefore = service.received.length;
    const { conversationId, token, call } = await pendingCall('A-20');
    const action = await actionByName('cancel_order');
    const off = await t.app.inject({
      method: 'PATCH',
      url: `/v1/agents/${org.agentId}/actions/${action.id}`,
      headers: admin(),
      payload: { enabled: false },
    });
    expect(off.statusCode, off.body).toBe(200);
    try {
      const refused = await approve(call.id);
      expect(refused.statusCode).toBe(409);
      expect(refused.headers['content-type']).toContain('application/problem+json');
      expect(refused.json().detail).toContain('disabled');
      expect(service.received.length).toBe(calledBefore);
      expect(await callRow(call.id)).toMatchObject({
        outcome: 'rejected',
        pendingParametersCiphertext: null,
      });
      expect((await visitorMessages(conversationId, token)).at(-1)?.text).toBe(
        'Your request “cancel order” could not be done: it is no longer available. A team member will follow up.',
      );
      // Decided now: a second approval is an ordinary conflict and still runs nothing.
      expect((await approve(call.id)).statusCode).toBe(409);
      expect(service.received.length).toBe(calledBefore);
    } finally {
      await t.app.inject({
        method: 'PATCH',
        url: `/v1/agents/${org.agentId}/actions/${action.id}`,
        headers: admin(),
        payload: { enabled: true },
      });
    }
  });

  it('fails an approval whose process died after claiming it, once the lease is over (test clock)', async () => {
    const calledBefore = service.received.length;
    const { conversationId, token, call } = await pendingCall('A-21');
    // A process claimed it (decided_at set, outcome still pending) and died before the outcome.
    const claimedAt = new Date();
    await withTenant(t.database, [org.orgId], (tx) =>
      tx.update(actionCalls).set({ decidedAt: claimedAt }).where(eq(actionCalls.id, call.id)),
    );
    // Within the lease it is someone's decision in progress: 409, nothing changes.
    expect((await approve(call.id)).statusCode).toBe(409);
    expect(await failStaleApprovals(t, new Date(claimedAt.getTime() + APPROVAL_LEASE_MS - 1000))).toBe(0);
    expect((await callRow(call.id)).outcome).toBe('pending_approval');

    // Past the lease the sweep fails it (never runs it again) and tells the visitor.
    expect(await failStaleApprovals(t, new Date(claimedAt.getTime() + APPROVAL_LEASE_MS + 1000))).toBe(1);
    expect(await callRow(call.id)).toMatchObject({ outcome: 'failed', pendingParametersCiphertext: null });
    expect((await visitorMessages(conversationId, token)).at(-1)?.text).toBe(
      'Your request “cancel order” could not be completed. A team member will follow up.',
    );
    expect(service.received.length).toBe(calledBefore);
    expect(await failStaleApprovals(t, new Date(claimedAt.getTime() + 10 * APPROVAL_LEASE_MS))).toBe(0);

    // An operator deciding on a stale claim (before the sweep came by) gets a 409 that says so.
    const second = await pendingCall('A-22');
    await withTenant(t.database, [org.orgId], (tx) =>
      tx
        .update(actionCalls)
        .set({ decidedAt: new Date(Date.now() - 2 * APPROVAL_LEASE_MS) })
        .where(eq(actionCalls.id, second.call.id)),
    );
    const interrupted = await approve(second.call.id);
    expect(interrupted.statusCode).toBe(409);
    expect(interrupted.json().detail).toContain('interrupted');
    expect((await callRow(second.call.id)).outcome).toBe('failed');
    expect(service.received.length).toBe(calledBefore);
  });

  it('keeps the order the parameters were defined in, for the API and for the model', async () => {
    const action = await actionByName('start_return');
    const res = await t.app.inject({
      method: 'GET',
      url: `/v1/agents/${org.agentId}/actions/${action.id}`,
      headers: admin(),
    });
    // jsonb would answer "email" first (it orders keys by length): the definition said orderId first.
    expect(Object.keys(res.json().parameters.properties)).toEqual(['orderId', 'email']);
    const before = fake.requests.length;
    await ask({ name: 'start_return', arguments: { orderId: 'A-23', email: '[EMAIL_1]' } }, 'Started.');
    const offered = (
      fake.requests[before]!.body.tools as {
        function: { name: string; parameters: { properties: object } };
      }[]
    ).find((x) => x.function.name === 'start_return')!;
    expect(Object.keys(offered.function.parameters.properties)).toEqual(['orderId', 'email']);

    // A change keeps the new order too.
    const patched = await t.app.inject({
      method: 'PATCH',
      url: `/v1/agents/${org.agentId}/actions/${action.id}`,
      headers: admin(),
      payload: {
        parameters: {
          type: 'object',
          properties: {
            orderId: { type: 'string' },
            zipCode: { type: 'string' },
            email: { type: 'string', sensitive: true },
            a: { type: 'boolean' },
          },
          required: ['orderId', 'email'],
        },
      },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    const reread = await t.app.inject({
      method: 'GET',
      url: `/v1/agents/${org.agentId}/actions/${action.id}`,
      headers: admin(),
    });
    expect(Object.keys(reread.json().parameters.properties)).toEqual(['orderId', 'zipCode', 'email', 'a']);
  });
});
