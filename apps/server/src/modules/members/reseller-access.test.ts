import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberships } from '../../platform/db/schema/index.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { testDatabaseKinds } from '../../platform/db/test-database.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { createUserWithMembership } from '../auth/service.js';
import { CONSOLE_ORIGIN, ConsoleClient } from '../auth/test-console-client.js';

describe.each(testDatabaseKinds)('a reseller opens its client orgs on %s', (kind) => {
  let t: TestApp;
  let reseller: { orgId: string; apiKey: string };
  let otherReseller: { orgId: string; apiKey: string };
  let client: { orgId: string; apiKey: string };
  let foreignClient: { orgId: string; apiKey: string };
  let direct: { orgId: string; apiKey: string };
  const password = 'a long enough password';

  const createClient = async (resellerKey: string, name: string) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/orgs',
      headers: { authorization: `Bearer ${resellerKey}` },
      payload: { name },
    });
    expect(res.statusCode).toBe(201);
    return res.json() as { orgId: string; apiKey: string };
  };
  const person = async (email: string, orgId: string, role: 'owner' | 'admin' | 'agent' | 'viewer') => {
    await createUserWithMembership(t, { email, password, name: email, orgId, role });
    const c = new ConsoleClient(t.app);
    expect((await c.signIn(email, password)).statusCode).toBe(200);
    return c;
  };

  beforeAll(async () => {
    t = await createTestApp({ kind, env: { PUBLIC_URL: CONSOLE_ORIGIN } });
    reseller = await t.createOrg('Agency', 'reseller');
    otherReseller = await t.createOrg('Other agency', 'reseller');
    direct = await t.createOrg('Direct Co');
    client = await createClient(reseller.apiKey, 'Client A');
    foreignClient = await createClient(otherReseller.apiKey, 'Client B');
  });
  afterAll(() => t?.close());

  it("lists the reseller's clients in /v1/me and opens them with the role capped at admin", async () => {
    const owner = await person('owner@agency.example', reseller.orgId, 'owner');
    const me = (await owner.request({ method: 'GET', url: '/v1/me' })).json();
    expect(me.memberships).toEqual([
      { orgId: reseller.orgId, orgName: 'Agency', role: 'owner' },
      {
        orgId: client.orgId,
        orgName: 'Client A',
        role: 'admin',
        via: { orgId: reseller.orgId, orgName: 'Agency' },
      },
    ]);
    // Acts in the client as an admin: reads and changes its agents …
    const agents = await owner.inOrg(client.orgId, { method: 'GET', url: '/v1/agents' });
    expect(agents.statusCode).toBe(200);
    const created = await owner.inOrg(client.orgId, {
      method: 'POST',
      url: '/v1/agents',
      payload: { name: 'Front desk' },
    });
    expect(created.statusCode).toBe(201);
    // … and its audit log names the person by id.
    const audit = (
      await owner.inOrg(client.orgId, { method: 'GET', url: '/v1/audit?action=agent.created' })
    ).json();
    expect(audit.entries[0]).toMatchObject({ actorType: 'user', actorId: me.id });
    // … but not as an owner: an owner key needs the client's own owner.
    const ownerKey = await owner.inOrg(client.orgId, {
      method: 'POST',
      url: '/v1/api-keys',
      payload: { name: 'mine', role: 'owner' },
    });
    expect(ownerKey.statusCode).toBe(403);
  });

  it("keeps the person's lower role, and never reaches other resellers' clients, direct orgs or the reseller from a client", async () => {
    const agent = await person('agent@agency.example', reseller.orgId, 'agent');
    const me = (await agent.request({ method: 'GET', url: '/v1/me' })).json();
    expect(me.memberships.map((m: { orgId: string; role: string }) => [m.orgId, m.role])).toEqual([
      [reseller.orgId, 'agent'],
      [client.orgId, 'agent'],
    ]);
    expect((await agent.inOrg(client.orgId, { method: 'GET', url: '/v1/conversations' })).statusCode).toBe(
      200,
    );
    expect((await agent.inOrg(client.orgId, { method: 'GET', url: '/v1/api-keys' })).statusCode).toBe(403);
    for (const orgId of [foreignClient.orgId, direct.orgId, otherReseller.orgId]) {
      expect((await agent.inOrg(orgId, { method: 'GET', url: '/v1/agents' })).statusCode).toBe(403);
    }
    const clientPerson = await person('staff@client-a.example', client.orgId, 'owner');
    expect((await clientPerson.inOrg(reseller.orgId, { method: 'GET', url: '/v1/agents' })).statusCode).toBe(
      403,
    );
    const clientMe = (await clientPerson.request({ method: 'GET', url: '/v1/me' })).json();
    expect(clientMe.memberships).toEqual([{ orgId: client.orgId, orgName: 'Client A', role: 'owner' }]);
  });

  it('ends at once when the person leaves the reseller, and a direct membership of the client wins', async () => {
    const admin = await person('admin@agency.example', reseller.orgId, 'admin');
    const both = await person('both@agency.example', reseller.orgId, 'viewer');
    const bothId = (await both.request({ method: 'GET', url: '/v1/me' })).json().id as string;
    await withTenant(t.database, [client.orgId], (tx) =>
      tx.insert(memberships).values({ orgId: client.orgId, userId: bothId, role: 'admin' }),
    );
    const me = (await both.request({ method: 'GET', url: '/v1/me' })).json();
    expect(me.memberships.filter((m: { orgId: string }) => m.orgId === client.orgId)).toEqual([
      { orgId: client.orgId, orgName: 'Client A', role: 'admin' },
    ]);
    // The direct role (admin) applies, not the inherited viewer.
    expect((await both.inOrg(client.orgId, { method: 'GET', url: '/v1/api-keys' })).statusCode).toBe(200);

    expect((await admin.inOrg(client.orgId, { method: 'GET', url: '/v1/agents' })).statusCode).toBe(200);
    const adminId = (await admin.request({ method: 'GET', url: '/v1/me' })).json().id;
    const removed = await t.app.inject({
      method: 'DELETE',
      url: `/v1/members/${adminId}`,
      headers: { authorization: `Bearer ${reseller.apiKey}` },
    });
    expect(removed.statusCode).toBe(204);
    expect((await admin.inOrg(client.orgId, { method: 'GET', url: '/v1/agents' })).statusCode).toBe(403);
    expect((await admin.request({ method: 'GET', url: '/v1/me' })).json().memberships).toEqual([]);
  });
});
