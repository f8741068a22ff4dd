import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { decryptSecret, encryptSecret } from '../../../platform/crypto/envelope.js';
import type { Keyring } from '../../../platform/crypto/keyring.js';
import type { Tx } from '../../../platform/db/client.js';
import { visitorIdentities } from '../../../platform/db/schema/index.js';
import { recordAudit } from '../../audit/service.js';
import { visitorActor } from '../../conversations/service.js';
import { lockConversation } from '../../conversations/state.js';
import { normalizeSubjectEmail, subjectHash } from './subject-hash.js';

/**
 * Records a verified identity for a conversation (identifying again replaces it). Lookups go
 * through the keyed hashes; the clear user id, email and name are envelope-encrypted, bound to
 * the row, for operators and exports. The audit entry holds ids only.
 */
export type VerifiedIdentity = { userId: string; email?: string | undefined; name?: string | undefined };

const location = (orgId: string, rowId: string, column: string) => ({
  orgId,
  table: 'visitor_identities',
  column,
  rowId,
});

export async function recordIdentity(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  conversationId: string,
  identity: VerifiedIdentity,
): Promise<void> {
  await lockConversation(tx, orgId, conversationId);
  const [existing] = await tx
    .select({ id: visitorIdentities.id })
    .from(visitorIdentities)
    .where(and(eq(visitorIdentities.orgId, orgId), eq(visitorIdentities.conversationId, conversationId)));
  const id = existing?.id ?? randomUUID();
  const seal = (column: string, value: string | undefined) =>
    value === undefined ? null : encryptSecret(keyring, value, location(orgId, id, column));
  const email = identity.email === undefined ? undefined : normalizeSubjectEmail(identity.email);
  const values = {
    userIdHash: subjectHash(keyring, orgId, 'userId', identity.userId),
    emailHash: email === undefined ? null : subjectHash(keyring, orgId, 'email', email),
    userIdCiphertext: seal('user_id_ciphertext', identity.userId)!,
    emailCiphertext: seal('email_ciphertext', email),
    nameCiphertext: seal('name_ciphertext', identity.name),
    verifiedAt: new Date(),
  };
  if (existing) {
    await tx
      .update(visitorIdentities)
      .set(values)
      .where(and(eq(visitorIdentities.orgId, orgId), eq(visitorIdentities.id, id)));
  } else {
    await tx.insert(visitorIdentities).values({ orgId, id, conversationId, ...values });
  }
  await recordAudit(tx, keyring, orgId, visitorActor(conversationId), {
    action: 'visitor.identified',
    targetType: 'conversation',
    targetId: conversationId,
    metadata: { identityId: id, email: email !== undefined, name: identity.name !== undefined },
  });
}

/** The identity of a conversation in clear (for operators), or null. */
export async function readIdentity(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  conversationId: string,
): Promise<{ userId: string; email: string | null; name: string | null; verifiedAt: string } | null> {
  const [row] = await tx
    .select()
    .from(visitorIdentities)
    .where(and(eq(visitorIdentities.orgId, orgId), eq(visitorIdentities.conversationId, conversationId)));
  if (!row) return null;
  const open = (column: string, value: string | null) =>
    value === null ? null : decryptSecret(keyring, value, location(orgId, row.id, column));
  return {
    userId: open('user_id_ciphertext', row.userIdCiphertext)!,
    email: open('email_ciphertext', row.emailCiphertext),
    name: open('name_ciphertext', row.nameCiphertext),
    verifiedAt: row.verifiedAt.toISOString(),
  };
}
