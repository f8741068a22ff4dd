import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKinds } from '../../../platform/db/test-database.js';
import { scanForResidue } from '../../../testing/residue-scan.js';
import { openSuperuserSql, type SuperuserSql } from '../../../testing/superuser-sql.js';
import { createTestApp, type TestApp } from '../../../testing/test-app.js';
import { createUserWithMembership } from '../../auth/service.js';
import { CONSOLE_ORIGIN, ConsoleClient } from '../../auth/test-console-client.js';
import { openLiveEvents } from '../../conversations/testing/live-events.js';
import { readEvents } from '../../conversations/testing/sse-client.js';
import {
  createWidgetOrg,
  listen,
  SITE,
  sendMessage,
  startConversation,
  type WidgetOrg,
} from '../../conversations/testing/widget-fixture.js';
import { uploadKit } from '../../knowledge/testing/file-upload-kit.js';
import { sweepHardDeletes } from './hard-delete-sweep.js';

/**
 * Organization deletion end to end: scheduling stops the org's keys, widget and console at once;
 * restoring brings everything back; after the window the hard delete leaves no row with the
 * org's id in any table of any schema, no queue job mentioning it, no blob file and no canary
 * anywhere (database, data dir, logs), while another org's data is untouched.
 */
const DAY = 24 * 60 * 60 * 1000;
const password = 'a long enough password';

describe.each(testDatabaseKinds)('organization deletion on %s', (kind) => {
  let t: TestApp;
  let su: SuperuserSql;
  let base: string;
  let logs = '';
  let doomed: WidgetOrg;
  let bystander: WidgetOrg;
  let owner: ConsoleClient;
  let visitor: { conversationId: string; token: string };
  let blobHash: string;
  let resellerIds: { reseller: string; client: string };
  const canary = `canary-${kind}-d3l3te`;
  const keep = `canary-${kind}-k33p`;

  const as = (key: string, opts: { method: 'GET' | 'POST' | 'DELETE'; url: string; payload?: object }) =>
    t.app.inject({ ...opts, headers: { authorization: `Bearer ${key}` } });
  const widget = (url: string, init: RequestInit = {}) =>
    fetch(`${base}${url}`, {
      ...init,
      headers: { origin: SITE, 'content-type': 'application/json', ...(init.headers ?? {}) },
    });
  const expectOrgDeleted = (status: number, body: { code?: string; detail?: string }) => {
    expect(status).toBe(403);
    expect(body.code).toBe('org_deleted');
    expect(body.detail).toMatch(/scheduled for deletion on \d{4}-\d{2}-\d{2}; an owner can restore it/);
  };
  const auditActions = async (orgId: string) =>
    (
      await su.query<{ action: string }>('select action from audit_log where org_id = $1 order by seq', [
        orgId,
      ])
    ).map((r) => r.action);
  const platformId = async () =>
    (await su.query<{ id: string }>(`select id from organizations where kind = 'platform'`))[0]!.id;

  /** Seeds an org through the public API: file upload (blob), conversation, contact, handoff. */
  const seed = async (org: WidgetOrg, marker: string) => {
    const kit = uploadKit(t);
    const source = await kit.uploadAndWait(org.apiKey, `${marker}.md`, `# Returns\n\nCode ${marker}.`);
    expect(source.status).toBe('ready');
    const c = await startConversation(base, org.agentKey);
    await readEvents(
      await sendMessage(base, c.conversationId, c.token, {
        text: `I want to talk to a human about ${marker}`,
        clientMessageId: 'm1',
      }),
    );
    const contact = await widget(`/v1/widget/conversations/${c.conversationId}/contact`, {
      method: 'POST',
      headers: { authorization: `Bearer ${c.token}` },
      body: JSON.stringify({ email: `${marker}@example.org`, consent: true, purpose: 'reply_by_email' }),
    });
    expect(contact.status).toBe(204);
    return { conversation: c, blobHash: (await kit.blobRows(org.orgId))[0]!.hash };
  };

  beforeAll(async () => {
    t = await createTestApp({
      kind,
      env: { PUBLIC_URL: CONSOLE_ORIGIN, LOG_LEVEL: 'info' },
      logStream: {
        write: (line) => {
          logs += line;
        },
      },
    });
    su = await openSuperuserSql(t.database);
    base = await listen(t);
    doomed = await createWidgetOrg(t, 'Doomed', {}, []);
    bystander = await createWidgetOrg(t, 'Bystander', {}, []);
    await createUserWithMembership(t, {
      email: `owner-${kind}@example.com`,
      password,
      name: 'Olga Owner',
      orgId: doomed.orgId,
      role: 'owner',
    });
    owner = new ConsoleClient(t.app);
    expect((await owner.signIn(`owner-${kind}@example.com`, password)).statusCode).toBe(200);
    const seeded = await seed(doomed, canary);
    visitor = seeded.conversation;
    blobHash = seeded.blobHash;
    await seed(bystander, keep);
  });
  afterAll(async () => {
    await su?.close();
    await t?.close();
  });

  it('refuses deleting without the owner role, and the platform org', async () => {
    const admin = await as(doomed.apiKey, {
      method: 'POST',
      url: '/v1/api-keys',
      payload: { name: 'ops', role: 'admin' },
    });
    expect(admin.statusCode, admin.body).toBe(201);
    const refused = await as(admin.json().key, { method: 'DELETE', url: `/v1/orgs/${doomed.orgId}` });
    expect(refused.statusCode).toBe(403);
    const other = await as(bystander.apiKey, { method: 'DELETE', url: `/v1/orgs/${doomed.orgId}` });
    expect(other.statusCode).toBe(404);
    const platform = await as(t.platformKey, { method: 'DELETE', url: `/v1/orgs/${await platformId()}` });
    expect(platform.statusCode).toBe(403);
  });

  it('refuses deleting a reseller that still has live clients (409)', async () => {
    const reseller = await t.createOrg('Reseller', 'reseller');
    const client = await as(reseller.apiKey, {
      method: 'POST',
      url: '/v1/orgs',
      payload: { name: 'Client' },
    });
    expect(client.statusCode).toBe(201);
    const refused = await as(reseller.apiKey, { method: 'DELETE', url: `/v1/orgs/${reseller.orgId}` });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().detail).toMatch(/still has 1 client/);
    // The reseller deletes its client (audited in both chains), then itself.
    const clientId = client.json().orgId as string;
    resellerIds = { reseller: reseller.orgId, client: clientId };
    expect((await as(reseller.apiKey, { method: 'DELETE', url: `/v1/orgs/${clientId}` })).statusCode).toBe(
      202,
    );
    expect(await auditActions(reseller.orgId)).toContain('org.deletion_scheduled');
    expect(await auditActions(clientId)).toContain('org.deletion_scheduled');
    expect(
      (await as(reseller.apiKey, { method: 'DELETE', url: `/v1/orgs/${reseller.orgId}` })).statusCode,
    ).toBe(202);
    // A client cannot come back while its reseller is going.
    const platformRestore = await as(t.platformKey, { method: 'POST', url: `/v1/orgs/${clientId}/restore` });
    expect(platformRestore.statusCode).toBe(409);
  });

  it('schedules the deletion and stops the keys, the widget and the console at once', async () => {
    // Live streams open before the deletion are told and ended.
    const visitorStream = await openLiveEvents(
      `${base}/v1/widget/conversations/${visitor.conversationId}/events`,
      {
        authorization: `Bearer ${visitor.token}`,
        origin: SITE,
      },
    );
    const operatorStream = await openLiveEvents(`${base}/v1/events`, {
      authorization: `Bearer ${doomed.apiKey}`,
    });
    expect([visitorStream.status, operatorStream.status]).toEqual([200, 200]);
    const res = await owner.inOrg(doomed.orgId, { method: 'DELETE', url: `/v1/orgs/${doomed.orgId}` });
    expect(res.statusCode, res.body).toBe(202);
    const { deletionScheduledAt, hardDeleteAfter } = res.json();
    await visitorStream.waitFor((e) => e.event === 'stopped', 'the visitor stream stopping');
    await operatorStream.waitFor((e) => e.event === 'org.stopped', 'the operator stream stopping');
    visitorStream.close();
    operatorStream.close();
    expect(Date.parse(hardDeleteAfter) - Date.parse(deletionScheduledAt)).toBe(30 * DAY);
    // Idempotent: the same schedule again.
    const again = await as(doomed.apiKey, { method: 'DELETE', url: `/v1/orgs/${doomed.orgId}` });
    expect(again.statusCode).toBe(202);
    expect(again.json()).toEqual(res.json());

    const keyCall = await as(doomed.apiKey, { method: 'GET', url: '/v1/agents' });
    expect(keyCall.headers['content-type']).toMatch(/application\/problem\+json/);
    expectOrgDeleted(keyCall.statusCode, keyCall.json());
    const consoleCall = await owner.inOrg(doomed.orgId, { method: 'GET', url: '/v1/conversations' });
    expectOrgDeleted(consoleCall.statusCode, consoleCall.json());

    const config = await widget(`/v1/widget/config?agentKey=${doomed.agentKey}`);
    expectOrgDeleted(config.status, await config.json());
    // The widget on the org's site can read why (CORS is allowed for its origin).
    expect(config.headers.get('access-control-allow-origin')).toBe(SITE);
    const start = await widget('/v1/widget/conversations', {
      method: 'POST',
      body: JSON.stringify({ agentKey: doomed.agentKey }),
    });
    expectOrgDeleted(start.status, await start.json());
    const send = await sendMessage(base, visitor.conversationId, visitor.token, {
      text: 'still there?',
      clientMessageId: 'm2',
    });
    expectOrgDeleted(send.status, await send.json());
    const read = await widget(`/v1/widget/conversations/${visitor.conversationId}`, {
      headers: { authorization: `Bearer ${visitor.token}` },
    });
    expectOrgDeleted(read.status, await read.json());
    const live = await widget(`/v1/widget/conversations/${visitor.conversationId}/events`, {
      headers: { authorization: `Bearer ${visitor.token}` },
    });
    expectOrgDeleted(live.status, await live.json());

    // Minimal status stays readable, for the console's banner.
    const status = await owner.inOrg(doomed.orgId, { method: 'GET', url: `/v1/orgs/${doomed.orgId}` });
    expect(status.statusCode).toBe(200);
    expect(status.json()).toMatchObject({ deletionScheduledAt, hardDeleteAfter });
    const me = await owner.request({ method: 'GET', url: '/v1/me' });
    expect(me.json().memberships[0]).toMatchObject({ orgId: doomed.orgId, deletionScheduledAt });

    // Another org is untouched.
    expect((await as(bystander.apiKey, { method: 'GET', url: '/v1/agents' })).statusCode).toBe(200);
    expect((await widget(`/v1/widget/config?agentKey=${bystander.agentKey}`)).status).toBe(200);
    // Audited in the org's chain and the platform's.
    expect(await auditActions(doomed.orgId)).toContain('org.deletion_scheduled');
    expect(await auditActions(await platformId())).toContain('org.deletion_scheduled');
  });

  it('does not hard-delete before the window ends; restoring brings everything back', async () => {
    const early = await sweepHardDeletes(t, new Date(Date.now() + 29 * DAY));
    expect(early.orgs).toEqual([]);
    const restored = await owner.inOrg(doomed.orgId, {
      method: 'POST',
      url: `/v1/orgs/${doomed.orgId}/restore`,
    });
    expect(restored.statusCode, restored.body).toBe(200);
    expect(restored.json()).toMatchObject({
      id: doomed.orgId,
      deletionScheduledAt: null,
      hardDeleteAfter: null,
    });
    expect((await as(doomed.apiKey, { method: 'GET', url: '/v1/agents' })).statusCode).toBe(200);
    expect((await owner.inOrg(doomed.orgId, { method: 'GET', url: '/v1/conversations' })).statusCode).toBe(
      200,
    );
    expect((await widget(`/v1/widget/config?agentKey=${doomed.agentKey}`)).status).toBe(200);
    const read = await widget(`/v1/widget/conversations/${visitor.conversationId}`, {
      headers: { authorization: `Bearer ${visitor.token}` },
    });
    expect(read.status).toBe(200);
    expect(await auditActions(doomed.orgId)).toContain('org.restored');
    expect(await auditActions(await platformId())).toContain('org.restored');
    // Restoring an org that is not scheduled is a conflict.
    expect(
      (await as(doomed.apiKey, { method: 'POST', url: `/v1/orgs/${doomed.orgId}/restore` })).statusCode,
    ).toBe(409);
  });

  it('after the window erases every row, job, file and canary of the org, and nothing of another', async () => {
    expect((await as(doomed.apiKey, { method: 'DELETE', url: `/v1/orgs/${doomed.orgId}` })).statusCode).toBe(
      202,
    );
    const orgId = doomed.orgId;
    // Before: the org's id is in tenant tables, in the queue's job rows, and its file is on disk.
    const jobRows = async () =>
      (
        await su.query<{ n: number }>(`select count(*)::int as n from pgboss.job where data::text like $1`, [
          `%${orgId}%`,
        ])
      )[0]!.n;
    expect(await jobRows()).toBeGreaterThan(0);
    const blobDir = path.join(t.config.dataDir, 'blobs', orgId);
    expect(await readdir(blobDir, { recursive: true })).toContain(path.join(blobHash.slice(0, 2), blobHash));

    // What the API stored is really there (so the scans below can fail).
    const [seeded] = await su.query<Record<string, number>>(
      `select (select count(*) from notifications where org_id = $1)::int as notifications,
              (select count(*) from visitor_contacts where org_id = $1)::int as contacts,
              (select count(*) from blobs where org_id = $1)::int as blobs,
              (select count(*) from audit_log where org_id = $1)::int as audit`,
      [orgId],
    );
    expect(
      Object.values(seeded!).every((n) => n > 0),
      JSON.stringify(seeded),
    ).toBe(true);
    expect(
      (await scanForResidue({ database: t.database, dataDir: t.config.dataDir }, [canary])).length,
    ).toBeGreaterThan(0);

    const sweep = await sweepHardDeletes(t, new Date(Date.now() + 31 * DAY));
    const report = sweep.orgs.find((r) => r.orgId === orgId);
    expect(report?.blobs).toBe(1);
    expect(report?.rows['public.messages']).toBeGreaterThan(0);

    // The reseller and its client, scheduled earlier, went in the same sweep: the client first.
    const order = sweep.orgs.map((r) => r.orgId);
    expect(order.indexOf(resellerIds.client)).toBeGreaterThanOrEqual(0);
    expect(order.indexOf(resellerIds.client)).toBeLessThan(order.indexOf(resellerIds.reseller));

    // 0 rows with the org's id in every column named org_id, in every schema.
    const columns = await su.query<{ schema: string; table: string }>(
      `select table_schema as schema, table_name as table from information_schema.columns
        where column_name = 'org_id' and table_schema not in ('pg_catalog', 'information_schema')`,
    );
    expect(columns.length).toBeGreaterThan(10);
    for (const c of columns) {
      const [row] = await su.query<{ n: number }>(
        `select count(*)::int as n from "${c.schema}"."${c.table}" where org_id = $1`,
        [orgId],
      );
      expect(row?.n, `${c.schema}.${c.table}`).toBe(0);
    }
    expect(await su.query('select id from organizations where id = $1', [orgId])).toEqual([]);
    expect(await jobRows()).toBe(0);
    await expect(readdir(blobDir)).rejects.toMatchObject({ code: 'ENOENT' });
    // No canary left anywhere: database (every text/json/bytea column), data dir, logs.
    expect(
      await scanForResidue({ database: t.database, dataDir: t.config.dataDir, logs }, [
        canary,
        `${canary}@example.org`,
      ]),
    ).toEqual([]);
    // The org's own key is now simply unknown.
    expect((await as(doomed.apiKey, { method: 'GET', url: '/v1/agents' })).statusCode).toBe(401);

    // The platform's chain records it with ids and counts only.
    const [entry] = await su.query<{ target_id: string; metadata: Record<string, unknown> }>(
      `select target_id, metadata from audit_log
        where org_id = $1 and action = 'org.hard_deleted' and target_id = $2`,
      [await platformId(), orgId],
    );
    expect(entry?.metadata).toMatchObject({ blobs: 1 });
    expect(Object.values(entry!.metadata).every((v) => typeof v === 'number')).toBe(true);
    const verify = await as(t.platformKey, { method: 'GET', url: '/v1/audit/verify' });
    expect(verify.json()).toMatchObject({ verified: true });

    // The other org kept everything.
    const kept = await scanForResidue({ database: t.database, dataDir: t.config.dataDir }, [keep]);
    expect(kept.map((r) => r.where)).toEqual(expect.arrayContaining(['public.messages.content']));
    expect((await as(bystander.apiKey, { method: 'GET', url: '/v1/agents' })).statusCode).toBe(200);
    expect((await widget(`/v1/widget/config?agentKey=${bystander.agentKey}`)).status).toBe(200);
    // The owner's account outlives the org (they may belong to others, or create one).
    const me = await owner.request({ method: 'GET', url: '/v1/me' });
    expect(me.statusCode).toBe(200);
    expect(me.json().memberships).toEqual([]);
  });
});
