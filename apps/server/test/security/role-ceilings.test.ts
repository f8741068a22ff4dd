import { sql } from 'drizzle-orm';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserWithMembership } from '../../src/modules/auth/service.js';
import { CONSOLE_ORIGIN, ConsoleClient } from '../../src/modules/auth/test-console-client.js';
import { queryRows } from '../../src/platform/db/query-rows.js';
import { withTenant } from '../../src/platform/db/tenancy.js';
import { testDatabaseKinds } from '../../src/platform/db/test-database.js';
import { createTestApp, type TestApp } from '../../src/testing/test-app.js';

/**
 * Role ceilings over every credential route: nobody may mint, revoke or change a credential,
 * membership or invitation above their own role. An admin (by API key or by console session)
 * acting on anything owner-level gets 403 and nothing changes; an owner may do the same act.
 * The table below must name every state-changing route under /v1/api-keys, /v1/members and
 * /v1/invitations in the OpenAPI document, so a new credential route cannot skip this matrix.
 */
const password = 'a long enough password';

type Fixture = {
  ownerKeyId: string;
  ownerUserId: string;
  agentUserId: string;
  ownerInvitationId: string;
};

type CredentialCase = {
  route: string;
  what: string;
  request: (f: Fixture) => InjectOptions;
};

const cases: CredentialCase[] = [
  {
    route: 'POST /v1/api-keys',
    what: 'mint an owner key',
    request: () => ({ method: 'POST', url: '/v1/api-keys', payload: { name: 'escalate', role: 'owner' } }),
  },
  {
    route: 'DELETE /v1/api-keys/{id}',
    what: "revoke an owner's key",
    request: (f) => ({ method: 'DELETE', url: `/v1/api-keys/${f.ownerKeyId}` }),
  },
  {
    route: 'PATCH /v1/members/{userId}',
    what: 'demote an owner',
    request: (f) => ({ method: 'PATCH', url: `/v1/members/${f.ownerUserId}`, payload: { role: 'agent' } }),
  },
  {
    route: 'PATCH /v1/members/{userId}',
    what: 'promote a member to owner',
    request: (f) => ({ method: 'PATCH', url: `/v1/members/${f.agentUserId}`, payload: { role: 'owner' } }),
  },
  {
    route: 'DELETE /v1/members/{userId}',
    what: 'remove an owner',
    request: (f) => ({ method: 'DELETE', url: `/v1/members/${f.ownerUserId}` }),
  },
  {
    route: 'POST /v1/invitations',
    what: 'invite an owner',
    request: () => ({
      method: 'POST',
      url: '/v1/invitations',
      payload: { email: 'new-owner@example.com', role: 'owner' },
    }),
  },
  {
    route: 'DELETE /v1/invitations/{id}',
    what: "revoke an owner's invitation",
    request: (f) => ({ method: 'DELETE', url: `/v1/invitations/${f.ownerInvitationId}` }),
  },
];

/**
 * Accepting an invitation acts on the caller's own account, with the role the invitation names;
 * previewing one reads it (a POST only to keep the token out of URLs) and changes nothing.
 */
const notCeilingRoutes = new Set(['POST /v1/invitations/accept', 'POST /v1/invitations/preview']);

describe.each(testDatabaseKinds)('role ceilings on credential routes (%s)', (kind) => {
  let t: TestApp;
  let orgId: string;
  let ownerKey: string;
  let adminKey: string;
  let adminSession: ConsoleClient;
  let fixture: Fixture;

  const withKey = (key: string, opts: InjectOptions) =>
    t.app.inject({ ...opts, headers: { authorization: `Bearer ${key}`, ...opts.headers } });

  /** Everything a credential route could change, compared before and after a refused request. */
  const snapshot = () =>
    withTenant(t.database, [orgId], async (tx) => {
      const [row] = await queryRows<Record<string, string>>(
        tx,
        sql`select
          (select string_agg(id || ':' || role || ':' || coalesce(revoked_at::text, '-'), ',' order by id) from api_keys) as keys,
          (select string_agg(user_id || ':' || role, ',' order by user_id) from memberships) as members,
          (select string_agg(id || ':' || role || ':' || coalesce(revoked_at::text, '-'), ',' order by id) from invitations) as invitations,
          (select count(*)::text from audit_log where action <> 'access.denied') as audit`,
      );
      return row!;
    });

  beforeAll(async () => {
    t = await createTestApp({ kind, env: { PUBLIC_URL: CONSOLE_ORIGIN } });
    const org = await t.createOrg('Ceilings');
    orgId = org.orgId;
    ownerKey = org.apiKey;
    const keys = await withKey(ownerKey, { method: 'GET', url: '/v1/api-keys' });
    const ownerKeyId = (keys.json() as { keys: { id: string }[] }).keys[0]!.id;
    const admin = await withKey(ownerKey, {
      method: 'POST',
      url: '/v1/api-keys',
      payload: { name: 'admin automation', role: 'admin' },
    });
    adminKey = (admin.json() as { key: string }).key;

    const { userId: ownerUserId } = await createUserWithMembership(t, {
      email: 'owner@example.com',
      password,
      name: 'Olga',
      orgId,
      role: 'owner',
    });
    await createUserWithMembership(t, {
      email: 'admin@example.com',
      password,
      name: 'Ada',
      orgId,
      role: 'admin',
    });
    const { userId: agentUserId } = await createUserWithMembership(t, {
      email: 'agent@example.com',
      password,
      name: 'Abe',
      orgId,
      role: 'agent',
    });
    const invitation = await withKey(ownerKey, {
      method: 'POST',
      url: '/v1/invitations',
      payload: { email: 'co-owner@example.com', role: 'owner' },
    });
    expect(invitation.statusCode, invitation.body).toBe(201);
    fixture = {
      ownerKeyId,
      ownerUserId,
      agentUserId,
      ownerInvitationId: (invitation.json() as { id: string }).id,
    };
    adminSession = new ConsoleClient(t.app);
    const signIn = await adminSession.signIn('admin@example.com', password);
    expect(signIn.statusCode, signIn.body).toBe(200);
  });
  afterAll(() => t?.close());

  it('the matrix names every state-changing credential route', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json() as {
      paths: Record<string, Record<string, unknown>>;
    };
    const credentialRoutes = Object.entries(doc.paths)
      .filter(([p]) => /^\/v1\/(api-keys|members|invitations)\b/.test(p))
      .flatMap(([p, ops]) =>
        Object.keys(ops)
          .filter((m) => m !== 'get')
          .map((m) => `${m.toUpperCase()} ${p}`),
      )
      .filter((r) => !notCeilingRoutes.has(r));
    expect(new Set(cases.map((c) => c.route))).toEqual(new Set(credentialRoutes));
  });

  const asAdmin = {
    'an admin API key': (opts: InjectOptions) => withKey(adminKey, opts),
    'an admin console session': (opts: InjectOptions) => adminSession.inOrg(orgId, opts),
  } satisfies Record<string, (opts: InjectOptions) => Promise<LightMyRequestResponse>>;

  for (const [caller, call] of Object.entries(asAdmin)) {
    it.each(cases.map((c) => [c.what, c] as const))(
      `${caller} cannot %s: 403, nothing changes`,
      async (_, c) => {
        const before = await snapshot();
        const res = await call(c.request(fixture));
        expect(res.statusCode, `${c.route}: ${res.body}`).toBe(403);
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect(await snapshot()).toEqual(before);
        // The refusal itself is on record (audit/denied-requests.ts), ids and the route only.
        const [denied] = await withTenant(t.database, [orgId], (tx) =>
          queryRows<{ n: number }>(
            tx,
            sql`select count(*)::int as n from audit_log where action = 'access.denied' and target_id = ${c.route.replace(/\{(\w+)\}/g, ':$1')}`,
          ),
        );
        expect(denied!.n).toBeGreaterThanOrEqual(1);
      },
    );
  }

  it('the owner key still works after every refused attempt', async () => {
    const res = await withKey(ownerKey, { method: 'GET', url: '/v1/api-keys' });
    expect(res.statusCode).toBe(200);
  });

  it('an owner may do what an admin may not (each act succeeds)', async () => {
    // Order matters: revoking the owner key last, since it is the one acting here.
    const owner = new ConsoleClient(t.app);
    expect((await owner.signIn('owner@example.com', password)).statusCode).toBe(200);
    for (const c of cases.filter(
      (c) => c.route !== 'DELETE /v1/members/{userId}' && c.what !== 'demote an owner',
    )) {
      const res = await owner.inOrg(orgId, c.request(fixture));
      expect(res.statusCode, `${c.route} (${c.what}): ${res.body}`).toBeLessThan(300);
    }
    // With two owners now (the agent was promoted), the first owner may be demoted by another owner.
    const promoted = new ConsoleClient(t.app);
    expect((await promoted.signIn('agent@example.com', password)).statusCode).toBe(200);
    const demote = await promoted.inOrg(orgId, {
      method: 'PATCH',
      url: `/v1/members/${fixture.ownerUserId}`,
      payload: { role: 'agent' },
    });
    expect(demote.statusCode, demote.body).toBe(200);
  });
});
