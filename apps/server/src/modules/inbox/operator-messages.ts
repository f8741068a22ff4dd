import { and, eq, sql } from 'drizzle-orm';
import type { Keyring } from '../../platform/crypto/keyring.js';
import type { Tx } from '../../platform/db/client.js';
import { conversations, messages } from '../../platform/db/schema/index.js';
import { AppError } from '../../platform/errors.js';
import type { Actor } from '../audit/service.js';
import { recordAudit } from '../audit/service.js';
import {
  displayNames,
  emitMessage,
  emitTyping,
  type MessageView,
} from '../conversations/conversation-events.js';
import type { EphemeralTranscripts } from '../conversations/ephemeral-transcripts.js';
import { lockConversation, transition } from '../conversations/state.js';
import { findConsentedContact } from '../conversations/visitor-contacts.js';
import { type ConsentedContactLookup, queueVisitorReplyEmail } from '../notifications/visitor-reply-email.js';

/**
 * What operators write into a conversation.
 *
 * - A reply is delivered live to the visitor. Replying takes the conversation over: from `ai`
 *   or `waiting` it becomes `human` with the replying operator as assignee (the agent must never
 *   talk over a person). A closed conversation must be reopened first (409).
 * - A note (`internal`) is for operators only: never sent to the visitor or to any model, it
 *   changes no ownership, and it is audited (ids only).
 */
/** The address a visitor left with consent for replies by email (conversations/visitor-contacts.ts). */
const consentedContact: ConsentedContactLookup = async (tx, orgId, conversationId) => {
  const email = await findConsentedContact(tx, orgId, conversationId);
  return email ? { email } : null;
};

export type Author = { actor: Actor; userId: string | null };

export async function postOperatorMessage(
  tx: Tx,
  keyring: Keyring,
  transcripts: EphemeralTranscripts,
  orgId: string,
  conversationId: string,
  author: Author,
  /** authorName: the name an integration (inbound hook) signs with (messages.author_label). */
  input: { text: string; internal: boolean; authorName?: string },
): Promise<MessageView> {
  const conversation = await lockConversation(tx, orgId, conversationId);
  if (!input.internal) {
    if (conversation.status === 'closed')
      throw new AppError('conflict', 'The conversation is closed: reopen it before replying');
    if (conversation.status === 'ai' || conversation.status === 'waiting') {
      // An integration (API key) replying takes it over too, with nobody assigned.
      await transition(
        tx,
        keyring,
        orgId,
        conversationId,
        { type: 'claim', userId: author.userId },
        author.actor,
      );
    } else if (conversation.assigneeId === null && author.userId) {
      await transition(
        tx,
        keyring,
        orgId,
        conversationId,
        { type: 'assign', userId: author.userId },
        author.actor,
      );
    }
  }
  // Ephemeral: a text-free row; replies and notes alike are held in memory only.
  const ephemeral = conversation.ephemeral;
  const [row] = await tx
    .insert(messages)
    .values({
      orgId,
      conversationId,
      role: 'operator',
      content: ephemeral ? '' : input.text,
      internal: input.internal,
      authorId: author.userId,
      authorLabel: author.userId ? null : (input.authorName ?? null),
    })
    .returning();
  if (!input.internal) {
    await tx
      .update(conversations)
      .set({ lastMessageAt: sql`now()` })
      .where(and(eq(conversations.orgId, orgId), eq(conversations.id, conversationId)));
  }
  if (ephemeral) transcripts.hold(orgId, conversationId, row!.id, { text: input.text, citations: [] });
  const names = await displayNames(tx, [author.userId]);
  const view: MessageView = {
    id: row!.id,
    conversationId,
    role: 'operator',
    text: input.text,
    internal: row!.internal,
    authorId: author.userId,
    authorName: author.userId ? (names.get(author.userId) ?? null) : row!.authorLabel,
    systemEvent: null,
    citations: [],
    createdAt: row!.createdAt.toISOString(),
    ...(ephemeral ? { ephemeral: true as const } : {}),
  };
  await emitMessage(tx, orgId, view);
  // A visitor who left an address with consent (the offline flow) gets the reply by email;
  // an ephemeral conversation keeps no address.
  if (!input.internal && !ephemeral)
    await queueVisitorReplyEmail(tx, keyring, orgId, conversationId, row!.id, consentedContact);
  if (input.internal) {
    await recordAudit(tx, keyring, orgId, author.actor, {
      action: 'conversation.note_added',
      targetType: 'conversation',
      targetId: conversationId,
      metadata: { messageId: row!.id },
    });
  }
  return view;
}

/** "Typing…" for the visitor; callers throttle (typing-throttle.ts), so this writes every time. */
export async function signalOperatorTyping(
  tx: Tx,
  orgId: string,
  conversationId: string,
  userId: string | null,
) {
  const conversation = await lockConversation(tx, orgId, conversationId);
  if (conversation.status === 'closed') throw new AppError('conflict', 'The conversation is closed');
  const names = await displayNames(tx, [userId]);
  await emitTyping(tx, orgId, {
    conversationId,
    role: 'operator',
    authorName: userId ? (names.get(userId) ?? null) : null,
  });
}
