import { createHash } from 'node:crypto';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKinds } from '../../platform/db/test-database.js';
import { findInEveryColumn, openSuperuserSql, type SuperuserSql } from '../../testing/superuser-sql.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

describe.each(testDatabaseKinds)('API keys on %s', (kind) => {
  let t: TestApp;
  let su: SuperuserSql;
  let org: { orgId: string; apiKey: string };
  const as = (key: string, opts: InjectOptions) =>
    t.app.inject({ ...opts, headers: { authorization: `Bearer ${key}`, ...opts.headers } });

  beforeAll(async () => {
    t = await createTestApp({ kind });
    su = await openSuperuserSql(t.database);
    org = await t.createOrg('Keyed');
  });
  afterAll(async () => {
    await su?.close();
    await t?.close();
  });

  it('stores only the SHA-256 and a display prefix of every key, including the bootstrap key', async () => {
    const issued = await as(org.apiKey, {
      method: 'POST',
      url: '/v1/api-keys',
      payload: { name: 'ci', role: 'agent' },
    });
    expect(issued.statusCode).toBe(201);
    const { key, id, prefix } = issued.json();
    expect(key).toMatch(/^ck_[A-Za-z0-9_-]{40}$/);
    expect(prefix).toBe(key.slice(0, 11));

    for (const secret of [key, org.apiKey, t.platformKey]) {
      expect(await findInEveryColumn(su, secret)).toEqual([]);
      // Only the prefix is kept, never more of the key than that.
      expect(await findInEveryColumn(su, secret.slice(0, 20))).toEqual([]);
      const [row] = await su.query<{ key_hash: string; prefix: string }>(
        'select key_hash, prefix from api_keys where key_hash = $1',
        [sha256(secret)],
      );
      expect(row).toEqual({ key_hash: sha256(secret), prefix: secret.slice(0, 11) });
    }

    const listed = await as(org.apiKey, { method: 'GET', url: '/v1/api-keys' });
    expect(listed.body).not.toContain(key);
    expect(listed.json().keys.find((k: { id: string }) => k.id === id)).toMatchObject({
      prefix,
      role: 'agent',
    });
  });

  it('authenticates with a key, records its last use, and answers 401 once it is revoked', async () => {
    const { key, id } = (
      await as(org.apiKey, { method: 'POST', url: '/v1/api-keys', payload: { name: 'temp', role: 'viewer' } })
    ).json();
    expect((await as(key, { method: 'GET', url: '/v1/agents' })).statusCode).toBe(200);
    const [used] = await su.query<{ last_used_at: Date | null }>(
      'select last_used_at from api_keys where id = $1',
      [id],
    );
    expect(used?.last_used_at).not.toBeNull();

    const revoked = await as(org.apiKey, { method: 'DELETE', url: `/v1/api-keys/${id}` });
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json().revokedAt).not.toBeNull();

    const after = await as(key, { method: 'GET', url: '/v1/agents' });
    expect(after.statusCode).toBe(401);
    expect(after.headers['content-type']).toContain('application/problem+json');
    // Revoking again keeps the first revocation time.
    const again = await as(org.apiKey, { method: 'DELETE', url: `/v1/api-keys/${id}` });
    expect(again.json().revokedAt).toBe(revoked.json().revokedAt);
  });

  it('rejects keys that differ by one character, and unknown keys', async () => {
    const flipped = `${org.apiKey.slice(0, -1)}${org.apiKey.endsWith('A') ? 'B' : 'A'}`;
    expect((await as(flipped, { method: 'GET', url: '/v1/agents' })).statusCode).toBe(401);
    expect((await as(`ck_${'a'.repeat(40)}`, { method: 'GET', url: '/v1/agents' })).statusCode).toBe(401);
  });

  it('does not let a key issue a key above its own role, nor a viewer manage keys', async () => {
    const admin = (
      await as(org.apiKey, { method: 'POST', url: '/v1/api-keys', payload: { name: 'adm', role: 'admin' } })
    ).json().key;
    const viewer = (
      await as(org.apiKey, { method: 'POST', url: '/v1/api-keys', payload: { name: 'view', role: 'viewer' } })
    ).json().key;
    expect(
      (await as(admin, { method: 'POST', url: '/v1/api-keys', payload: { name: 'x', role: 'owner' } }))
        .statusCode,
    ).toBe(403);
    expect((await as(viewer, { method: 'GET', url: '/v1/api-keys' })).statusCode).toBe(403);
    expect(
      (await as(viewer, { method: 'POST', url: '/v1/api-keys', payload: { name: 'x', role: 'viewer' } }))
        .statusCode,
    ).toBe(403);
  });

  it('records key creation and revocation in the audit log by id only', async () => {
    const rows = await su.query<{ action: string; target_id: string; metadata: unknown }>(
      `select action, target_id, metadata from audit_log where org_id = $1 and action like 'api_key.%' order by seq`,
      [org.orgId],
    );
    expect(rows.map((r) => r.action)).toContain('api_key.revoked');
    expect(JSON.stringify(rows)).not.toMatch(/ck_[A-Za-z0-9_-]{12,}/);
  });
});
