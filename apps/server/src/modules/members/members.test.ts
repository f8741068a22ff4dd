import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../platform/db/query-rows.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { testDatabaseKinds } from '../../platform/db/test-database.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { createUserWithMembership } from '../auth/service.js';
import { CONSOLE_ORIGIN, ConsoleClient } from '../auth/test-console-client.js';

describe.each(testDatabaseKinds)('members and invitations on %s', (kind) => {
  let t: TestApp;
  let org: { orgId: string; apiKey: string };
  let ownerId: string;
  let owner: ConsoleClient;
  const password = 'a long enough password';

  const asOwner = (opts: Parameters<ConsoleClient['request']>[0]) => owner.inOrg(org.orgId, opts);
  const counts = () =>
    withTenant(t.database, [org.orgId], async (tx) => {
      const [row] = await queryRows<{ invitations: number; memberships: number; audit: number }>(
        tx,
        sql`select (select count(*)::int from invitations) as invitations,
                   (select count(*)::int from memberships) as memberships,
                   (select count(*)::int from audit_log where action <> 'access.denied') as audit`,
      );
      return row!;
    });
  const signedIn = async (email: string) => {
    const client = new ConsoleClient(t.app);
    const res = await client.signIn(email, password);
    if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.body}`);
    return client;
  };

  beforeAll(async () => {
    t = await createTestApp({ kind, env: { PUBLIC_URL: CONSOLE_ORIGIN, CONFIDANT_ALLOW_SIGNUP: 'true' } });
    org = await t.createOrg('Acme');
    ({ userId: ownerId } = await createUserWithMembership(t, {
      email: 'owner@example.com',
      password,
      name: 'Olga',
      orgId: org.orgId,
      role: 'owner',
    }));
    owner = await signedIn('owner@example.com');
  });
  afterAll(() => t?.close());

  it('invites, and the invited person accepts once with the invited role', async () => {
    const created = await asOwner({
      method: 'POST',
      url: '/v1/invitations',
      payload: { email: 'Bob@Example.com', role: 'agent' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const invitation = created.json();
    expect(invitation).toMatchObject({ email: 'bob@example.com', role: 'agent', status: 'pending' });
    expect(invitation.token).toMatch(/^cinv_[A-Za-z0-9_-]{43}$/);
    const lifetime = Date.parse(invitation.expiresAt) - Date.parse(invitation.createdAt);
    expect(Math.abs(lifetime - 7 * 24 * 3600 * 1000)).toBeLessThan(60_000);

    // Only the SHA-256 of the token is stored.
    const stored = await withTenant(t.database, [org.orgId], (tx) =>
      queryRows<{ token_hash: string; row: string }>(
        tx,
        sql`select token_hash, i::text as row from invitations i where id = ${invitation.id}`,
      ),
    );
    expect(stored[0]!.token_hash).toBe(createHash('sha256').update(invitation.token).digest('hex'));
    expect(stored[0]!.row).not.toContain(invitation.token);

    const bob = new ConsoleClient(t.app);
    expect((await bob.signUp('bob@example.com', password, 'Bob')).statusCode).toBe(200);
    const accept = await bob.request({
      method: 'POST',
      url: '/v1/invitations/accept',
      payload: { token: invitation.token },
    });
    expect(accept.statusCode, accept.body).toBe(200);
    expect(accept.json()).toEqual({ orgId: org.orgId, role: 'agent' });
    const me = await bob.request({ method: 'GET', url: '/v1/me' });
    expect(me.json().memberships).toEqual([{ orgId: org.orgId, orgName: 'Acme', role: 'agent' }]);
    // Bob now acts in the org with his role: an agent may read agents.
    expect((await bob.inOrg(org.orgId, { method: 'GET', url: '/v1/agents' })).statusCode).toBe(200);

    const members = await asOwner({ method: 'GET', url: '/v1/members' });
    expect(members.json().members.map((m: { email: string; role: string }) => [m.email, m.role])).toEqual([
      ['owner@example.com', 'owner'],
      ['bob@example.com', 'agent'],
    ]);
    const list = await asOwner({ method: 'GET', url: '/v1/invitations' });
    expect(list.json().invitations[0]).toMatchObject({ id: invitation.id, status: 'accepted' });
    expect(list.body).not.toContain(invitation.token);

    // A token works once.
    const reuse = await bob.request({
      method: 'POST',
      url: '/v1/invitations/accept',
      payload: { token: invitation.token },
    });
    expect(reuse.statusCode).toBe(410);

    const audit = await withTenant(t.database, [org.orgId], (tx) =>
      queryRows<{ action: string; actor_id: string; row: string }>(
        tx,
        sql`select action, actor_id, a::text as row from audit_log a where action like 'invitation.%' order by seq`,
      ),
    );
    expect(audit.map((a) => a.action)).toEqual(['invitation.created', 'invitation.accepted']);
    expect(audit[0]!.actor_id).toBe(ownerId);
    for (const a of audit) expect(a.row).not.toContain('bob@');
  });

  it('refuses an invitation for another email (403), unknown tokens (404) and revoked ones (410)', async () => {
    const created = await asOwner({
      method: 'POST',
      url: '/v1/invitations',
      payload: { email: 'dan@example.com', role: 'viewer' },
    });
    const { id, token } = created.json();
    const carol = new ConsoleClient(t.app);
    await carol.signUp('carol@example.com', password, 'Carol');
    const before = await counts();
    const wrong = await carol.request({ method: 'POST', url: '/v1/invitations/accept', payload: { token } });
    expect(wrong.statusCode).toBe(403);
    const unknown = await carol.request({
      method: 'POST',
      url: '/v1/invitations/accept',
      payload: { token: `cinv_${'A'.repeat(43)}` },
    });
    expect(unknown.statusCode).toBe(404);
    expect(await counts()).toEqual(before);
    expect((await carol.request({ method: 'GET', url: '/v1/me' })).json().memberships).toEqual([]);

    const revoked = await asOwner({ method: 'DELETE', url: `/v1/invitations/${id}` });
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(revoked.json().status).toBe('revoked');
    const dan = new ConsoleClient(t.app);
    await dan.signUp('dan@example.com', password, 'Dan');
    const late = await dan.request({ method: 'POST', url: '/v1/invitations/accept', payload: { token } });
    expect(late.statusCode).toBe(410);
    expect((await dan.request({ method: 'GET', url: '/v1/me' })).json().memberships).toEqual([]);
  });

  it('keeps at least one owner, and only owners touch the owner role', async () => {
    const lastRemove = await asOwner({ method: 'DELETE', url: `/v1/members/${ownerId}` });
    expect(lastRemove.statusCode).toBe(409);
    const lastDemote = await asOwner({
      method: 'PATCH',
      url: `/v1/members/${ownerId}`,
      payload: { role: 'admin' },
    });
    expect(lastDemote.statusCode).toBe(409);

    const { userId: adminId } = await createUserWithMembership(t, {
      email: 'admin@example.com',
      password,
      name: 'Adam',
      orgId: org.orgId,
      role: 'admin',
    });
    const admin = await signedIn('admin@example.com');
    const asAdmin = (opts: Parameters<ConsoleClient['request']>[0]) => admin.inOrg(org.orgId, opts);
    const members = (await asAdmin({ method: 'GET', url: '/v1/members' })).json().members as {
      userId: string;
      email: string;
    }[];
    const bobId = members.find((m) => m.email === 'bob@example.com')!.userId;

    expect(
      (await asAdmin({ method: 'PATCH', url: `/v1/members/${bobId}`, payload: { role: 'owner' } }))
        .statusCode,
    ).toBe(403);
    expect((await asAdmin({ method: 'DELETE', url: `/v1/members/${ownerId}` })).statusCode).toBe(403);
    const invite = await asAdmin({
      method: 'POST',
      url: '/v1/invitations',
      payload: { email: 'x@example.com', role: 'owner' },
    });
    expect(invite.statusCode).toBe(403);
    const promote = await asAdmin({
      method: 'PATCH',
      url: `/v1/members/${bobId}`,
      payload: { role: 'viewer' },
    });
    expect(promote.statusCode, promote.body).toBe(200);
    expect(promote.json()).toMatchObject({ userId: bobId, role: 'viewer' });

    // With a second owner, the first may step down.
    expect(
      (await asOwner({ method: 'PATCH', url: `/v1/members/${adminId}`, payload: { role: 'owner' } }))
        .statusCode,
    ).toBe(200);
    const stepDown = await asOwner({
      method: 'PATCH',
      url: `/v1/members/${ownerId}`,
      payload: { role: 'admin' },
    });
    expect(stepDown.statusCode, stepDown.body).toBe(200);
    expect((await asAdmin({ method: 'DELETE', url: `/v1/members/${adminId}` })).statusCode).toBe(409);

    const audit = await withTenant(t.database, [org.orgId], (tx) =>
      queryRows<{ action: string; metadata: Record<string, string> }>(
        tx,
        sql`select action, metadata from audit_log where action = 'member.role_changed' order by seq`,
      ),
    );
    expect(audit.map((a) => a.metadata)).toEqual([
      { from: 'agent', to: 'viewer' },
      { from: 'admin', to: 'owner' },
      { from: 'owner', to: 'admin' },
    ]);
  });

  it('removes a member, who then cannot act in the org', async () => {
    const members = (await owner.inOrg(org.orgId, { method: 'GET', url: '/v1/members' })).json().members as {
      userId: string;
      email: string;
    }[];
    const bobId = members.find((m) => m.email === 'bob@example.com')!.userId;
    const bob = await signedIn('bob@example.com');
    expect((await bob.inOrg(org.orgId, { method: 'GET', url: '/v1/agents' })).statusCode).toBe(200);

    // The former owner is an admin now (previous test); the current owner removes Bob.
    const admin = await signedIn('admin@example.com');
    const removed = await admin.inOrg(org.orgId, { method: 'DELETE', url: `/v1/members/${bobId}` });
    expect(removed.statusCode, removed.body).toBe(204);
    expect((await bob.inOrg(org.orgId, { method: 'GET', url: '/v1/agents' })).statusCode).toBe(403);
    expect((await bob.request({ method: 'GET', url: '/v1/me' })).json().memberships).toEqual([]);
    const again = await admin.inOrg(org.orgId, { method: 'DELETE', url: `/v1/members/${bobId}` });
    expect(again.statusCode).toBe(404);
    const [entry] = await withTenant(t.database, [org.orgId], (tx) =>
      queryRows<{ target_id: string }>(
        tx,
        sql`select target_id from audit_log where action = 'member.removed'`,
      ),
    );
    expect(entry!.target_id).toBe(bobId);
  });

  it('answers bad input with 400 and writes nothing', async () => {
    const before = await counts();
    const post = (payload: unknown) =>
      t.app.inject({
        method: 'POST',
        url: '/v1/invitations',
        headers: { authorization: `Bearer ${org.apiKey}` },
        payload: payload as object,
      });
    for (const payload of [
      { email: 'ok@example.com', role: 'agent', admin: true },
      { email: 'ok@example.com', role: 'superuser' },
      { email: 'not an email', role: 'agent' },
      { email: 'ok@example.com' },
    ]) {
      const res = await post(payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    const patch = await t.app.inject({
      method: 'PATCH',
      url: `/v1/members/${ownerId}`,
      headers: { authorization: `Bearer ${org.apiKey}` },
      payload: { role: 'god' },
    });
    expect(patch.statusCode).toBe(400);
    const badId = await t.app.inject({
      method: 'PATCH',
      url: '/v1/members/not-a-uuid',
      headers: { authorization: `Bearer ${org.apiKey}` },
      payload: { role: 'viewer' },
    });
    expect(badId.statusCode).toBe(400);
    const carol = await signedIn('carol@example.com');
    for (const payload of [{}, { token: 'x', extra: 1 }, { token: 42 }]) {
      const res = await carol.request({ method: 'POST', url: '/v1/invitations/accept', payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
    }
    expect(await counts()).toEqual(before);
  });
});
