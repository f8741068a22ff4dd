import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKinds } from '../../platform/db/test-database.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';

describe.each(testDatabaseKinds)('agents API on %s', (kind) => {
  let t: TestApp;
  let key: string;
  beforeAll(async () => {
    t = await createTestApp({ kind });
    ({ apiKey: key } = await t.createOrg('Acme'));
  });
  afterAll(() => t?.close());

  const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) =>
    t.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${key}` },
      ...(payload ? { payload } : {}),
    });

  it('creates, reads, changes and deletes an agent', async () => {
    const created = await call('POST', '/v1/agents', {
      name: 'Helper',
      greeting: 'Hi!',
      starters: ['Where is my order?'],
      allowedOrigins: ['https://shop.example'],
    });
    expect(created.statusCode).toBe(201);
    const agent = created.json();
    expect(agent.publishableKey).toMatch(/^pk_/);
    expect(agent.answerMode).toBe('extractive');

    const listed = await call('GET', '/v1/agents');
    expect(listed.json().agents.map((a: { id: string }) => a.id)).toEqual([agent.id]);

    const patched = await call('PATCH', `/v1/agents/${agent.id}`, { name: 'Helper 2' });
    expect(patched.statusCode).toBe(200);
    expect(patched.json().name).toBe('Helper 2');

    expect((await call('DELETE', `/v1/agents/${agent.id}`)).statusCode).toBe(204);
    expect((await call('GET', `/v1/agents/${agent.id}`)).statusCode).toBe(404);
  });

  it('rejects an origin with a path', async () => {
    const res = await call('POST', '/v1/agents', { name: 'X', allowedOrigins: ['https://a.example/page'] });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().issues[0].path).toContain('allowedOrigins');
  });
});
