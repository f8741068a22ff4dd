import { createHash } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Keyring } from '../../platform/crypto/keyring.js';
import type { Tx } from '../../platform/db/client.js';
import { type ContactPurpose, visitorContacts } from '../../platform/db/schema/index.js';
import { recordAudit } from '../audit/service.js';
import { subjectHash } from '../privacy/subjects/subject-hash.js';
import { visitorActor } from './service.js';
import { lockConversation } from './state.js';

/**
 * Email addresses visitors leave so the team can reply when nobody was in the chat.
 * Invariants: a row is written only with consent, and records the hash of the exact consent
 * text the visitor was shown (not the text, not a copy of the page); one row per conversation
 * and purpose, a second submission replaces the address and renews the consent; the audit
 * entry holds ids only, never the address.
 */
export const consentTextHash = (consentText: string) =>
  createHash('sha256').update(consentText, 'utf8').digest('hex');

export async function saveConsentedContact(
  tx: Tx,
  keyring: Keyring,
  input: {
    orgId: string;
    conversationId: string;
    email: string;
    purpose: ContactPurpose;
    consentText: string;
  },
): Promise<{ id: string }> {
  await lockConversation(tx, input.orgId, input.conversationId);
  const values = {
    email: input.email,
    // The keyed hash a data-subject request finds the address by (privacy/subjects).
    emailHash: subjectHash(keyring, input.orgId, 'email', input.email),
    consentTextHash: consentTextHash(input.consentText),
    consentedAt: sql`now()`,
    withdrawnAt: null,
  };
  const [row] = await tx
    .insert(visitorContacts)
    .values({ orgId: input.orgId, conversationId: input.conversationId, purpose: input.purpose, ...values })
    .onConflictDoUpdate({
      target: [visitorContacts.orgId, visitorContacts.conversationId, visitorContacts.purpose],
      set: values,
    })
    .returning({ id: visitorContacts.id });
  await recordAudit(tx, keyring, input.orgId, visitorActor(input.conversationId), {
    action: 'visitor_contact.consented',
    targetType: 'conversation',
    targetId: input.conversationId,
    metadata: { contactId: row!.id, purpose: input.purpose },
  });
  return { id: row!.id };
}

/**
 * The email address the visitor consented to be answered at for this conversation, or null
 * (none left, or consent withdrawn). For email notifications of operator replies.
 */
export async function findConsentedContact(
  tx: Tx,
  orgId: string,
  conversationId: string,
): Promise<string | null> {
  const [row] = await tx
    .select({ email: visitorContacts.email })
    .from(visitorContacts)
    .where(
      and(
        eq(visitorContacts.orgId, orgId),
        eq(visitorContacts.conversationId, conversationId),
        eq(visitorContacts.purpose, 'reply_by_email'),
        isNull(visitorContacts.withdrawnAt),
      ),
    );
  return row?.email ?? null;
}
