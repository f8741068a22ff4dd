import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKinds } from '../../platform/db/test-database.js';
import type { ResolveHost } from '../../platform/net/outbound-policy.js';
import { findInEveryColumn, openSuperuserSql, type SuperuserSql } from '../../testing/superuser-sql.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { purgeOrganization } from '../privacy/retention/purge.js';
import { type ActionServer, json, startActionServer } from './testing/action-server.js';

/**
 * Agents' HTTP actions through the real API, against a real local HTTP service: what the
 * service receives (URL, method, decrypted headers, body), what the call log and the log lines
 * keep (never a sensitive value or a header value), the address guard at save and at call
 * time, the timeout and the response size limit.
 */
const SECRET_HEADER = 'sk-live-HEADER-CANARY-93c1';
const SENSITIVE_EMAIL = 'canary.visitor+7f2@example.org';

const orderAction = (origin: string) => ({
  name: 'cancel_order',
  description: 'Cancel an order that has not shipped yet',
  method: 'POST',
  urlTemplate: `${origin}/api/orders/{orderId}/cancel`,
  parameters: {
    type: 'object',
    properties: {
      orderId: { type: 'string', description: 'The order number' },
      email: { type: 'string', description: 'The buyer’s email', sensitive: true },
      reason: { type: 'string', enum: ['changed_mind', 'too_late'] },
      quantity: { type: 'integer' },
    },
    required: ['orderId', 'email'],
  },
  headers: [
    { name: 'X-Api-Key', value: SECRET_HEADER },
    { name: 'X-Shop', value: 'lumen' },
  ],
});

describe.each(testDatabaseKinds)('agent actions on %s', (kind) => {
  let t: TestApp;
  let su: SuperuserSql;
  let service: ActionServer;
  let org: { orgId: string; apiKey: string };
  let agentId: string;
  const logLines: string[] = [];
  const as = (key: string) => ({ authorization: `Bearer ${key}` });
  const admin = () => as(org.apiKey);

  beforeAll(async () => {
    service = await startActionServer();
    t = await createTestApp({
      kind,
      env: { CONFIDANT_ALLOW_PRIVATE_NETWORKS: 'true', LOG_LEVEL: 'info' },
      logStream: { write: (line) => void logLines.push(line) },
    });
    su = await openSuperuserSql(t.database);
    org = await t.createOrg('Lumen');
    const agent = await t.app.inject({
      method: 'POST',
      url: '/v1/agents',
      headers: admin(),
      payload: { name: 'Shop helper' },
    });
    agentId = agent.json().id;
    // Creating a database and an app can take long on a loaded 2-core machine.
  }, 180_000);
  afterAll(async () => {
    await su?.close();
    await t?.close();
    await service?.close();
  });

  const create = (payload: unknown) =>
    t.app.inject({
      method: 'POST',
      url: `/v1/agents/${agentId}/actions`,
      headers: admin(),
      payload: payload as InjectOptions['payload'],
    });
  const runTest = (actionId: string, parameters: Record<string, unknown>) =>
    t.app.inject({
      method: 'POST',
      url: `/v1/agents/${agentId}/actions/${actionId}/test`,
      headers: admin(),
      payload: { parameters },
    });

  it('sends the request the action describes, with its headers decrypted, and returns the JSON answer', async () => {
    const created = await create(orderAction(service.origin));
    expect(created.statusCode, created.body).toBe(201);
    const action = created.json();
    // Header values are write-only.
    expect(action.headers).toEqual([
      { name: 'X-Api-Key', hasValue: true },
      { name: 'X-Shop', hasValue: true },
    ]);
    expect(created.body).not.toContain(SECRET_HEADER);
    service.reply = () => json({ status: 'cancelled', refund: '12.00' });

    const res = await runTest(action.id, {
      orderId: 'A/17 b',
      email: SENSITIVE_EMAIL,
      reason: 'changed_mind',
      quantity: 2,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      outcome: 'ok',
      httpStatus: 200,
      contentType: 'application/json',
      response: { status: 'cancelled', refund: '12.00' },
      error: null,
    });
    const received = service.received.at(-1)!;
    expect(received.method).toBe('POST');
    // The placeholder is one URL component: "/" and " " cannot add a path segment.
    expect(received.url).toBe('/api/orders/A%2F17%20b/cancel');
    expect(received.headers['x-api-key']).toBe(SECRET_HEADER);
    expect(received.headers['x-shop']).toBe('lumen');
    expect(received.headers['content-type']).toBe('application/json');
    expect(JSON.parse(received.body)).toEqual({
      email: SENSITIVE_EMAIL,
      reason: 'changed_mind',
      quantity: 2,
    });
  });

  it('puts the unused parameters in the query for GET', async () => {
    const created = await create({
      name: 'order_status',
      method: 'GET',
      urlTemplate: `${service.origin}/api/orders/{orderId}`,
      parameters: {
        type: 'object',
        properties: { orderId: { type: 'string' }, lang: { type: 'string' } },
        required: ['orderId'],
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    service.reply = () => ({ status: 200, headers: { 'content-type': 'text/plain' }, body: 'shipped' });
    const res = await runTest(created.json().id, { orderId: '42', lang: 'fr & de' });
    expect(res.json()).toMatchObject({ outcome: 'ok', response: 'shipped' });
    const received = service.received.at(-1)!;
    expect(received).toMatchObject({ method: 'GET', url: '/api/orders/42?lang=fr+%26+de', body: '' });
  });

  it('keeps sensitive values and header values out of the call log, the database and the log lines', async () => {
    const [action] = (
      await t.app.inject({ method: 'GET', url: `/v1/agents/${agentId}/actions`, headers: admin() })
    ).json().actions as { id: string; name: string }[];
    expect(action!.name).toBe('cancel_order');
    const calls = await t.app.inject({
      method: 'GET',
      url: `/v1/agents/${agentId}/actions/${action!.id}/calls`,
      headers: admin(),
    });
    expect(calls.statusCode).toBe(200);
    const [call] = calls.json().calls;
    expect(call).toMatchObject({
      source: 'test',
      outcome: 'ok',
      httpStatus: 200,
      conversationId: null,
      parameters: { orderId: 'A/17 b', email: '[redacted]', reason: 'changed_mind', quantity: 2 },
    });
    expect(call.durationMs).toBeGreaterThanOrEqual(0);
    expect(call.responseBytes).toBeGreaterThan(0);
    expect(calls.body).not.toContain(SENSITIVE_EMAIL);
    // Nowhere in the database in clear: not the log, not the audit log, not the events.
    expect(await findInEveryColumn(su, SENSITIVE_EMAIL)).toEqual([]);
    expect(await findInEveryColumn(su, SECRET_HEADER)).toEqual([]);
    const logged = logLines.join('\n');
    expect(logged).toContain('action called');
    expect(logged).not.toContain(SENSITIVE_EMAIL);
    expect(logged).not.toContain(SECRET_HEADER);
    expect(logged).not.toContain('A/17 b');
  });

  it('keeps a stored header value when a PATCH names the header without one, and replaces it when given', async () => {
    const created = await create({
      ...orderAction(service.origin),
      name: 'refund_order',
    });
    const id = created.json().id;
    const patch = await t.app.inject({
      method: 'PATCH',
      url: `/v1/agents/${agentId}/actions/${id}`,
      headers: admin(),
      payload: { headers: [{ name: 'X-Api-Key' }, { name: 'X-Extra', value: 'two' }], timeoutMs: 4000 },
    });
    expect(patch.statusCode, patch.body).toBe(200);
    expect(patch.json()).toMatchObject({
      timeoutMs: 4000,
      headers: [
        { name: 'X-Api-Key', hasValue: true },
        { name: 'X-Extra', hasValue: true },
      ],
    });
    await runTest(id, { orderId: '1', email: 'a@b.example' });
    const received = service.received.at(-1)!;
    expect(received.headers['x-api-key']).toBe(SECRET_HEADER);
    expect(received.headers['x-extra']).toBe('two');
    expect(received.headers['x-shop']).toBeUndefined();
    const missing = await t.app.inject({
      method: 'PATCH',
      url: `/v1/agents/${agentId}/actions/${id}`,
      headers: admin(),
      payload: { headers: [{ name: 'X-Unknown' }] },
    });
    expect(missing.statusCode).toBe(400);
    const removed = await t.app.inject({
      method: 'DELETE',
      url: `/v1/agents/${agentId}/actions/${id}`,
      headers: admin(),
    });
    expect(removed.statusCode).toBe(204);
  });

  it('refuses bad definitions and bad arguments with a 400 naming the field', async () => {
    const base = orderAction(service.origin);
    const cases: [unknown, string][] = [
      [{ ...base, name: 'Cancel Order' }, 'body.name'],
      [{ ...base, name: 'x_unknown', urlTemplate: `${service.origin}/a/{nope}` }, 'body.urlTemplate'],
      [{ ...base, name: 'x_host', urlTemplate: 'https://{orderId}.example/a' }, 'body.urlTemplate'],
      [{ ...base, name: 'x_ftp', urlTemplate: 'ftp://files.example/a' }, 'body.urlTemplate'],
      [{ ...base, name: 'x_timeout', timeoutMs: 60_000 }, 'body.timeoutMs'],
      [
        { ...base, name: 'x_nested', parameters: { type: 'object', properties: { a: { type: 'object' } } } },
        'body.parameters',
      ],
      [{ ...base, name: 'x_header', headers: [{ name: 'Host', value: 'evil' }] }, 'body.headers'],
      [{ ...base, name: 'x_crlf', headers: [{ name: 'X-A', value: 'a\r\nX-B: b' }] }, 'body.headers'],
    ];
    for (const [payload, path] of cases) {
      const res = await create(payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(
        res
          .json()
          .issues.map((i: { path: string }) => i.path)
          .join(' '),
      ).toContain(path);
    }
    const duplicate = await create(base);
    expect(duplicate.statusCode).toBe(409);

    const [action] = (
      await t.app.inject({ method: 'GET', url: `/v1/agents/${agentId}/actions`, headers: admin() })
    ).json().actions as { id: string }[];
    const before = service.received.length;
    for (const parameters of [
      { email: 'x@y.example' },
      { orderId: 5, email: 'x' },
      { orderId: '1', email: 'x', reason: 'other' },
      { orderId: '1', email: 'x', extra: 1 },
    ]) {
      const res = await runTest(action!.id, parameters);
      expect(res.statusCode, JSON.stringify(parameters)).toBe(400);
      expect(res.body).not.toContain('x@y.example');
    }
    expect(service.received.length).toBe(before);
  });

  it('stops at the timeout and refuses a response over the size limit', async () => {
    const slow = await create({
      name: 'slow_lookup',
      method: 'GET',
      urlTemplate: `${service.origin}/slow`,
      timeoutMs: 200,
    });
    service.reply = () => ({ ...json({ late: true }), delayMs: 3000 });
    const timedOut = await runTest(slow.json().id, {});
    expect(timedOut.json()).toMatchObject({ outcome: 'timeout', httpStatus: null, response: null });
    expect(timedOut.json().error).toContain('200 ms');

    const big = await create({
      name: 'big_lookup',
      method: 'GET',
      urlTemplate: `${service.origin}/big`,
      maxResponseBytes: 1024,
    });
    service.reply = () => ({
      status: 200,
      headers: { 'content-type': 'text/plain' },
      body: 'x'.repeat(5000),
    });
    const tooLarge = await runTest(big.json().id, {});
    expect(tooLarge.json()).toMatchObject({ outcome: 'too_large', response: null });

    service.reply = () => json({ error: 'no such order' }, 404);
    const notFound = await runTest(big.json().id, {});
    expect(notFound.json()).toMatchObject({
      outcome: 'http_error',
      httpStatus: 404,
      response: { error: 'no such order' },
    });

    const log = await t.app.inject({
      method: 'GET',
      url: `/v1/agents/${agentId}/actions/${big.json().id}/calls`,
      headers: admin(),
    });
    expect(log.json().calls.map((c: { outcome: string }) => c.outcome)).toEqual(['http_error', 'too_large']);
    // The log holds status and size, never the body.
    expect(log.body).not.toContain('no such order');
  });

  it('refuses a cloud metadata address even with private networks allowed', async () => {
    const res = await create({
      name: 'metadata',
      method: 'GET',
      urlTemplate: 'http://169.254.169.254/latest/meta-data/iam',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().detail).toContain('metadata');
  });

  it('lets admins only define and test actions; operators may list approvals', async () => {
    const key = await t.app.inject({
      method: 'POST',
      url: '/v1/api-keys',
      headers: admin(),
      payload: { name: 'operator', role: 'agent' },
    });
    const operator = as(key.json().key);
    const list = await t.app.inject({
      method: 'GET',
      url: `/v1/agents/${agentId}/actions`,
      headers: operator,
    });
    expect(list.statusCode).toBe(403);
    const made = await t.app.inject({
      method: 'POST',
      url: `/v1/agents/${agentId}/actions`,
      headers: operator,
      payload: orderAction(service.origin),
    });
    expect(made.statusCode).toBe(403);
    const approvals = await t.app.inject({ method: 'GET', url: '/v1/action-approvals', headers: operator });
    expect(approvals.statusCode).toBe(200);
  });

  it('purges the call log with the transcripts retention period', async () => {
    const count = async () =>
      (
        await su.query<{ n: number }>('select count(*)::int as n from action_calls where org_id = $1', [
          org.orgId,
        ])
      )[0]!.n;
    const before = await count();
    expect(before).toBeGreaterThan(0);
    await purgeOrganization(t, org.orgId, { now: new Date(Date.now() + 29 * 86_400_000) });
    expect(await count()).toBe(before);
    await purgeOrganization(t, org.orgId, { now: new Date(Date.now() + 31 * 86_400_000) });
    expect(await count()).toBe(0);
  });

  it('audits definitions with ids only', async () => {
    const audit = await t.app.inject({ method: 'GET', url: '/v1/audit?limit=100', headers: admin() });
    const entries = (audit.json().entries as { action: string; metadata: unknown }[]).filter((e) =>
      e.action.startsWith('agent_action.'),
    );
    expect(entries.map((e) => e.action)).toContain('agent_action.created');
    expect(audit.body).not.toContain(SECRET_HEADER);
    expect(audit.body).not.toContain('api/orders');
  });
});

/** A steered resolver: host → addresses, changeable between the save and the call. */
function steeredResolver(table: Record<string, string[]>): ResolveHost {
  return async (host) => {
    const addresses = table[host];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
}

describe.each(testDatabaseKinds)('action URLs under the address guard on %s', (kind) => {
  let t: TestApp;
  let org: { orgId: string; apiKey: string };
  let agentId: string;
  const dns: Record<string, string[]> = { 'shop.example': ['93.184.215.14'] };

  beforeAll(async () => {
    t = await createTestApp({ kind, resolveHost: steeredResolver(dns) });
    org = await t.createOrg('Guarded');
    const agent = await t.app.inject({
      method: 'POST',
      url: '/v1/agents',
      headers: { authorization: `Bearer ${org.apiKey}` },
      payload: { name: 'Guarded helper' },
    });
    agentId = agent.json().id;
    // Creating a database and an app can take long on a loaded 2-core machine.
  }, 180_000);
  afterAll(() => t?.close());

  const create = (name: string, urlTemplate: string) =>
    t.app.inject({
      method: 'POST',
      url: `/v1/agents/${agentId}/actions`,
      headers: { authorization: `Bearer ${org.apiKey}` },
      payload: { name, method: 'GET', urlTemplate },
    });

  it.each([
    ['loopback', 'http://127.0.0.1:8080/admin'],
    ['private', 'http://10.0.0.5/internal/orders'],
    ['metadata', 'http://169.254.169.254/latest/meta-data/'],
    ['ipv6 loopback', 'http://[::1]/x'],
  ])('refuses a %s URL when it is saved', async (_, url) => {
    const res = await create('probe', url);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().issues[0].path).toBe('body.urlTemplate');
  });

  it('refuses at call time when the name resolves to a private address by then (422, logged as refused)', async () => {
    const saved = await create('lookup', 'https://shop.example/api/orders');
    expect(saved.statusCode, saved.body).toBe(201);
    dns['shop.example'] = ['10.1.2.3'];
    const res = await t.app.inject({
      method: 'POST',
      url: `/v1/agents/${agentId}/actions/${saved.json().id}/test`,
      headers: { authorization: `Bearer ${org.apiKey}` },
      payload: { parameters: {} },
    });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().detail).toContain('10.1.2.3');
    const log = await t.app.inject({
      method: 'GET',
      url: `/v1/agents/${agentId}/actions/${saved.json().id}/calls`,
      headers: { authorization: `Bearer ${org.apiKey}` },
    });
    expect(log.json().calls.map((c: { outcome: string }) => c.outcome)).toEqual(['refused']);
  });
});
