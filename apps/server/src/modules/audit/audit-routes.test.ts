import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKinds } from '../../platform/db/test-database.js';
import { openSuperuserSql, type SuperuserSql } from '../../testing/superuser-sql.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';

/** The audit log's read API: newest first, filters, stable pages, admin only, live verification. */
describe.each(testDatabaseKinds)('audit routes on %s', (kind) => {
  let t: TestApp;
  let su: SuperuserSql;
  let org: { orgId: string; apiKey: string };
  let agentKey: string;
  const as = (key: string, opts: InjectOptions) =>
    t.app.inject({ ...opts, headers: { authorization: `Bearer ${key}`, ...opts.headers } });

  beforeAll(async () => {
    t = await createTestApp({ kind });
    su = await openSuperuserSql(t.database);
    org = await t.createOrg('Audited');
    for (const name of ['one', 'two', 'three'])
      await as(org.apiKey, { method: 'POST', url: '/v1/agents', payload: { name } });
    const key = await as(org.apiKey, {
      method: 'POST',
      url: '/v1/api-keys',
      payload: { name: 'ops', role: 'agent' },
    });
    agentKey = key.json().key;
  });
  afterAll(async () => {
    await su?.close();
    await t?.close();
  });

  it('lists entries newest first, filters by action or prefix, and pages without repeats', async () => {
    const all = await as(org.apiKey, { method: 'GET', url: '/v1/audit' });
    expect(all.statusCode, all.body).toBe(200);
    const entries = all.json().entries as { seq: number; action: string; metadata: object }[];
    expect(entries.map((e) => e.seq)).toEqual([...entries.map((e) => e.seq)].sort((a, b) => b - a));
    expect(entries.map((e) => e.action)).toEqual(
      expect.arrayContaining(['org.created', 'api_key.created', 'agent.created']),
    );
    const agents = await as(org.apiKey, { method: 'GET', url: '/v1/audit?action=agent.created' });
    expect(agents.json().entries.map((e: { action: string }) => e.action)).toEqual([
      'agent.created',
      'agent.created',
      'agent.created',
    ]);
    const keys = await as(org.apiKey, { method: 'GET', url: '/v1/audit?action=api_key.' });
    expect(new Set(keys.json().entries.map((e: { action: string }) => e.action))).toEqual(
      new Set(['api_key.created']),
    );

    const seen: number[] = [];
    let cursor: number | null = null;
    do {
      const page = await as(org.apiKey, {
        method: 'GET',
        url: `/v1/audit?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      });
      seen.push(...page.json().entries.map((e: { seq: number }) => e.seq));
      cursor = page.json().nextCursor;
    } while (cursor !== null);
    expect(seen).toEqual(entries.map((e) => e.seq));
  });

  it('is for admins, and bad filters are a 400', async () => {
    const agent = await as(agentKey, { method: 'GET', url: '/v1/audit' });
    expect(agent.statusCode).toBe(403);
    for (const url of ['/v1/audit?action=DROP%20TABLE', '/v1/audit?cursor=-1', '/v1/audit?actor=%25']) {
      const res = await as(org.apiKey, { method: 'GET', url });
      expect(res.statusCode, url).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
  });

  it('verifies the chain now, and names the first entry rewritten behind the app’s back', async () => {
    const ok = await as(org.apiKey, { method: 'GET', url: '/v1/audit/verify' });
    expect(ok.json()).toMatchObject({ verified: true, problem: null });
    expect(ok.json().entries).toBeGreaterThan(4);
    await su.exec(`BEGIN;
      ALTER TABLE audit_log DISABLE TRIGGER USER;
      UPDATE audit_log SET action = 'agent.deleted' WHERE org_id = '${org.orgId}' AND seq = 3;
      ALTER TABLE audit_log ENABLE TRIGGER USER;
      COMMIT;`);
    const bad = await as(org.apiKey, { method: 'GET', url: '/v1/audit/verify' });
    expect(bad.json()).toMatchObject({ verified: false, problem: { seq: 3, kind: 'broken' } });
  });
});
