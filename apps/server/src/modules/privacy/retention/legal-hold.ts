import { and, eq, sql } from 'drizzle-orm';
import type { Keyring } from '../../../platform/crypto/keyring.js';
import type { Tx } from '../../../platform/db/client.js';
import { conversations } from '../../../platform/db/schema/index.js';
import { notFound } from '../../../platform/errors.js';
import { type Actor, recordAudit } from '../../audit/service.js';

/**
 * Legal holds: a held conversation is never purged, nor anything that hangs off it (purge.ts).
 * The reason is the org's own text, kept on the conversation for its members; the audit entry
 * holds ids only. Placing a hold on a held conversation replaces the reason (audited again).
 */
export type LegalHold = { since: string; reason: string } | null;

export async function placeLegalHold(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  conversationId: string,
  actor: Actor,
  reason: string,
): Promise<LegalHold> {
  const [row] = await tx
    .update(conversations)
    .set({
      legalHoldAt: sql`coalesce(${conversations.legalHoldAt}, now())`,
      legalHoldReason: reason,
      legalHoldById: actor.type === 'user' ? actor.id : null,
    })
    .where(and(eq(conversations.orgId, orgId), eq(conversations.id, conversationId)))
    .returning({ at: conversations.legalHoldAt, reason: conversations.legalHoldReason });
  if (!row?.at) throw notFound('Conversation');
  await recordAudit(tx, keyring, orgId, actor, {
    action: 'conversation.legal_hold_placed',
    targetType: 'conversation',
    targetId: conversationId,
  });
  return { since: row.at.toISOString(), reason: row.reason ?? '' };
}

export async function liftLegalHold(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  conversationId: string,
  actor: Actor,
): Promise<void> {
  const [before] = await tx
    .select({ at: conversations.legalHoldAt })
    .from(conversations)
    .where(and(eq(conversations.orgId, orgId), eq(conversations.id, conversationId)))
    .for('update');
  if (!before) throw notFound('Conversation');
  if (!before.at) return;
  await tx
    .update(conversations)
    .set({ legalHoldAt: null, legalHoldReason: null, legalHoldById: null })
    .where(and(eq(conversations.orgId, orgId), eq(conversations.id, conversationId)));
  await recordAudit(tx, keyring, orgId, actor, {
    action: 'conversation.legal_hold_lifted',
    targetType: 'conversation',
    targetId: conversationId,
  });
}

/** The hold as the console shows it. */
export const legalHoldOf = (row: { legalHoldAt: Date | null; legalHoldReason: string | null }): LegalHold =>
  row.legalHoldAt ? { since: row.legalHoldAt.toISOString(), reason: row.legalHoldReason ?? '' } : null;
