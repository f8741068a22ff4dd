import { asc, eq, sql } from 'drizzle-orm';
import type { Keyring } from '../../platform/crypto/keyring.js';
import type { Database, Tx } from '../../platform/db/client.js';
import { auditHeads, auditLog, organizations } from '../../platform/db/schema/index.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { chainKey, GENESIS_HASH, keyedEntryHash, legacyEntryHash } from './chain-mac.js';

export type ResealOutcome = {
  /** False when keyed entries already existed: the upgrade had run before, nothing was touched. */
  ran: boolean;
  orgs: number;
  entries: number;
  /** Orgs whose legacy chain did not verify: left untouched, so `audit verify` keeps naming the entry. */
  refused: { orgId: string; seq: number }[];
};

/** Serialises concurrent boots (several processes on one PostgreSQL): one re-seals, the others find it done. */
const RESEAL_LOCK = sql`hashtextextended('confidant:audit-reseal', 42)`;

/**
 * The one-time upgrade of legacy audit chains (plain SHA-256) to keyed chains, run at boot with
 * the keyring before anything else writes to the log (docs/ARCHITECTURE.md, "Audit log").
 *
 * Invariants:
 * - It runs only while NO keyed entry exists in the database. The first keyed entry (this upgrade,
 *   or the first entry a fresh install records) closes it for good, so legacy-looking entries
 *   written later — e.g. by someone rewriting the log with plain hashes — are never re-sealed;
 *   `audit verify` reports them instead.
 * - A chain is re-sealed only if its legacy hashes, links and head all verify: a chain already
 *   broken stays as it is and is reported, never laundered.
 * - All chains are re-sealed in one transaction: either every intact chain is keyed or none is.
 *   The UPDATE trigger admits exactly this change (key version + hash links, recorded fields
 *   unchanged) while `app.audit_reseal` is on (drizzle/0005_audit_keyed_chain.sql).
 */
export async function resealLegacyAuditChains(database: Database, keyring: Keyring): Promise<ResealOutcome> {
  const orgIds = (await database.db.select({ id: organizations.id }).from(organizations)).map((o) => o.id);
  const outcome: ResealOutcome = { ran: false, orgs: 0, entries: 0, refused: [] };
  if (orgIds.length === 0) return outcome;
  return withTenant(database, orgIds, async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${RESEAL_LOCK})`);
    const [keyed] = await tx
      .select({ seq: auditLog.seq })
      .from(auditLog)
      .where(sql`${auditLog.keyVersion} is not null`)
      .limit(1);
    if (keyed) return outcome;
    outcome.ran = true;
    await tx.execute(sql`select set_config('app.audit_reseal', 'on', true)`);
    for (const orgId of orgIds) {
      const resealed = await resealChain(tx, keyring, orgId);
      if (resealed.refusedAt !== null) outcome.refused.push({ orgId, seq: resealed.refusedAt });
      else if (resealed.entries > 0) {
        outcome.orgs++;
        outcome.entries += resealed.entries;
      }
    }
    return outcome;
  });
}

/** Re-seals one org's legacy chain in place, or names the first entry that stops it. */
async function resealChain(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
): Promise<{ entries: number; refusedAt: number | null }> {
  // The same per-org lock recordAudit takes, so no entry is appended while the chain is re-linked.
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${orgId}::text, 42))`);
  const rows = await tx.select().from(auditLog).where(eq(auditLog.orgId, orgId)).orderBy(asc(auditLog.seq));
  const [head] = await tx.select().from(auditHeads).where(eq(auditHeads.orgId, orgId));
  let legacyPrev = GENESIS_HASH;
  for (const [index, row] of rows.entries()) {
    const intact =
      row.seq === index + 1 && row.prevHash === legacyPrev && legacyEntryHash(legacyPrev, row) === row.hash;
    if (!intact) return { entries: 0, refusedAt: row.seq };
    legacyPrev = row.hash;
  }
  const last = rows.at(-1);
  if (!last) return { entries: 0, refusedAt: null };
  if (head?.seq !== last.seq || head.hash !== last.hash) return { entries: 0, refusedAt: last.seq + 1 };

  const keyVersion = keyring.current;
  const key = chainKey(keyring, keyVersion, orgId)!;
  let prevHash = GENESIS_HASH;
  for (const row of rows) {
    const hash = keyedEntryHash(key, keyVersion, prevHash, row);
    await tx
      .update(auditLog)
      .set({ prevHash, hash, keyVersion })
      .where(sql`${auditLog.orgId} = ${orgId} and ${auditLog.seq} = ${row.seq}`);
    prevHash = hash;
  }
  await tx.update(auditHeads).set({ hash: prevHash }).where(eq(auditHeads.orgId, orgId));
  return { entries: rows.length, refusedAt: null };
}

/** What an operator should read about a re-seal (ids and counts only); empty when nothing happened. */
export function describeReseal(outcome: ResealOutcome): { info: string[]; warnings: string[] } {
  const info =
    outcome.entries > 0
      ? [
          `Re-sealed ${outcome.entries} legacy audit entries in ${outcome.orgs} organization(s) with the keyed MAC (one-time upgrade).`,
        ]
      : [];
  const warnings = outcome.refused.map(
    (r) =>
      `audit chain of org ${r.orgId} does not verify at entry #${r.seq}: left unsealed, so \`confidant audit verify\` keeps reporting it`,
  );
  return { info, warnings };
}
