import type { ConversationRating, HandoffDetail } from '@confidant/contract';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Keyring } from '../../platform/crypto/keyring.js';
import type { Tx } from '../../platform/db/client.js';
import { conversationReads, conversations, messages } from '../../platform/db/schema/index.js';
import { notFound } from '../../platform/errors.js';
import {
  type ConversationSummary,
  displayNames,
  type MessageView,
  summaryOf,
  withHeldText,
} from '../conversations/conversation-events.js';
import type { EphemeralTranscripts } from '../conversations/ephemeral-transcripts.js';
import { handoffDetailOf } from '../conversations/handoff-detail.js';
import { ratingView, readRating } from '../conversations/ratings/rate-conversation.js';
import { findConsentedContact } from '../conversations/visitor-contacts.js';
import { type LegalHold, legalHoldOf } from '../privacy/retention/legal-hold.js';
import { readIdentity } from '../privacy/subjects/record-identity.js';

/**
 * One conversation as an operator sees it: the summary, where it started (origin, page path,
 * language: see conversations/visitor-context.ts), the email address the
 * visitor left with consent (only then; withdrawn consent hides it), the identity the host site
 * verified (privacy/subjects), and the whole transcript, notes included. An ephemeral
 * conversation's text comes from this process's memory while held (ephemeral-transcripts.ts); a
 * message no longer held has text '' ("Not stored").
 */
export type ConversationDetail = ConversationSummary & {
  origin: string | null;
  pageUrl: string | null;
  language: string | null;
  contactEmail: string | null;
  /** Set while the conversation is kept out of the retention purge. */
  legalHold: LegalHold;
  /** Who the host site said the visitor is (Confidant.identify, verified), decrypted for operators. */
  identity: { userId: string; email: string | null; name: string | null; verifiedAt: string } | null;
  messages: MessageView[];
  rating: ConversationRating | null;
  handoffDetail: HandoffDetail | null;
};

export async function getConversationDetail(
  tx: Tx,
  transcripts: EphemeralTranscripts,
  keyring: Keyring,
  orgId: string,
  conversationId: string,
): Promise<ConversationDetail> {
  const [row] = await tx
    .select()
    .from(conversations)
    .where(and(eq(conversations.orgId, orgId), eq(conversations.id, conversationId)));
  if (!row) throw notFound('Conversation');
  const rows = await tx
    .select()
    .from(messages)
    .where(and(eq(messages.orgId, orgId), eq(messages.conversationId, conversationId)))
    .orderBy(asc(messages.createdAt), asc(messages.id));
  const names = await displayNames(tx, [row.assigneeId, ...rows.map((m) => m.authorId)]);
  return {
    ...summaryOf(row, row.assigneeId ? (names.get(row.assigneeId) ?? null) : null),
    origin: row.origin,
    pageUrl: row.pageUrl,
    language: row.language,
    contactEmail: await findConsentedContact(tx, orgId, conversationId),
    legalHold: legalHoldOf(row),
    identity: await readIdentity(tx, keyring, orgId, conversationId),
    rating: await readRating(tx, orgId, conversationId).then((r) => (r ? ratingView(r) : null)),
    handoffDetail: handoffDetailOf(row),
    messages: rows.map((m) =>
      withHeldText(transcripts, orgId, {
        id: m.id,
        conversationId,
        role: m.role,
        text: m.content,
        internal: m.internal,
        authorId: m.authorId,
        authorName: m.authorId ? (names.get(m.authorId) ?? null) : m.authorLabel,
        systemEvent: m.systemEvent,
        citations: m.citations,
        createdAt: m.createdAt.toISOString(),
        ...(row.ephemeral ? { ephemeral: true as const } : {}),
        ...(m.inputMode === 'voice' ? { spoken: true as const } : {}),
      }),
    ),
  };
}

/** Records that `userId` has read the conversation up to now (the list's unread counts). */
export async function markRead(tx: Tx, orgId: string, conversationId: string, userId: string): Promise<void> {
  await tx
    .insert(conversationReads)
    .values({ orgId, conversationId, userId })
    .onConflictDoUpdate({
      target: [conversationReads.orgId, conversationReads.conversationId, conversationReads.userId],
      set: { readAt: sql`now()` },
    });
}
