import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { decryptSecret, encryptSecret } from '../../../platform/crypto/envelope.js';
import type { Keyring } from '../../../platform/crypto/keyring.js';
import type { Tx } from '../../../platform/db/client.js';
import { agentIdentitySecrets, agents } from '../../../platform/db/schema/index.js';
import { notFound } from '../../../platform/errors.js';
import { type Actor, recordAudit } from '../../audit/service.js';

/**
 * The per-agent identity secret (Confidant.identify). Generated on demand and returned once;
 * generating again replaces it (rotation: pages signing with the old secret are refused from
 * then on). Stored envelope-encrypted, bound to its row; the audit entry holds ids only.
 */
const location = (orgId: string, rowId: string) => ({
  orgId,
  table: 'agent_identity_secrets',
  column: 'secret_ciphertext',
  rowId,
});

export async function rotateIdentitySecret(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  agentId: string,
  actor: Actor,
): Promise<{ secret: string; createdAt: string }> {
  await findAgent(tx, orgId, agentId);
  const secret = `cis_${randomBytes(32).toString('base64url')}`;
  await tx
    .delete(agentIdentitySecrets)
    .where(and(eq(agentIdentitySecrets.orgId, orgId), eq(agentIdentitySecrets.agentId, agentId)));
  const [row] = await tx
    .insert(agentIdentitySecrets)
    // Sealed below, once the row id the ciphertext is bound to exists.
    .values({ orgId, agentId, secretCiphertext: 'pending' })
    .returning({ id: agentIdentitySecrets.id, createdAt: agentIdentitySecrets.createdAt });
  await tx
    .update(agentIdentitySecrets)
    .set({ secretCiphertext: encryptSecret(keyring, secret, location(orgId, row!.id)) })
    .where(and(eq(agentIdentitySecrets.orgId, orgId), eq(agentIdentitySecrets.id, row!.id)));
  await recordAudit(tx, keyring, orgId, actor, {
    action: 'agent.identity_secret_rotated',
    targetType: 'agent',
    targetId: agentId,
  });
  return { secret, createdAt: row!.createdAt.toISOString() };
}

/** The agent's identity secret in clear, or null when none was generated. */
export async function readIdentitySecret(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  agentId: string,
): Promise<string | null> {
  const [row] = await tx
    .select({ id: agentIdentitySecrets.id, secretCiphertext: agentIdentitySecrets.secretCiphertext })
    .from(agentIdentitySecrets)
    .where(and(eq(agentIdentitySecrets.orgId, orgId), eq(agentIdentitySecrets.agentId, agentId)));
  return row ? decryptSecret(keyring, row.secretCiphertext, location(orgId, row.id)) : null;
}

/** Whether the agent (404 if not this org's) has an identity secret; never the secret itself. */
export async function hasIdentitySecret(tx: Tx, orgId: string, agentId: string): Promise<boolean> {
  await findAgent(tx, orgId, agentId);
  const [row] = await tx
    .select({ id: agentIdentitySecrets.id })
    .from(agentIdentitySecrets)
    .where(and(eq(agentIdentitySecrets.orgId, orgId), eq(agentIdentitySecrets.agentId, agentId)));
  return !!row;
}

async function findAgent(tx: Tx, orgId: string, agentId: string): Promise<void> {
  const [agent] = await tx
    .select({ id: agents.id })
    .from(agents)
    .where(and(eq(agents.orgId, orgId), eq(agents.id, agentId)));
  if (!agent) throw notFound('Agent');
}
