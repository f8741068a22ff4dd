import { scryptSync } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../platform/db/query-rows.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { testDatabaseKinds } from '../../platform/db/test-database.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { createUserWithMembership } from './service.js';
import { CONSOLE_ORIGIN, ConsoleClient } from './test-console-client.js';

/** Every text value in every column of every table, as seen by a superuser-free full scan. */
async function allStoredText(t: TestApp, orgIds: string[]): Promise<string> {
  const tables = await queryRows<{ table_name: string }>(
    t.database.db,
    sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`,
  );
  return withTenant(t.database, orgIds, async (tx) => {
    const parts: string[] = [];
    for (const { table_name } of tables) {
      const rows = await queryRows<{ r: string }>(
        tx,
        sql`select t::text as r from ${sql.identifier(table_name)} t`,
      );
      parts.push(...rows.map((r) => r.r));
    }
    return parts.join('\n');
  });
}

describe.each(testDatabaseKinds)('console users on %s', (kind) => {
  let t: TestApp;
  let org: { orgId: string; apiKey: string };
  let other: { orgId: string; apiKey: string };
  const password = 'correct horse battery';

  beforeAll(async () => {
    t = await createTestApp({ kind, env: { PUBLIC_URL: CONSOLE_ORIGIN, CONFIDANT_ALLOW_SIGNUP: 'true' } });
    org = await t.createOrg('Acme');
    other = await t.createOrg('Other');
  });
  afterAll(() => t?.close());

  it('signs up, signs in and answers /v1/me; the password is stored only as a scrypt hash', async () => {
    const client = new ConsoleClient(t.app);
    const up = await client.signUp('Ada@Example.com', password, 'Ada');
    expect(up.statusCode, up.body).toBe(200);
    const userId = up.json().user.id as string;
    await client.signOut();
    expect((await client.request({ method: 'GET', url: '/v1/me' })).statusCode).toBe(401);

    const wrong = await client.signIn('ada@example.com', 'not the password');
    expect(wrong.statusCode).toBe(401);
    expect(wrong.headers['content-type']).toContain('application/problem+json');

    const signIn = await client.signIn('ada@example.com', password);
    expect(signIn.statusCode, signIn.body).toBe(200);
    const session = signIn.cookies.find((c) => c.name.endsWith('session_token'));
    expect(session?.httpOnly).toBe(true);
    expect(session?.sameSite).toBe('Lax');

    const me = await client.request({ method: 'GET', url: '/v1/me' });
    expect(me.statusCode, me.body).toBe(200);
    expect(me.json()).toEqual({
      id: userId,
      email: 'ada@example.com',
      name: 'Ada',
      twoFactorEnabled: false,
      memberships: [],
    });

    const [account] = await queryRows<{ password: string; provider_id: string }>(
      t.database.db,
      sql`select password, provider_id from accounts where user_id = ${userId}`,
    );
    expect(account!.provider_id).toBe('credential');
    const [salt, key] = account!.password.split(':');
    expect(salt).toMatch(/^[0-9a-f]{32}$/);
    expect(key).toMatch(/^[0-9a-f]{128}$/);
    // Recomputing scrypt with Better Auth's parameters reproduces the stored key: it is scrypt.
    const recomputed = scryptSync(password.normalize('NFKC'), salt!, 64, {
      N: 16384,
      r: 16,
      p: 1,
      maxmem: 64 * 1024 * 1024,
    });
    expect(recomputed.toString('hex')).toBe(key);
    expect(await allStoredText(t, [org.orgId, other.orgId])).not.toContain(password);
  });

  it('rejects short passwords, malformed emails and duplicate sign-ups with 4xx', async () => {
    const client = new ConsoleClient(t.app);
    const short = await client.signUp('short@example.com', 'too-short');
    expect(short.statusCode).toBe(400);
    const badEmail = await client.signUp('not-an-email', password);
    expect(badEmail.statusCode).toBe(400);
    await client.signUp('dup@example.com', password);
    const dup = await new ConsoleClient(t.app).signUp('DUP@example.com', password);
    expect(dup.statusCode).toBeGreaterThanOrEqual(400);
    expect(dup.statusCode).toBeLessThan(500);
    const [{ n }] = (await queryRows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from users where email in ('short@example.com', 'not-an-email')`,
    )) as [{ n: number }];
    expect(n).toBe(0);
  });

  it('refuses sign-in from a foreign origin when cookies are present', async () => {
    const client = new ConsoleClient(t.app);
    await client.signUp('origin@example.com', password);
    const res = await client.request({
      method: 'POST',
      url: '/api/auth/sign-in/email',
      payload: { email: 'origin@example.com', password },
      headers: { origin: 'https://evil.example' },
    });
    expect(res.statusCode).toBe(403);
  });

  it('acts in an org only as a member: a session + X-Confidant-Org of another org → 403 and no data', async () => {
    const { userId } = await createUserWithMembership(t, {
      email: 'viewer@example.com',
      password,
      name: 'Vera',
      orgId: org.orgId,
      role: 'viewer',
    });
    const agent = await t.app.inject({
      method: 'POST',
      url: '/v1/agents',
      headers: { authorization: `Bearer ${other.apiKey}` },
      payload: { name: 'Secret agent' },
    });
    expect(agent.statusCode).toBe(201);

    const client = new ConsoleClient(t.app);
    expect((await client.signIn('viewer@example.com', password)).statusCode).toBe(200);

    const foreign = await client.inOrg(other.orgId, { method: 'GET', url: '/v1/agents' });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.body).not.toContain('Secret agent');
    const missing = await client.inOrg('00000000-0000-4000-8000-000000000000', {
      method: 'GET',
      url: '/v1/agents',
    });
    expect(missing.statusCode).toBe(403);
    expect(missing.json().detail).toBe(foreign.json().detail);

    // One membership: the org header may be left out.
    const own = await client.inOrg(undefined, { method: 'GET', url: '/v1/agents' });
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json().agents).toEqual([]);

    const me = await client.request({ method: 'GET', url: '/v1/me' });
    expect(me.json().memberships).toEqual([{ orgId: org.orgId, orgName: 'Acme', role: 'viewer' }]);
    expect(me.json().id).toBe(userId);
  });

  it('enforces roles for session users: a viewer can list agents but not create one', async () => {
    const client = new ConsoleClient(t.app);
    await client.signIn('viewer@example.com', password);
    const list = await client.inOrg(org.orgId, { method: 'GET', url: '/v1/agents' });
    expect(list.statusCode).toBe(200);
    const create = await client.inOrg(org.orgId, {
      method: 'POST',
      url: '/v1/agents',
      payload: { name: 'Nope' },
    });
    expect(create.statusCode).toBe(403);
    const agents = await t.app.inject({
      method: 'GET',
      url: '/v1/agents',
      headers: { authorization: `Bearer ${org.apiKey}` },
    });
    expect(agents.json().agents).toEqual([]);
  });

  it('refuses state-changing session requests from a foreign origin (CSRF)', async () => {
    await createUserWithMembership(t, {
      email: 'admin@example.com',
      password,
      name: 'Al',
      orgId: org.orgId,
      role: 'admin',
    });
    const client = new ConsoleClient(t.app);
    await client.signIn('admin@example.com', password);
    const evil = await client.inOrg(org.orgId, {
      method: 'POST',
      url: '/v1/agents',
      payload: { name: 'CSRF' },
      headers: { origin: 'https://evil.example' },
    });
    expect(evil.statusCode).toBe(403);
    const ok = await client.inOrg(org.orgId, {
      method: 'POST',
      url: '/v1/agents',
      payload: { name: 'Mine' },
    });
    expect(ok.statusCode, ok.body).toBe(201);
    const agents = await client.inOrg(org.orgId, { method: 'GET', url: '/v1/agents' });
    expect(agents.json().agents.map((a: { name: string }) => a.name)).toEqual(['Mine']);
  });

  it('records user.signed_in in every org of the user, with ids only', async () => {
    const { userId } = await createUserWithMembership(t, {
      email: 'audit.me@example.com',
      password,
      name: 'Audrey Auditson',
      orgId: org.orgId,
      role: 'agent',
    });
    const client = new ConsoleClient(t.app);
    expect((await client.signIn('audit.me@example.com', password)).statusCode).toBe(200);
    const entries = await withTenant(t.database, [org.orgId, other.orgId], (tx) =>
      queryRows<{ org_id: string; actor_type: string; actor_id: string; target_id: string; row: string }>(
        tx,
        sql`select org_id, actor_type, actor_id, target_id, a::text as row from audit_log a where action = 'user.signed_in' and actor_id = ${userId}`,
      ),
    );
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      org_id: org.orgId,
      actor_type: 'user',
      actor_id: userId,
      target_id: userId,
    });
    expect(entries[0]!.row).not.toContain('audit.me');
    expect(entries[0]!.row).not.toContain('Auditson');
  });

  it('records a failed sign-in of an existing account (reason, ids only) and nothing for an unknown email', async () => {
    const { userId } = await createUserWithMembership(t, {
      email: 'guessed@example.com',
      password,
      name: 'Gus Guessed',
      orgId: org.orgId,
      role: 'agent',
    });
    const failed = await new ConsoleClient(t.app).signIn('guessed@example.com', 'not-the-password-at-all');
    expect(failed.statusCode).toBe(401);
    const unknown = await new ConsoleClient(t.app).signIn('nobody-here@example.com', 'whatever-password-1');
    expect(unknown.statusCode).toBe(401);
    const rows = await withTenant(t.database, [org.orgId, other.orgId], (tx) =>
      queryRows<{ actor_id: string; metadata: Record<string, string>; row: string }>(
        tx,
        sql`select actor_id, metadata, a::text as row from audit_log a where action = 'user.sign_in_failed'`,
      ),
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      actor_id: userId,
      metadata: { method: 'password', reason: 'invalid_email_or_password' },
    });
    expect(rows[0]!.row).not.toContain('guessed@');
    expect(rows[0]!.row).not.toContain('not-the-password');
    expect(JSON.stringify(rows)).not.toContain('nobody-here');
  });

  it('records a request refused for lack of role as access.denied, once a minute per route', async () => {
    const key = await t.app.inject({
      method: 'POST',
      url: '/v1/api-keys',
      headers: { authorization: `Bearer ${org.apiKey}` },
      payload: { name: 'viewer', role: 'viewer' },
    });
    const { id: keyId, key: viewerKey } = key.json() as { id: string; key: string };
    for (let i = 0; i < 3; i++) {
      const denied = await t.app.inject({
        method: 'POST',
        url: '/v1/agents',
        headers: { authorization: `Bearer ${viewerKey}` },
        payload: { name: 'Not allowed' },
      });
      expect(denied.statusCode).toBe(403);
    }
    const rows = await withTenant(t.database, [org.orgId], (tx) =>
      queryRows<{
        actor_type: string;
        actor_id: string;
        target_type: string;
        target_id: string;
        metadata: unknown;
      }>(
        tx,
        sql`select actor_type, actor_id, target_type, target_id, metadata from audit_log where action = 'access.denied' and actor_id = ${keyId}`,
      ),
    );
    expect(rows).toEqual([
      {
        actor_type: 'api_key',
        actor_id: keyId,
        target_type: 'route',
        target_id: 'POST /v1/agents',
        metadata: { reason: 'role', role: 'viewer' },
      },
    ]);
  });

  it('answers session-only routes with 401 without a session and 403 for an API key', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/v1/me' })).statusCode).toBe(401);
    const withKey = await t.app.inject({
      method: 'GET',
      url: '/v1/me',
      headers: { authorization: `Bearer ${org.apiKey}` },
    });
    expect(withKey.statusCode).toBe(403);
    const bogus = await t.app.inject({
      method: 'GET',
      url: '/v1/me',
      headers: { authorization: 'Bearer ck_nope' },
    });
    expect(bogus.statusCode).toBe(401);
    const forged = await t.app.inject({
      method: 'GET',
      url: '/v1/me',
      headers: { cookie: 'confidant.session_token=forged.value' },
    });
    expect(forged.statusCode).toBe(401);
  });
});
