import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Keyring } from '../../platform/crypto/keyring.js';
import type { Database } from '../../platform/db/client.js';
import { auditLog } from '../../platform/db/schema/index.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { type Checkpoint, checkpointSignatureProblem } from './checkpoints.js';
import { type ChainProblem, verifyChain } from './verify-chain.js';

/**
 * `confidant audit verify --checkpoints FILE`: proves the audit log still extends what was signed.
 * For every checkpoint in the file: its signature holds (with the public key it carries), and the
 * log's entry at its seq has exactly the signed hash. Each org's chain is also recomputed as usual
 * (verify-chain.ts), so the log after the last checkpoint is checked too.
 *
 * Why both: the chain's MACs stop anyone without the master key; the checkpoints also stop someone
 * who holds it (or the whole server) from rewriting history a business already has a signed copy of.
 */
const checkpointSchema = z.object({
  orgId: z.uuid(),
  seq: z.number().int().min(1),
  headHash: z.string().regex(/^[0-9a-f]{64}$/),
  signedAt: z.string(),
  keyId: z.string().min(1),
  publicKey: z.string().min(1),
  signature: z.string().min(1),
});

/** What GET /v1/audit/checkpoints answers, or a plain array of checkpoints. */
const fileSchema = z.union([
  z.array(checkpointSchema),
  z.object({ checkpoints: z.array(checkpointSchema) }).transform((f) => f.checkpoints),
]);

export class CheckpointFileError extends Error {}

/** Parses a checkpoints file's text; throws CheckpointFileError saying what is wrong. */
export function parseCheckpointFile(text: string): Checkpoint[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CheckpointFileError('the checkpoints file is not JSON');
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success)
    throw new CheckpointFileError(
      'the checkpoints file must be what GET /v1/audit/checkpoints returns ({ "checkpoints": [...] }) or an array of checkpoints',
    );
  return parsed.data;
}

export type CheckpointProblem = { orgId: string; seq: number; reason: string };

export type CheckpointVerification = {
  checkpoints: number;
  orgs: number;
  entries: number;
  /** Checkpoints the log no longer matches (or whose signature fails). */
  problems: CheckpointProblem[];
  /** Chains that do not verify on their own (as `confidant audit verify`). */
  chainProblems: ChainProblem[];
};

export async function verifyAgainstCheckpoints(
  database: Database,
  keyring: Keyring,
  checkpoints: readonly Checkpoint[],
): Promise<CheckpointVerification> {
  const byOrg = new Map<string, Checkpoint[]>();
  for (const c of checkpoints) byOrg.set(c.orgId, [...(byOrg.get(c.orgId) ?? []), c]);
  const result: CheckpointVerification = {
    checkpoints: checkpoints.length,
    orgs: byOrg.size,
    entries: 0,
    problems: [],
    chainProblems: [],
  };
  for (const [orgId, list] of byOrg) {
    await withTenant(database, [orgId], async (tx) => {
      const chain = await verifyChain(tx, keyring, orgId);
      result.entries += chain.entries;
      if (chain.problem) result.chainProblems.push(chain.problem);
      for (const c of [...list].sort((a, b) => a.seq - b.seq)) {
        const signatureProblem = checkpointSignatureProblem(c);
        if (signatureProblem) {
          result.problems.push({ orgId, seq: c.seq, reason: `checkpoint not valid: ${signatureProblem}` });
          continue;
        }
        const [entry] = await tx
          .select({ hash: auditLog.hash })
          .from(auditLog)
          .where(and(eq(auditLog.orgId, orgId), eq(auditLog.seq, c.seq)));
        if (!entry) {
          result.problems.push({
            orgId,
            seq: c.seq,
            reason: `the log has no entry #${c.seq}, which the checkpoint signed at ${c.signedAt} (entries removed)`,
          });
        } else if (entry.hash !== c.headHash) {
          result.problems.push({
            orgId,
            seq: c.seq,
            reason: `entry #${c.seq} is not the one signed at ${c.signedAt}: the log up to it was rewritten`,
          });
        }
      }
    });
  }
  return result;
}
