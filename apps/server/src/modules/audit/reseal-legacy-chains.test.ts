import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeKeyring } from '../../platform/crypto/keyring.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { createTestDatabase, type TestDatabase, testDatabaseKinds } from '../../platform/db/test-database.js';
import { openSuperuserSql, type SuperuserSql } from '../../testing/superuser-sql.js';
import { type EntryFields, GENESIS_HASH, legacyEntryHash } from './chain-mac.js';
import { resealLegacyAuditChains } from './reseal-legacy-chains.js';
import { recordAudit } from './service.js';
import { verifyChain } from './verify-chain.js';

/**
 * The one-time upgrade of a database written before keyed chains: legacy (plain SHA-256) chains
 * are re-sealed once, broken ones are left for `audit verify` to report, and nothing written in
 * the legacy form afterwards is ever re-sealed.
 */
const isAppendOnlyError = (error: unknown) =>
  /append-only/.test(`${(error as Error).message} ${((error as Error).cause as Error | undefined)?.message}`);

describe.each(testDatabaseKinds)('re-sealing legacy audit chains on %s', (kind) => {
  let database: TestDatabase;
  let su: SuperuserSql;
  const keyring = makeKeyring(new Map([[1, randomBytes(32)]]));
  const intact = randomUUID();
  const broken = randomUUID();

  /** Appends legacy entries as the pre-keyed code did (INSERT is allowed; no key version). */
  async function appendLegacy(orgId: string, count: number, options: { corruptSeq?: number } = {}) {
    const [head] = await su.query<{ seq: number; hash: string }>(
      'select seq::int as seq, hash from audit_heads where org_id = $1',
      [orgId],
    );
    let prevHash = head?.hash ?? GENESIS_HASH;
    let seq = head?.seq ?? 0;
    for (let i = 0; i < count; i++) {
      seq++;
      const fields: EntryFields = {
        orgId,
        seq,
        at: new Date(Date.now() - 60_000 + seq),
        actorType: 'system',
        actorId: null,
        action: 'legacy.action',
        targetType: 'agent',
        targetId: randomUUID(),
        metadata: { n: seq },
      };
      const hash = legacyEntryHash(prevHash, fields);
      const storedTarget = options.corruptSeq === seq ? 'changed-later' : fields.targetId;
      await su.query(
        `insert into audit_log (org_id, seq, at, actor_type, actor_id, action, target_type, target_id, metadata, prev_hash, hash)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [
          orgId,
          seq,
          fields.at,
          'system',
          null,
          fields.action,
          'agent',
          storedTarget,
          fields.metadata,
          prevHash,
          hash,
        ],
      );
      prevHash = hash;
    }
    await su.query(
      `insert into audit_heads (org_id, seq, hash) values ($1, $2, $3)
       on conflict (org_id) do update set seq = excluded.seq, hash = excluded.hash`,
      [orgId, seq, prevHash],
    );
  }

  const verify = (orgId: string) => withTenant(database, [orgId], (tx) => verifyChain(tx, keyring, orgId));
  const recorded = (orgId: string) =>
    su.query<{ seq: number; key_version: number | null; target_id: string; at: string }>(
      `select seq::int as seq, key_version, target_id, at::text as at from audit_log where org_id = $1 order by seq`,
      [orgId],
    );

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    su = await openSuperuserSql(database);
    for (const id of [intact, broken])
      await su.query(`insert into organizations (id, kind, name) values ($1, 'direct', 'Legacy')`, [id]);
    await appendLegacy(intact, 4);
    await appendLegacy(broken, 4, { corruptSeq: 2 });
  }, 60_000);
  afterAll(async () => {
    await su?.close();
    await database?.drop();
  });

  it('refuses legacy entries until they are re-sealed', async () => {
    expect((await verify(intact)).problem).toMatchObject({
      seq: 1,
      reason: expect.stringMatching(/plain SHA-256/),
    });
  });

  it('re-seals intact legacy chains once, keeping every recorded field, and leaves broken ones reported', async () => {
    const before = await recorded(intact);
    const outcome = await resealLegacyAuditChains(database, keyring);
    expect(outcome).toEqual({ ran: true, orgs: 1, entries: 4, refused: [{ orgId: broken, seq: 2 }] });

    const after = await recorded(intact);
    expect(after.map((r) => r.key_version)).toEqual([1, 1, 1, 1]);
    expect(after.map(({ key_version: _k, ...rest }) => rest)).toEqual(
      before.map(({ key_version: _k, ...rest }) => rest),
    );
    expect(await verify(intact)).toEqual({ entries: 4, problem: null });
    // Left in the legacy form, so it keeps failing verification from its first entry.
    expect((await verify(broken)).problem).toMatchObject({
      seq: 1,
      reason: expect.stringMatching(/plain SHA-256/),
    });
    expect((await recorded(broken)).map((r) => r.key_version)).toEqual([null, null, null, null]);

    // Idempotent: a second boot finds keyed entries and touches nothing.
    expect(await resealLegacyAuditChains(database, keyring)).toMatchObject({ ran: false, entries: 0 });
  });

  it('never re-seals legacy entries written after the upgrade', async () => {
    await withTenant(database, [intact], (tx) =>
      recordAudit(tx, keyring, intact, { type: 'system', id: null }, { action: 'after.upgrade' }),
    );
    // A forger appends in the legacy form, with a correct plain hash and chain head.
    await appendLegacy(intact, 1);
    expect(await resealLegacyAuditChains(database, keyring)).toMatchObject({ ran: false });
    expect((await verify(intact)).problem).toMatchObject({
      seq: 6,
      reason: expect.stringMatching(/plain SHA-256/),
    });
  });

  it('the UPDATE trigger admits only the re-seal itself, even with the upgrade setting on', async () => {
    const attempt = (statement: ReturnType<typeof sql>) =>
      withTenant(database, [intact], async (tx) => {
        await tx.execute(sql`select set_config('app.audit_reseal', 'on', true)`);
        await tx.execute(statement);
      });
    // A recorded field changed along with the key version.
    await expect(
      attempt(sql`update audit_log set key_version = 1, action = 'x' where org_id = ${intact} and seq = 6`),
    ).rejects.toSatisfy(isAppendOnlyError);
    // An entry that already has a key version.
    await expect(
      attempt(sql`update audit_log set key_version = 2, hash = 'x' where org_id = ${intact} and seq = 1`),
    ).rejects.toSatisfy(isAppendOnlyError);
    await expect(attempt(sql`delete from audit_log where org_id = ${intact} and seq = 6`)).rejects.toSatisfy(
      isAppendOnlyError,
    );
    // Without the setting, not even the re-seal's own change is allowed.
    await expect(
      withTenant(database, [intact], (tx) =>
        tx.execute(sql`update audit_log set key_version = 1 where org_id = ${intact} and seq = 6`),
      ),
    ).rejects.toSatisfy(isAppendOnlyError);
  });
});
