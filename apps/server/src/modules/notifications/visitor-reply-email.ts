import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Keyring } from '../../platform/crypto/keyring.js';
import type { Tx } from '../../platform/db/client.js';
import { agents, conversations, messages } from '../../platform/db/schema/index.js';
import { recordAudit } from '../audit/service.js';
import { operatorReplyToVisitor } from './compose.js';
import { insertNotifications } from './queue.js';

/**
 * An operator's reply, emailed to the visitor — only when the visitor left an address with
 * explicit consent (visitor contacts, looked up through `lookupContact`). Queued in the reply's
 * transaction (inbox/operator-messages.ts) and delivered by the same job as every notification.
 *
 * The reply text is sent here, on purpose: the message is addressed to the person it was written
 * for. Notes (internal) and anything but a stored, non-internal operator message are never sent.
 * Audited with ids only (the address is personal data and stays out of the log).
 */
export type ConsentedContact = { email: string };

/** Finds the address a visitor left with consent for a conversation, or null. */
export type ConsentedContactLookup = (
  tx: Tx,
  orgId: string,
  conversationId: string,
) => Promise<ConsentedContact | null>;

const emailAddress = z.email().max(254);

export async function queueVisitorReplyEmail(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  conversationId: string,
  messageId: string,
  lookupContact: ConsentedContactLookup,
): Promise<string | null> {
  const contact = await lookupContact(tx, orgId, conversationId);
  if (!contact || !emailAddress.safeParse(contact.email).success) return null;
  const [reply] = await tx
    .select({ text: messages.content, agentName: agents.name })
    .from(messages)
    .innerJoin(
      conversations,
      and(eq(conversations.orgId, messages.orgId), eq(conversations.id, messages.conversationId)),
    )
    .innerJoin(agents, and(eq(agents.orgId, conversations.orgId), eq(agents.id, conversations.agentId)))
    .where(
      and(
        eq(messages.orgId, orgId),
        eq(messages.id, messageId),
        eq(messages.conversationId, conversationId),
        eq(messages.role, 'operator'),
        eq(messages.internal, false),
      ),
    );
  if (!reply) return null;
  const message = operatorReplyToVisitor({ agentName: reply.agentName, replyText: reply.text });
  const [id] = await insertNotifications(tx, orgId, [
    { ...message, channel: 'email', recipient: contact.email, recipientUserId: null, conversationId },
  ]);
  await recordAudit(
    tx,
    keyring,
    orgId,
    { type: 'system', id: null },
    {
      action: 'notification.visitor_reply_queued',
      targetType: 'conversation',
      targetId: conversationId,
      metadata: { notificationId: id!, messageId },
    },
  );
  return id!;
}
