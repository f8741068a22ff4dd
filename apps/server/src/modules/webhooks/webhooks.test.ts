import { and, count, eq } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditLog,
  notifications,
  webhookDeliveries,
  webhookEndpoints,
} from '../../platform/db/schema/index.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { testDatabaseKinds } from '../../platform/db/test-database.js';
import { systemResolveHost } from '../../platform/net/outbound-policy.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { createUserWithMembership } from '../auth/service.js';
import {
  createWidgetOrg,
  listen,
  sendMessage,
  startConversation,
  type WidgetOrg,
} from '../conversations/testing/widget-fixture.js';
import { sweepWebhooks } from './jobs.js';
import { JITTER, RETRY_DELAYS_MS } from './schedule.js';
import { type Receiver, startReceiver } from './testing/receiver.js';

/**
 * Outgoing webhooks over real HTTP to a real local receiver, verified with the `standardwebhooks`
 * library. Retries are driven by a test clock: the sweep takes `now`, so three days of backoff and
 * five days of failure pass without waiting.
 */
type Delivery = {
  id: string;
  webhookId: string;
  eventType: string;
  status: string;
  attempts: number;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
};

describe.each(testDatabaseKinds)('outgoing webhooks on %s', (kind) => {
  let t: TestApp;
  let base: string;
  let org: WidgetOrg;
  let receiver: Receiver;
  const admin = () => ({ authorization: `Bearer ${org.apiKey}` });
  const api = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: admin(), ...(payload ? { payload } : {}) });
  const deps = () => ({
    database: t.database,
    keyring: t.keyring,
    jobs: t.jobs,
    net: { allowPrivateNetworks: true, resolveHost: systemResolveHost },
  });
  const deliveries = async (endpointId: string): Promise<Delivery[]> =>
    (await api('GET', `/v1/webhooks/${endpointId}/deliveries`)).json().deliveries;
  const delivery = async (endpointId: string, id: string) =>
    (await deliveries(endpointId)).find((d) => d.id === id)!;
  /** Polls the log until the delivery matches (attempts run as jobs); bounded, never timed. */
  const until = async (endpointId: string, id: string, ok: (d: Delivery) => boolean) => {
    for (let i = 0; i < 600; i++) {
      const d = await delivery(endpointId, id);
      if (d && ok(d)) return d;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`delivery ${id} never matched`);
  };
  const createEndpoint = async (body: object) => {
    const res = await api('POST', '/v1/webhooks', { url: receiver.url, ...body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; secret: string; enabled: boolean };
  };

  beforeAll(async () => {
    receiver = await startReceiver();
    t = await createTestApp({ kind, env: { CONFIDANT_ALLOW_PRIVATE_NETWORKS: 'true' } });
    org = await createWidgetOrg(t, 'Lumen', {}, []);
    await createUserWithMembership(t, {
      email: 'ada@example.com',
      password: 'a long enough password',
      name: 'Ada',
      orgId: org.orgId,
      role: 'admin',
    });
    base = await listen(t);
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    await receiver?.close();
  }, 60_000);

  it('signs conversation and incident events, thin unless content is asked for, secret shown once', async () => {
    receiver.answerWith(200);
    const endpoint = await createEndpoint({
      events: [
        'message.created',
        'conversation.waiting',
        'conversation.closed',
        'incident.created',
        'privacy.request.completed',
      ],
      description: 'help desk',
    });
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const read = await api('GET', `/v1/webhooks/${endpoint.id}`);
    expect(read.body).not.toContain(endpoint.secret);
    const [stored] = await withTenant(t.database, [org.orgId], (tx) =>
      tx.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id)),
    );
    expect(stored!.secretCiphertext).not.toContain(endpoint.secret.slice(6, 20));

    const { conversationId, token } = await startConversation(base, org.agentKey);
    // The visitor asks for a person: the handoff makes the conversation wait.
    const asked = await sendMessage(base, conversationId, token, {
      text: 'Can I talk to a human please?',
      clientMessageId: 'ask-human',
    });
    await asked.text();
    const waiting = await receiver.waitFor(
      (r) => r.json.type === 'conversation.waiting',
      'conversation.waiting',
    );
    expect(waiting.json.data).toEqual({ conversationId });
    const visitorMessage = await receiver.waitFor(
      (r) => r.json.type === 'message.created' && r.json.data.role === 'visitor',
      'visitor message',
    );
    expect(visitorMessage.raw).not.toContain('human please');
    const reply = await api('POST', `/v1/conversations/${conversationId}/messages`, {
      text: 'Your parcel left today: CANARY-TEXT-1',
    });
    expect(reply.statusCode, reply.body).toBe(201);
    const created = await receiver.waitFor(
      (r) => r.json.type === 'message.created' && r.json.data.role === 'operator',
      'operator message.created',
    );
    const wh = new Webhook(endpoint.secret);
    expect(wh.verify(created.raw, created.headers as Record<string, string>)).toMatchObject({
      type: 'message.created',
    });
    expect(created.json.data).toEqual({ conversationId, messageId: reply.json().id, role: 'operator' });
    expect(created.raw).not.toContain('CANARY-TEXT-1');
    expect(created.headers['webhook-id']).toMatch(/^msg_[0-9a-f]{32}$/);

    expect((await api('POST', `/v1/conversations/${conversationId}/close`)).statusCode).toBe(200);
    const closed = await receiver.waitFor(
      (r) => r.json.type === 'conversation.closed',
      'conversation.closed',
    );
    expect(closed.json.data).toEqual({ conversationId });
    wh.verify(closed.raw, closed.headers as Record<string, string>);

    const incident = await api('POST', '/v1/incidents', {
      title: 'Laptop lost',
      description: 'A laptop with exports was lost.',
      awareAt: new Date(Date.now() - 3_600_000).toISOString(),
    });
    expect(incident.statusCode, incident.body).toBe(201);
    const inc = await receiver.waitFor((r) => r.json.type === 'incident.created', 'incident.created');
    expect(inc.json.data).toEqual({ incidentId: incident.json().id });

    const exported = await api('POST', '/v1/privacy/requests', {
      type: 'export',
      subject: { conversationId },
    });
    expect(exported.statusCode, exported.body).toBe(202);
    const completed = await receiver.waitFor(
      (r) => r.json.type === 'privacy.request.completed',
      'privacy.request.completed',
    );
    expect(completed.json.data).toEqual({ requestId: exported.json().id, requestType: 'export' });

    // Opting in to content: message text goes with message.created.
    expect((await api('PATCH', `/v1/webhooks/${endpoint.id}`, { includeContent: true })).statusCode).toBe(
      200,
    );
    expect((await api('POST', `/v1/conversations/${conversationId}/reopen`)).statusCode).toBe(200);
    const second = await api('POST', `/v1/conversations/${conversationId}/messages`, {
      text: 'CANARY-TEXT-2',
    });
    const withText = await receiver.waitFor(
      (r) => r.json.type === 'message.created' && r.json.data.messageId === second.json().id,
      'message with text',
    );
    expect(withText.json.data.text).toBe('CANARY-TEXT-2');

    // The log: status, duration, attempts; never a response body.
    await until(endpoint.id, (await deliveries(endpoint.id))[0]!.id, (d) => d.status === 'succeeded');
    const log = await api('GET', `/v1/webhooks/${endpoint.id}/deliveries`);
    expect(log.body).not.toContain('never stored');
    const succeeded = (log.json().deliveries as Delivery[]).filter((d) => d.status === 'succeeded');
    expect(succeeded.length).toBeGreaterThanOrEqual(6);
    expect((log.json().deliveries as Delivery[]).every((d) => d.status === 'succeeded')).toBe(true);
    expect(succeeded[0]).toMatchObject({
      attempts: 1,
      lastStatusCode: 200,
      lastError: null,
      nextAttemptAt: null,
    });

    // Audited with ids only.
    const audit = await withTenant(t.database, [org.orgId], (tx) =>
      tx
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.orgId, org.orgId), eq(auditLog.targetId, endpoint.id))),
    );
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['webhook.created', 'webhook.updated']),
    );
    expect(JSON.stringify(audit)).not.toContain(receiver.url);
    await api('DELETE', `/v1/webhooks/${endpoint.id}`);
  }, 180_000);

  it('retries a failing receiver on the backoff schedule, then gives up', async () => {
    receiver.answerWith(500);
    const endpoint = await createEndpoint({ events: ['incident.created'] });
    const test = await api('POST', `/v1/webhooks/${endpoint.id}/test`);
    expect(test.statusCode, test.body).toBe(202);
    const id = test.json().id as string;
    let d = await until(
      endpoint.id,
      id,
      (x) => x.attempts === 1 && x.lastAttemptAt !== null && x.nextAttemptAt !== null,
    );
    expect(d).toMatchObject({ status: 'pending', lastStatusCode: 500, lastError: 'http_5xx' });
    for (let attempt = 1; attempt < RETRY_DELAYS_MS.length + 1; attempt++) {
      const gap = Date.parse(d.nextAttemptAt!) - Date.parse(d.lastAttemptAt!);
      const base = RETRY_DELAYS_MS[attempt - 1]!;
      expect(gap).toBeGreaterThanOrEqual(Math.floor(base * (1 - JITTER)));
      expect(gap).toBeLessThanOrEqual(Math.ceil(base * (1 + JITTER)));
      const clock = new Date(d.nextAttemptAt!);
      // Not yet due a second before; due at the time.
      await sweepWebhooks(deps(), new Date(clock.getTime() - 1000));
      expect((await delivery(endpoint.id, id)).attempts).toBe(attempt);
      await sweepWebhooks(deps(), clock);
      d = await delivery(endpoint.id, id);
      expect(d.attempts).toBe(attempt + 1);
    }
    expect(d).toMatchObject({ status: 'failed', nextAttemptAt: null, attempts: RETRY_DELAYS_MS.length + 1 });
    // About two and a half days: the endpoint is still enabled.
    expect((await api('GET', `/v1/webhooks/${endpoint.id}`)).json().enabled).toBe(true);
    // A manual retry makes one more attempt now.
    receiver.answerWith(200);
    expect((await api('POST', `/v1/webhooks/${endpoint.id}/deliveries/${id}/retry`)).statusCode).toBe(202);
    d = await until(endpoint.id, id, (x) => x.status === 'succeeded');
    expect(d.lastStatusCode).toBe(200);
    await api('DELETE', `/v1/webhooks/${endpoint.id}`);
  }, 180_000);

  it('rotation signs with both secrets during the overlap, with the new one alone after', async () => {
    receiver.answerWith(200);
    const endpoint = await createEndpoint({ events: ['incident.created'] });
    const rotated = await api('POST', `/v1/webhooks/${endpoint.id}/rotate-secret`);
    expect(rotated.statusCode).toBe(200);
    const { secret, previousSecretExpiresAt } = rotated.json() as {
      secret: string;
      previousSecretExpiresAt: string;
    };
    expect(secret).not.toBe(endpoint.secret);
    const test = await api('POST', `/v1/webhooks/${endpoint.id}/test`);
    const during = await receiver.waitFor(
      (r) => r.json.data.webhookEndpointId === endpoint.id,
      'test during overlap',
    );
    expect(String(during.headers['webhook-signature']).split(' ')).toHaveLength(2);
    new Webhook(secret).verify(during.raw, during.headers as Record<string, string>);
    new Webhook(endpoint.secret).verify(during.raw, during.headers as Record<string, string>);
    expect(test.json().webhookId).toBe(during.headers['webhook-id']);

    // After the overlap (test clock): a delivery carries the new signature only.
    const after = new Date(Date.parse(previousSecretExpiresAt) + 60_000);
    const [late] = await withTenant(t.database, [org.orgId], (tx) =>
      tx
        .insert(webhookDeliveries)
        .values({
          orgId: org.orgId,
          endpointId: endpoint.id,
          eventType: 'webhook.test',
          payload: { n: 2 },
          nextAttemptAt: new Date(),
        })
        .returning(),
    );
    await sweepWebhooks(deps(), after);
    const later = await receiver.waitFor((r) => r.json.data.n === 2, 'test after overlap');
    expect(String(later.headers['webhook-signature']).split(' ')).toHaveLength(1);
    new Webhook(secret).verify(later.raw, later.headers as Record<string, string>);
    expect(() =>
      new Webhook(endpoint.secret).verify(later.raw, later.headers as Record<string, string>),
    ).toThrow();
    expect(late).toBeDefined();
    await api('DELETE', `/v1/webhooks/${endpoint.id}`);
  }, 120_000);

  const disabledNotices = async () => {
    const rows = await withTenant(t.database, [org.orgId], (tx) =>
      tx
        .select()
        .from(notifications)
        .where(and(eq(notifications.orgId, org.orgId), eq(notifications.kind, 'webhook_disabled'))),
    );
    return rows;
  };

  it('a 410 answer disables the endpoint at once and tells the admins', async () => {
    receiver.answerWith(410);
    const before = (await disabledNotices()).length;
    const endpoint = await createEndpoint({ events: ['incident.created'] });
    const id = (await api('POST', `/v1/webhooks/${endpoint.id}/test`)).json().id as string;
    const d = await until(endpoint.id, id, (x) => x.status === 'failed');
    expect(d).toMatchObject({ attempts: 1, lastStatusCode: 410, lastError: 'gone', nextAttemptAt: null });
    const read = (await api('GET', `/v1/webhooks/${endpoint.id}`)).json();
    expect(read).toMatchObject({ enabled: false, disabledReason: 'gone' });
    const notices = await disabledNotices();
    expect(notices.length).toBe(before + 1);
    expect(notices.at(-1)).toMatchObject({ recipient: 'ada@example.com', channel: 'email' });
    expect(notices.at(-1)!.subject).toContain('127.0.0.1');
    // Disabled: no test, no retry; enabling again works.
    expect((await api('POST', `/v1/webhooks/${endpoint.id}/test`)).statusCode).toBe(409);
    expect((await api('PATCH', `/v1/webhooks/${endpoint.id}`, { enabled: true })).json()).toMatchObject({
      enabled: true,
      disabledReason: null,
    });
    await api('DELETE', `/v1/webhooks/${endpoint.id}`);
  }, 120_000);

  it('five days of continuous failure disables the endpoint and tells the admins', async () => {
    receiver.answerWith(503);
    const before = (await disabledNotices()).length;
    const endpoint = await createEndpoint({ events: ['incident.created'] });
    const first = (await api('POST', `/v1/webhooks/${endpoint.id}/test`)).json().id as string;
    let d = await until(
      endpoint.id,
      first,
      (x) => x.attempts === 1 && x.lastAttemptAt !== null && x.nextAttemptAt !== null,
    );
    const t0 = Date.parse(d.lastAttemptAt!);
    while (d.status === 'pending') {
      await sweepWebhooks(deps(), new Date(d.nextAttemptAt!));
      d = await delivery(endpoint.id, first);
    }
    expect(d.status).toBe('failed');
    expect((await api('GET', `/v1/webhooks/${endpoint.id}`)).json()).toMatchObject({ enabled: true });
    // Day four: another event fails; the endpoint has not failed for five days yet.
    const second = (await api('POST', `/v1/webhooks/${endpoint.id}/test`)).json().id as string;
    await sweepWebhooks(deps(), new Date(t0 + 4 * 86_400_000));
    d = await until(
      endpoint.id,
      second,
      (x) =>
        x.attempts >= 1 && x.lastAttemptAt !== null && x.status === 'pending' && x.nextAttemptAt !== null,
    );
    expect((await api('GET', `/v1/webhooks/${endpoint.id}`)).json()).toMatchObject({ enabled: true });
    // Five days after the first failure, the next failure disables it.
    await sweepWebhooks(deps(), new Date(t0 + 5 * 86_400_000 + 60_000));
    d = await delivery(endpoint.id, second);
    expect(d.status).toBe('failed');
    expect((await api('GET', `/v1/webhooks/${endpoint.id}`)).json()).toMatchObject({
      enabled: false,
      disabledReason: 'failing',
    });
    expect((await disabledNotices()).length).toBe(before + 1);
    const [audited] = await withTenant(t.database, [org.orgId], (tx) =>
      tx
        .select({ n: count() })
        .from(auditLog)
        .where(
          and(
            eq(auditLog.orgId, org.orgId),
            eq(auditLog.targetId, endpoint.id),
            eq(auditLog.action, 'webhook.disabled'),
          ),
        ),
    );
    expect(audited!.n).toBe(1);
    await api('DELETE', `/v1/webhooks/${endpoint.id}`);
  }, 180_000);

  it('refuses bad input with 400 and changes nothing', async () => {
    for (const body of [
      { url: 'ftp://example.com/x', events: ['incident.created'] },
      { url: receiver.url, events: [] },
      { url: receiver.url, events: ['nope'] },
      { url: 'https://user:pw@example.com/x', events: ['incident.created'] },
    ]) {
      const res = await api('POST', '/v1/webhooks', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
    }
    const [n] = await withTenant(t.database, [org.orgId], (tx) =>
      tx.select({ n: count() }).from(webhookEndpoints).where(eq(webhookEndpoints.orgId, org.orgId)),
    );
    expect(n!.n).toBe(0);
  });
});

describe('the outbound address guard for webhooks', () => {
  let t: TestApp;
  let answer = '93.184.216.34';
  let apiKey: string;

  beforeAll(async () => {
    t = await createTestApp({
      resolveHost: async () => [{ address: answer, family: 4 }],
    });
    ({ apiKey } = await t.createOrg('Guarded'));
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  }, 60_000);

  it('refuses a private address at save (400) and at delivery', async () => {
    const headers = { authorization: `Bearer ${apiKey}` };
    const refused = await t.app.inject({
      method: 'POST',
      url: '/v1/webhooks',
      headers,
      payload: { url: 'http://127.0.0.1:9/hook', events: ['incident.created'] },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json().issues[0].path).toBe('body.url');

    const saved = await t.app.inject({
      method: 'POST',
      url: '/v1/webhooks',
      headers,
      payload: { url: 'http://hooks.example.test/in', events: ['incident.created'] },
    });
    expect(saved.statusCode, saved.body).toBe(201);
    // DNS now answers a private address: the delivery is refused at call time.
    answer = '10.0.0.7';
    const id = saved.json().id as string;
    const test = await t.app.inject({ method: 'POST', url: `/v1/webhooks/${id}/test`, headers });
    expect(test.statusCode).toBe(202);
    for (let i = 0; i < 600; i++) {
      const log = await t.app.inject({ method: 'GET', url: `/v1/webhooks/${id}/deliveries`, headers });
      const d = log.json().deliveries[0] as Delivery;
      if (d.attempts > 0) {
        expect(d).toMatchObject({ lastError: 'address_refused', lastStatusCode: null });
        return;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('no attempt');
  }, 120_000);
});
