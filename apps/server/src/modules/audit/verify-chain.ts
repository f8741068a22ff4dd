import { asc, eq } from 'drizzle-orm';
import type { Keyring } from '../../platform/crypto/keyring.js';
import type { Tx } from '../../platform/db/client.js';
import { auditHeads, auditLog } from '../../platform/db/schema/index.js';
import { chainKey, GENESIS_HASH, keyedEntryHash, legacyEntryHash } from './chain-mac.js';

/**
 * Why a chain did not verify:
 * - `broken`: the log was changed behind the application's back (an entry rewritten, removed,
 *   reordered, cut from the end, or written without the chain key);
 * - `key_missing`: an entry is sealed under a master key version the keyring no longer holds, so
 *   it cannot be checked. That is a configuration problem, not evidence of tampering.
 */
export type ChainProblem = { orgId: string; seq: number; kind: 'broken' | 'key_missing'; reason: string };

/**
 * Recomputes one org's chain; returns the first bad entry, or null when intact.
 *
 * Every entry must carry a keyed MAC under a master key version of `keyring`. A legacy entry
 * (plain SHA-256, no key version) is refused even when its plain hash is right: anyone with
 * database access can compute that hash, and the one-time re-seal (reseal-legacy-chains.ts) has
 * keyed every legacy entry that existed when keyed chains arrived.
 */
export async function verifyChain(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
): Promise<{ entries: number; problem: ChainProblem | null }> {
  const rows = await tx.select().from(auditLog).where(eq(auditLog.orgId, orgId)).orderBy(asc(auditLog.seq));
  const [head] = await tx.select().from(auditHeads).where(eq(auditHeads.orgId, orgId));
  const result = (problem: ChainProblem | null) => ({ entries: rows.length, problem });
  const keys = new Map<number, Buffer | undefined>();
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  for (const row of rows) {
    const broken = (reason: string) => result({ orgId, seq: row.seq, kind: 'broken', reason });
    if (row.seq !== expectedSeq)
      return broken(`expected entry #${expectedSeq} but found #${row.seq} (removed or reordered)`);
    if (row.prevHash !== prevHash)
      return broken('prev_hash does not match the previous entry (removed or reordered)');
    if (row.keyVersion === null) {
      if (legacyEntryHash(prevHash, row) !== row.hash)
        return broken('content does not match its hash (changed)');
      return broken(
        'entry has only a plain SHA-256 hash, not the keyed MAC: written or rewritten outside the application ' +
          '(or a legacy entry not re-sealed yet: the server re-seals legacy chains once, when it starts)',
      );
    }
    if (!keys.has(row.keyVersion)) keys.set(row.keyVersion, chainKey(keyring, row.keyVersion, orgId));
    const key = keys.get(row.keyVersion);
    if (!key) {
      return result({
        orgId,
        seq: row.seq,
        kind: 'key_missing',
        reason:
          `sealed with master key version ${row.keyVersion}, which is not in the keyring: cannot check this entry ` +
          'or the ones after it (add that key version back to verify; this alone is not evidence of tampering)',
      });
    }
    if (keyedEntryHash(key, row.keyVersion, prevHash, row) !== row.hash)
      return broken('content does not match its MAC (changed)');
    prevHash = row.hash;
    expectedSeq++;
  }
  const last = rows.at(-1);
  if ((head?.seq ?? 0) !== (last?.seq ?? 0) || (head && head.hash !== last?.hash)) {
    return result({
      orgId,
      seq: (last?.seq ?? 0) + 1,
      kind: 'broken',
      reason: `chain head says #${head?.seq ?? 0} but the log ends at #${last?.seq ?? 0} (entries removed from the end)`,
    });
  }
  return result(null);
}
