import { createHash } from 'node:crypto';
import { asc, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../platform/db/client.js';
import { auditHeads, auditLog } from '../../platform/db/schema/index.js';
import { canonicalJson } from './canonical-json.js';

export const GENESIS_HASH = '0'.repeat(64);

export type Actor = {
  type: 'api_key' | 'user' | 'visitor' | 'system' | 'platform';
  /** An id or pseudonymous reference; never an email, name or other personal data. */
  id: string | null;
};

export type AuditEvent = {
  action: string;
  targetType?: string;
  targetId?: string;
  /** Ids, counts and flags only. Never message content or personal data. */
  metadata?: Record<string, string | number | boolean | null>;
};

type EntryFields = {
  orgId: string;
  seq: number;
  at: Date;
  actorType: string;
  actorId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  metadata: Record<string, string | number | boolean | null>;
};

/** The canonical form that is hashed. Timestamps as epoch milliseconds, absent values as null. */
export function entryHash(prevHash: string, e: EntryFields): string {
  const canonical = canonicalJson({
    v: 1,
    orgId: e.orgId,
    seq: e.seq,
    at: e.at.getTime(),
    actorType: e.actorType,
    actorId: e.actorId,
    action: e.action,
    targetType: e.targetType,
    targetId: e.targetId,
    metadata: e.metadata,
  });
  return createHash('sha256').update(prevHash).update(canonical).digest('hex');
}

/**
 * Appends one entry to the org's chain inside the caller's transaction, so the entry exists if
 * and only if the action it records committed. Entries of one org are serialised by an advisory
 * lock on the org id, which keeps `seq` gap-free under concurrency.
 */
export async function recordAudit(tx: Tx, orgId: string, actor: Actor, event: AuditEvent): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${orgId}::text, 42))`);
  const [head] = await tx.select().from(auditHeads).where(eq(auditHeads.orgId, orgId));
  const seq = (head?.seq ?? 0) + 1;
  const prevHash = head?.hash ?? GENESIS_HASH;
  const fields: EntryFields = {
    orgId,
    seq,
    // Millisecond precision so the stored timestamptz round-trips exactly into the hash.
    at: new Date(Date.now()),
    actorType: actor.type,
    actorId: actor.id,
    action: event.action,
    targetType: event.targetType ?? null,
    targetId: event.targetId ?? null,
    metadata: event.metadata ?? {},
  };
  const hash = entryHash(prevHash, fields);
  await tx.insert(auditLog).values({ ...fields, prevHash, hash });
  await tx
    .insert(auditHeads)
    .values({ orgId, seq, hash })
    .onConflictDoUpdate({ target: auditHeads.orgId, set: { seq, hash } });
}

export type ChainProblem = { orgId: string; seq: number; reason: string };

/** Recomputes one org's chain; returns the first broken entry, or null when intact. */
export async function verifyChain(
  tx: Tx,
  orgId: string,
): Promise<{ entries: number; problem: ChainProblem | null }> {
  const rows = await tx.select().from(auditLog).where(eq(auditLog.orgId, orgId)).orderBy(asc(auditLog.seq));
  const [head] = await tx.select().from(auditHeads).where(eq(auditHeads.orgId, orgId));
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  for (const row of rows) {
    const problem = (reason: string) => ({ entries: rows.length, problem: { orgId, seq: row.seq, reason } });
    if (row.seq !== expectedSeq)
      return problem(`expected entry #${expectedSeq} but found #${row.seq} (removed or reordered)`);
    if (row.prevHash !== prevHash)
      return problem('prev_hash does not match the previous entry (removed or reordered)');
    if (entryHash(prevHash, row) !== row.hash) return problem('content does not match its hash (changed)');
    prevHash = row.hash;
    expectedSeq++;
  }
  const last = rows.at(-1);
  if ((head?.seq ?? 0) !== (last?.seq ?? 0) || (head && head.hash !== last?.hash)) {
    return {
      entries: rows.length,
      problem: {
        orgId,
        seq: (last?.seq ?? 0) + 1,
        reason: `chain head says #${head?.seq ?? 0} but the log ends at #${last?.seq ?? 0} (entries removed from the end)`,
      },
    };
  }
  return { entries: rows.length, problem: null };
}
