import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Keyring, makeKeyring } from '../../platform/crypto/keyring.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { testDatabaseKinds } from '../../platform/db/test-database.js';
import { openSuperuserSql, type SuperuserSql } from '../../testing/superuser-sql.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { chainKey, type EntryFields, keyedEntryHash, legacyEntryHash } from './chain-mac.js';
import { recordAudit } from './service.js';
import { verifyAuditChains } from './verify.js';
import { verifyChain } from './verify-chain.js';

/**
 * The keyed chain against an attacker who holds the database but not the master key: on
 * PostgreSQL the application's own role (it owns the tables, so it may switch the append-only
 * triggers off), on PGlite a superuser. The attacker rewrites an entry and re-links everything
 * after it and the chain head — with plain SHA-256 (the old scheme) or with a key of their own.
 */
type StoredEntry = EntryFields & { prevHash: string; hash: string; keyVersion: number | null };

describe.each(testDatabaseKinds)('keyed audit chain on %s', (kind) => {
  let t: TestApp;
  let su: SuperuserSql;

  beforeAll(async () => {
    t = await createTestApp({ kind });
    su = await openSuperuserSql(t.database);
  });
  afterAll(async () => {
    await su?.close();
    await t?.close();
  });

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

  const entries = async (orgId: string): Promise<StoredEntry[]> =>
    (
      await su.query<{
        seq: number;
        at_ms: number;
        actor_type: string;
        actor_id: string | null;
        action: string;
        target_type: string | null;
        target_id: string | null;
        metadata: EntryFields['metadata'];
        prev_hash: string;
        hash: string;
        key_version: number | null;
      }>(
        `select seq::int as seq, (extract(epoch from at) * 1000)::float8 as at_ms, actor_type, actor_id, action,
                target_type, target_id, metadata, prev_hash, hash, key_version
           from audit_log where org_id = $1 order by seq`,
        [orgId],
      )
    ).map((r) => ({
      orgId,
      seq: r.seq,
      at: new Date(Math.round(r.at_ms)),
      actorType: r.actor_type,
      actorId: r.actor_id,
      action: r.action,
      targetType: r.target_type,
      targetId: r.target_id,
      metadata: r.metadata,
      prevHash: r.prev_hash,
      hash: r.hash,
      keyVersion: r.key_version,
    }));

  /**
   * Changes entry `fromSeq`'s target, then re-seals it and every later entry with `seal` and
   * points the chain head at the new last hash — all behind the application's back.
   */
  async function rewrite(
    orgId: string,
    fromSeq: number,
    seal: (prevHash: string, entry: StoredEntry) => { hash: string; keyVersion: number | null },
  ) {
    const rows = await entries(orgId);
    const updates: string[] = [];
    let prevHash = rows[fromSeq - 2]?.hash ?? '0'.repeat(64);
    for (const row of rows.slice(fromSeq - 1)) {
      const changed = row.seq === fromSeq ? { ...row, targetId: 'forged' } : row;
      const { hash, keyVersion } = seal(prevHash, changed);
      updates.push(
        `UPDATE audit_log SET target_id = '${changed.targetId}', prev_hash = '${prevHash}', hash = '${hash}',
           key_version = ${keyVersion ?? 'NULL'} WHERE org_id = '${orgId}' AND seq = ${row.seq}`,
      );
      prevHash = hash;
    }
    updates.push(`UPDATE audit_heads SET hash = '${prevHash}' WHERE org_id = '${orgId}'`);
    const script = `BEGIN;
      SELECT set_config('app.org_ids', '${orgId}', true);
      ALTER TABLE audit_log DISABLE TRIGGER USER;
      ${updates.join(';\n')};
      ALTER TABLE audit_log ENABLE TRIGGER USER;
      COMMIT;`;
    if (kind === 'postgres') {
      // The application's own role: the owner of audit_log, subject to RLS, not a superuser.
      const client = await t.database.pool!.connect();
      try {
        await client.query(script);
      } finally {
        client.release();
      }
    } else {
      await su.exec(script);
    }
  }

  const verify = (orgId: string, keyring: Keyring = t.keyring) =>
    withTenant(t.database, [orgId], (tx) => verifyChain(tx, keyring, orgId));

  it('seals every entry with the current master key version', async () => {
    const orgId = await orgWithEntries('sealed');
    const rows = await entries(orgId);
    expect(rows.length).toBeGreaterThanOrEqual(5);
    expect(new Set(rows.map((r) => r.keyVersion))).toEqual(new Set([t.keyring.current]));
    // Not the plain SHA-256 anyone could compute.
    expect(rows[0]!.hash).not.toBe(legacyEntryHash(rows[0]!.prevHash, rows[0]!));
    expect(await verify(orgId)).toEqual({ entries: rows.length, problem: null });
  });

  it('names the first entry rewritten with recomputed plain SHA-256 hashes and chain head', async () => {
    const legacyForm = await orgWithEntries('rewritten as legacy');
    await rewrite(legacyForm, 3, (prev, e) => ({ hash: legacyEntryHash(prev, e), keyVersion: null }));
    expect((await verify(legacyForm)).problem).toMatchObject({
      orgId: legacyForm,
      seq: 3,
      kind: 'broken',
      reason: expect.stringMatching(/plain SHA-256/),
    });

    // The same forgery claiming the key version the real entries carry.
    const keyedClaim = await orgWithEntries('rewritten claiming a key version');
    await rewrite(keyedClaim, 2, (prev, e) => ({ hash: legacyEntryHash(prev, e), keyVersion: 1 }));
    expect((await verify(keyedClaim)).problem).toMatchObject({
      orgId: keyedClaim,
      seq: 2,
      kind: 'broken',
      reason: expect.stringMatching(/does not match its MAC/),
    });

    const all = await verifyAuditChains(t.database, t.keyring);
    expect(all.problems.map((p) => [p.orgId, p.seq])).toEqual(
      expect.arrayContaining([
        [legacyForm, 3],
        [keyedClaim, 2],
      ]),
    );
  });

  it('names the first entry rewritten with HMACs under a key that is not the master key', async () => {
    const orgId = await orgWithEntries('rewritten with a wrong key');
    const wrong = makeKeyring(new Map([[1, randomBytes(32)]]));
    await rewrite(orgId, 4, (prev, e) => ({
      hash: keyedEntryHash(chainKey(wrong, 1, orgId)!, 1, prev, e),
      keyVersion: 1,
    }));
    expect((await verify(orgId)).problem).toMatchObject({
      seq: 4,
      kind: 'broken',
      reason: expect.stringMatching(/does not match its MAC/),
    });
  });

  it("does not accept another org's chain key", async () => {
    const orgId = await orgWithEntries('sealed with a sibling key');
    const other = await orgWithEntries('the sibling');
    await rewrite(orgId, 1, (prev, e) => ({
      hash: keyedEntryHash(chainKey(t.keyring, 1, other)!, 1, prev, e),
      keyVersion: 1,
    }));
    expect((await verify(orgId)).problem).toMatchObject({ seq: 1, kind: 'broken' });
  });

  it('verifies across a key rotation, and says so clearly when a key version is missing', async () => {
    const orgId = await orgWithEntries('rotated');
    const before = (await entries(orgId)).length;
    const rotated = makeKeyring(new Map([...t.keyring.keys, [2, randomBytes(32)]]));
    await withTenant(t.database, [orgId], async (tx) => {
      for (const targetId of ['a', 'b'])
        await recordAudit(
          tx,
          rotated,
          orgId,
          { type: 'system', id: null },
          { action: 'test.rotated', targetId },
        );
    });
    const rows = await entries(orgId);
    expect(rows.map((r) => r.keyVersion)).toEqual([...Array(before).fill(1), 2, 2]);
    expect(await verify(orgId, rotated)).toEqual({ entries: before + 2, problem: null });

    // Without version 1, the old entries cannot be checked: reported as such, not as tampering.
    const onlyV2 = makeKeyring(new Map([[2, rotated.keys.get(2)!]]));
    expect((await verify(orgId, onlyV2)).problem).toMatchObject({
      seq: 1,
      kind: 'key_missing',
      reason: expect.stringMatching(
        /master key version 1, which is not in the keyring.*not evidence of tampering/,
      ),
    });
    // Without version 2, everything up to the rotation still verifies.
    expect((await verify(orgId, t.keyring)).problem).toMatchObject({ seq: before + 1, kind: 'key_missing' });
  });
});
