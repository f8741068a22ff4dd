import { eq, sql } from 'drizzle-orm';
import type { Keyring } from '../../platform/crypto/keyring.js';
import type { Tx } from '../../platform/db/client.js';
import { auditHeads, auditLog } from '../../platform/db/schema/index.js';
import { chainKey, type EntryFields, GENESIS_HASH, keyedEntryHash } from './chain-mac.js';

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

/**
 * Appends one entry to the org's chain inside the caller's transaction, so the entry exists if
 * and only if the action it records committed. Entries of one org are serialised by an advisory
 * lock on the org id, which keeps `seq` gap-free under concurrency. The entry is sealed with the
 * org's chain key under the keyring's current master key version (chain-mac.ts); the keyring is
 * passed explicitly, like every other use of the master key.
 */
export async function recordAudit(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  actor: Actor,
  event: AuditEvent,
): Promise<void> {
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
  const keyVersion = keyring.current;
  const hash = keyedEntryHash(chainKey(keyring, keyVersion, orgId)!, keyVersion, prevHash, fields);
  await tx.insert(auditLog).values({ ...fields, prevHash, hash, keyVersion });
  await tx
    .insert(auditHeads)
    .values({ orgId, seq, hash })
    .onConflictDoUpdate({ target: auditHeads.orgId, set: { seq, hash } });
}
