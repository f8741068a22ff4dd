import { setTimeout as sleep } from 'node:timers/promises';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hotCacheOf } from '../../platform/cache/hot-cache.js';
import { memberships, sessions, users } from '../../platform/db/schema/index.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { testDatabaseKinds } from '../../platform/db/test-database.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { createUserWithMembership } from './service.js';
import { CONSOLE_ORIGIN, ConsoleClient } from './test-console-client.js';

/**
 * Verified console sessions are cached (session-principal.ts), and revocation stays immediate:
 * a session ended by any path — sign-out, a direct delete of the row as another process or the
 * CLI would do it, an account deletion — is refused on the very next request.
 */
describe.each(testDatabaseKinds)('cached console sessions on %s', (kind) => {
  let t: TestApp;
  let org: { orgId: string; apiKey: string };
  let userId: string;
  const password = 'correct horse battery';
  const email = 'cached@example.com';

  beforeAll(async () => {
    t = await createTestApp({ kind, env: { PUBLIC_URL: CONSOLE_ORIGIN } });
    org = await t.createOrg('Cached sessions');
    ({ userId } = await createUserWithMembership(t, {
      email,
      password,
      name: 'Cas',
      orgId: org.orgId,
      role: 'admin',
    }));
  }, 120_000);
  afterAll(() => t?.close());

  const signedIn = async () => {
    const client = new ConsoleClient(t.app);
    expect((await client.signIn(email, password)).statusCode).toBe(200);
    return client;
  };
  const listAgents = (client: ConsoleClient) => client.inOrg(org.orgId, { method: 'GET', url: '/v1/agents' });
  const cache = () => hotCacheOf(t.database)!;
  /**
   * A change written behind the server's back: on PGlite its notice is delivered when the commit
   * returns, so the next request already sees it; on PostgreSQL it comes over the listening
   * connection a moment later (polled, bounded by the test timeout: never a timing assertion).
   */
  const nextStatus = async (probe: () => Promise<{ statusCode: number }>, status: number) => {
    if (kind === 'pglite') return expect((await probe()).statusCode).toBe(status);
    while ((await probe()).statusCode !== status) await sleep(5);
  };

  it('serves a verified session from memory', async () => {
    const client = await signedIn();
    expect((await listAgents(client)).statusCode).toBe(200);
    const hits = cache().stats.hits;
    expect((await listAgents(client)).statusCode).toBe(200);
    expect((await client.request({ method: 'GET', url: '/v1/me' })).statusCode).toBe(200);
    // The session (both requests) and the agent list were memory hits.
    expect(cache().stats.hits).toBeGreaterThanOrEqual(hits + 3);
  });

  it('refuses a signed-out session on the next request', async () => {
    const client = await signedIn();
    const cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    expect((await listAgents(client)).statusCode).toBe(200);
    expect((await listAgents(client)).statusCode).toBe(200);
    expect((await client.signOut()).statusCode).toBe(200);
    // The same cookie replayed (a copy kept by an attacker) is dead at once.
    const replay = await t.app.inject({
      method: 'GET',
      url: '/v1/agents',
      headers: { origin: CONSOLE_ORIGIN, cookie, 'x-confidant-org': org.orgId },
    });
    expect(replay.statusCode).toBe(401);
  });

  it('refuses a session whose row was deleted behind the server’s back (another process, the CLI)', async () => {
    const client = await signedIn();
    const other = await signedIn();
    expect((await listAgents(client)).statusCode).toBe(200);
    expect((await listAgents(client)).statusCode).toBe(200);
    expect((await listAgents(other)).statusCode).toBe(200);
    const token = [...client.cookies].find(([k]) => k.endsWith('session_token'))![1].split('.')[0]!;
    const deleted = await t.database.db
      .delete(sessions)
      .where(eq(sessions.token, decodeURIComponent(token)))
      .returning({ id: sessions.id });
    expect(deleted).toHaveLength(1);
    await nextStatus(() => listAgents(client), 401);
    // The user's other session is untouched.
    expect((await listAgents(other)).statusCode).toBe(200);
  });

  it('refuses a cached session once its account deletion is scheduled, and accepts it again once restored', async () => {
    const client = await signedIn();
    expect((await listAgents(client)).statusCode).toBe(200);
    expect((await listAgents(client)).statusCode).toBe(200);
    // Written directly: only the users trigger's notice tells the cache.
    await t.database.db.update(users).set({ deletionScheduledAt: new Date() }).where(eq(users.id, userId));
    await nextStatus(() => listAgents(client), 403);
    await t.database.db.update(users).set({ deletionScheduledAt: null }).where(eq(users.id, userId));
    await nextStatus(() => listAgents(client), 200);
  });

  it('follows a membership changed behind the server’s back: a role change and a removal apply at once', async () => {
    const client = await signedIn();
    const create = () =>
      client.inOrg(org.orgId, { method: 'POST', url: '/v1/agents', payload: { name: 'Role probe' } });
    expect((await listAgents(client)).statusCode).toBe(200);
    expect((await listAgents(client)).statusCode).toBe(200);
    const setRole = (role: 'viewer' | 'admin') =>
      withTenant(t.database, [org.orgId], (tx) =>
        tx.update(memberships).set({ role }).where(eq(memberships.userId, userId)),
      );
    await setRole('viewer');
    await nextStatus(create, 403);
    await setRole('admin');
    await nextStatus(create, 201);
    await withTenant(t.database, [org.orgId], (tx) =>
      tx.delete(memberships).where(eq(memberships.userId, userId)),
    );
    await nextStatus(() => listAgents(client), 403);
  });
});
