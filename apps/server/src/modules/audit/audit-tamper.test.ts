import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../../platform/db/tenancy.js';
import { testDatabaseKinds } from '../../platform/db/test-database.js';
import { openSuperuserSql, type SuperuserSql } from '../../testing/superuser-sql.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { UnknownOrgError, verifyAuditChains } from './verify.js';
import { verifyChain } from './verify-chain.js';

/**
 * The audit log must reveal any change made behind the application's back — even by a
 * superuser who disabled the append-only triggers. Each case tampers with its own org's chain.
 */
/** Drizzle wraps driver errors ("Failed query: …"); the trigger's message is on the cause. */
const isAppendOnlyError = (error: unknown) =>
  /append-only/.test(`${(error as Error).message} ${((error as Error).cause as Error | undefined)?.message}`);

describe.each(testDatabaseKinds)('audit chain tampering on %s', (kind) => {
  let t: TestApp;
  let su: SuperuserSql;
  const orgs: Record<'intact' | 'changed' | 'removed' | 'reordered' | 'truncated', string> = {
    intact: '',
    changed: '',
    removed: '',
    reordered: '',
    truncated: '',
  };

  /** Creates the org through the API and adds entries by creating agents: 5 or more entries. */
  async function orgWithEntries(name: string) {
    const { orgId, apiKey } = await t.createOrg(name);
    for (const agent of ['one', 'two', 'three']) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/v1/agents',
        headers: { authorization: `Bearer ${apiKey}` },
        payload: { name: agent },
      });
      expect(res.statusCode).toBe(201);
    }
    return orgId;
  }

  /** Runs statements as superuser with the append-only triggers switched off, atomically. */
  const tamper = (statements: string) =>
    su.exec(`BEGIN;
      ALTER TABLE audit_log DISABLE TRIGGER USER;
      ${statements};
      ALTER TABLE audit_log ENABLE TRIGGER USER;
      COMMIT;`);

  const verify = (orgId: string) =>
    withTenant(t.database, [orgId], (tx) => verifyChain(tx, t.keyring, orgId));
  const entryCount = async (orgId: string) =>
    (await su.query<{ n: number }>('select count(*)::int as n from audit_log where org_id = $1', [orgId]))[0]!
      .n;

  beforeAll(async () => {
    t = await createTestApp({ kind });
    su = await openSuperuserSql(t.database);
    for (const key of Object.keys(orgs) as (keyof typeof orgs)[]) orgs[key] = await orgWithEntries(key);
  });
  afterAll(async () => {
    await su?.close();
    await t?.close();
  });

  it('verifies intact chains', async () => {
    const count = await entryCount(orgs.intact);
    expect(count).toBeGreaterThanOrEqual(5);
    expect(await verify(orgs.intact)).toEqual({ entries: count, problem: null });
    const all = await verifyAuditChains(t.database, t.keyring);
    expect(all.problems).toEqual([]);
    expect(all.orgs).toBeGreaterThanOrEqual(6); // the platform org and the five above
    expect(all.entries).toBeGreaterThanOrEqual(25);
    expect(await verifyAuditChains(t.database, t.keyring, { orgId: orgs.intact })).toEqual({
      orgs: 1,
      entries: count,
      problems: [],
    });
    await expect(verifyAuditChains(t.database, t.keyring, { orgId: crypto.randomUUID() })).rejects.toThrow(
      UnknownOrgError,
    );
  });

  it('blocks UPDATE, DELETE and TRUNCATE while the triggers are active, even for a superuser', async () => {
    const o = orgs.intact;
    for (const statement of [
      `UPDATE audit_log SET target_id = 'x' WHERE org_id = '${o}'`,
      `DELETE FROM audit_log WHERE org_id = '${o}' AND seq = 2`,
      'TRUNCATE audit_log CASCADE',
    ]) {
      await expect(su.exec(statement), statement).rejects.toThrow(/append-only/);
    }
    // The application's own role (on PostgreSQL the owner of the table) is blocked too.
    await expect(
      withTenant(t.database, [o], (tx) =>
        tx.execute(sql`update audit_log set action = 'x' where org_id = ${o}`),
      ),
    ).rejects.toSatisfy(isAppendOnlyError);
    await expect(
      withTenant(t.database, [o], (tx) => tx.execute(sql`delete from audit_log where org_id = ${o}`)),
    ).rejects.toSatisfy(isAppendOnlyError);
    expect((await verify(o)).problem).toBeNull();
  });

  it('names the entry whose content was changed', async () => {
    const o = orgs.changed;
    await tamper(`UPDATE audit_log SET metadata = '{"kind":"reseller"}' WHERE org_id = '${o}' AND seq = 1`);
    expect((await verify(o)).problem).toMatchObject({
      orgId: o,
      seq: 1,
      reason: expect.stringMatching(/changed/),
    });
    // A second change further down does not hide the first one.
    await tamper(`UPDATE audit_log SET target_id = 'other' WHERE org_id = '${o}' AND seq = 3`);
    expect((await verify(o)).problem?.seq).toBe(1);
  });

  it('names the gap where a middle entry was removed', async () => {
    const o = orgs.removed;
    await tamper(`DELETE FROM audit_log WHERE org_id = '${o}' AND seq = 3`);
    expect((await verify(o)).problem).toMatchObject({
      orgId: o,
      seq: 4,
      reason: expect.stringMatching(/expected entry #3.*removed or reordered/),
    });
  });

  it('names the first entry out of order when two entries were swapped', async () => {
    const o = orgs.reordered;
    await tamper(`
      UPDATE audit_log SET seq = -1 WHERE org_id = '${o}' AND seq = 2;
      UPDATE audit_log SET seq = 2 WHERE org_id = '${o}' AND seq = 3;
      UPDATE audit_log SET seq = 3 WHERE org_id = '${o}' AND seq = -1`);
    expect((await verify(o)).problem).toMatchObject({
      orgId: o,
      seq: 2,
      reason: expect.stringMatching(/removed or reordered/),
    });
  });

  it('notices when the last entry was removed', async () => {
    const o = orgs.truncated;
    const count = await entryCount(o);
    await tamper(`DELETE FROM audit_log WHERE org_id = '${o}' AND seq = ${count}`);
    expect((await verify(o)).problem).toMatchObject({
      orgId: o,
      seq: count,
      reason: expect.stringMatching(/entries removed from the end/),
    });
  });

  it('reports the first broken entry of every broken org, and only those', async () => {
    const all = await verifyAuditChains(t.database, t.keyring);
    expect(all.problems.map((p) => p.orgId).sort()).toEqual(
      [orgs.changed, orgs.removed, orgs.reordered, orgs.truncated].sort(),
    );
  });
});
