import { createPublicKey, sign, verify } from 'node:crypto';
import type { AuditCheckpoint } from '@confidant/contract';
import { and, desc, eq, lt } from 'drizzle-orm';
import { type SigningKey, signingKeyId } from '../../platform/crypto/signing-key.js';
import type { Tx } from '../../platform/db/client.js';
import { auditCheckpoints, auditHeads } from '../../platform/db/schema/index.js';
import { canonicalJson } from './canonical-json.js';

/**
 * Signed checkpoints of an org's audit chain (docs/ARCHITECTURE.md, "Audit log").
 *
 * A checkpoint is the chain's head (seq, hash) at a moment, signed with Ed25519 over the RFC 8785
 * canonical JSON `{ v: 1, orgId, seq, headHash, signedAt }`. The signing key lives outside the
 * database (platform/crypto/signing-key.ts) and its public key is published with every
 * checkpoint. A business downloads checkpoints (GET /v1/audit/checkpoints) and keeps them; later,
 * `confidant audit verify --checkpoints FILE` (verify-checkpoints.ts) proves the log still holds,
 * at each signed seq, the entry whose hash was signed — so even someone who could rewrite the
 * database and recompute every MAC cannot rewrite history before a checkpoint unnoticed.
 *
 * Invariant: one checkpoint per (org, seq); signing an unchanged head returns the existing one.
 * Creating a checkpoint is deliberately not itself audited: that entry would move the head and
 * leave every checkpoint one entry stale.
 */
/** The wire shape (packages/contract AuditCheckpoint): signedAt ISO 8601 with milliseconds, exactly what was signed. */
export type Checkpoint = AuditCheckpoint;

/** The exact bytes a checkpoint's signature covers. */
export function checkpointPayload(c: Pick<Checkpoint, 'orgId' | 'seq' | 'headHash' | 'signedAt'>): Buffer {
  return Buffer.from(
    canonicalJson({ v: 1, orgId: c.orgId, seq: c.seq, headHash: c.headHash, signedAt: c.signedAt }),
  );
}

const toCheckpoint = (row: typeof auditCheckpoints.$inferSelect): Checkpoint => ({
  orgId: row.orgId,
  seq: row.seq,
  headHash: row.headHash,
  signedAt: row.signedAt.toISOString(),
  keyId: row.keyId,
  publicKey: row.publicKey,
  signature: row.signature,
});

/**
 * Signs the org's current head, or returns the checkpoint that already signs it (`created`
 * false). Null for an org whose chain is still empty. Runs in the caller's tenant transaction.
 */
export async function signCheckpoint(
  tx: Tx,
  key: SigningKey,
  orgId: string,
  now: Date = new Date(),
): Promise<{ checkpoint: Checkpoint; created: boolean } | null> {
  const [head] = await tx.select().from(auditHeads).where(eq(auditHeads.orgId, orgId));
  if (!head) return null;
  const [existing] = await tx
    .select()
    .from(auditCheckpoints)
    .where(and(eq(auditCheckpoints.orgId, orgId), eq(auditCheckpoints.seq, head.seq)));
  if (existing) return { checkpoint: toCheckpoint(existing), created: false };
  const signedAt = new Date(now.getTime()).toISOString();
  const payload = { orgId, seq: head.seq, headHash: head.hash, signedAt };
  const signature = sign(null, checkpointPayload(payload), key.privateKey).toString('base64');
  const [row] = await tx
    .insert(auditCheckpoints)
    .values({
      ...payload,
      signedAt: new Date(signedAt),
      keyId: key.keyId,
      publicKey: key.publicKeyPem,
      signature,
    })
    // A concurrent signer of the same head won: its checkpoint is as good as ours.
    .onConflictDoNothing()
    .returning();
  if (row) return { checkpoint: toCheckpoint(row), created: true };
  const [winner] = await tx
    .select()
    .from(auditCheckpoints)
    .where(and(eq(auditCheckpoints.orgId, orgId), eq(auditCheckpoints.seq, head.seq)));
  return { checkpoint: toCheckpoint(winner!), created: false };
}

/** The org's checkpoints, newest first; `before` (a seq) pages back. */
export async function listCheckpoints(
  tx: Tx,
  orgId: string,
  options: { limit: number; before?: number | undefined },
): Promise<{ checkpoints: Checkpoint[]; nextBefore: number | null }> {
  const rows = await tx
    .select()
    .from(auditCheckpoints)
    .where(
      and(
        eq(auditCheckpoints.orgId, orgId),
        options.before !== undefined ? lt(auditCheckpoints.seq, options.before) : undefined,
      ),
    )
    .orderBy(desc(auditCheckpoints.seq))
    .limit(options.limit + 1);
  const page = rows.slice(0, options.limit).map(toCheckpoint);
  return { checkpoints: page, nextBefore: rows.length > options.limit ? page.at(-1)!.seq : null };
}

/**
 * Why a checkpoint's signature does not hold (null when it does): a bad public key, a key id that
 * is not that key's, or a signature that does not cover these fields.
 */
export function checkpointSignatureProblem(c: Checkpoint): string | null {
  let publicKey: ReturnType<typeof createPublicKey>;
  try {
    publicKey = createPublicKey(c.publicKey);
  } catch {
    return 'its public key is not readable';
  }
  if (publicKey.asymmetricKeyType !== 'ed25519') return 'its public key is not an Ed25519 key';
  if (signingKeyId(publicKey) !== c.keyId) return `its key id ${c.keyId} does not match its public key`;
  const ok = verify(null, checkpointPayload(c), publicKey, Buffer.from(c.signature, 'base64'));
  return ok ? null : 'its signature does not match its fields (the checkpoint was altered)';
}
