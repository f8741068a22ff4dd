import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  foreignKey,
  index,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { agents } from './agents.js';
import { users } from './auth.js';
import { createdAt, id, orgId, tstz } from './columns.js';

/**
 * Who answers the visitor (modules/conversations/state.ts is the only writer of status):
 * `ai` the agent; `waiting` a person was asked for and nobody has claimed it (the agent keeps
 * answering); `human` an operator owns the reply and the agent is silent; `closed`.
 */
export const conversationStatuses = ['ai', 'waiting', 'human', 'closed'] as const;
export type ConversationStatus = (typeof conversationStatuses)[number];
export const messageRoles = ['visitor', 'assistant', 'operator', 'system'] as const;
export type MessageRole = (typeof messageRoles)[number];
/** Why a person was asked for: a structured field, never text parsed out of an answer. */
export const handoffReasons = ['requested', 'low_confidence', 'rule'] as const;
export type HandoffReason = (typeof handoffReasons)[number];
/** What a system line in the transcript records (rendered by readers, stored without text). */
export const systemEvents = [
  'waiting',
  'claimed',
  'assigned',
  'unassigned',
  'handed_back',
  'closed',
  'reopened',
] as const;
export type SystemEvent = (typeof systemEvents)[number];

export type Citation = { sourceId: string; chunkId: string; title: string; url?: string; markers?: number[] };

/** One chat between a visitor and an agent (and, after handoff, an operator). */
export const conversations = pgTable(
  'conversations',
  {
    orgId: orgId(),
    id: id(),
    agentId: uuid('agent_id').notNull(),
    status: text('status', { enum: conversationStatuses }).notNull().default('ai'),
    origin: text('origin'),
    /** The page the chat started on: origin and path only (query and fragment may carry personal data). */
    pageUrl: text('page_url'),
    /** The visitor's preferred language (a BCP 47 tag from Accept-Language), for the operator. */
    language: text('language'),
    createdAt: createdAt(),
    lastMessageAt: tstz('last_message_at'),
    handoffRequestedAt: tstz('handoff_requested_at'),
    handoffReason: text('handoff_reason', { enum: handoffReasons }),
    /** The model's own reason when it called the handoff tool (answers/handoff-tool.ts), finer than handoff_reason. */
    handoffDetail: text('handoff_detail'),
    /**
     * The model's one-sentence summary for the operator taking over: text about the visitor's
     * issue, so transcript content (never stored for an ephemeral conversation).
     */
    handoffSummary: text('handoff_summary'),
    /** The operator who owns the reply (status human), or who was assigned while waiting. */
    assigneeId: uuid('assignee_id').references(() => users.id, { onDelete: 'set null' }),
    claimedAt: tstz('claimed_at'),
    closedAt: tstz('closed_at'),
    /** The model sees only messages from here on: a reopened conversation starts a fresh context. */
    contextStartedAt: tstz('context_started_at').notNull().defaultNow(),
    /**
     * Fixed at creation from the agent's `storeTranscripts` (false → true here): the visitor was
     * told at the start whether the chat is stored, so a later agent change never applies to an
     * open conversation. Ephemeral: message rows carry no text, no origin/page/language/contact.
     */
    ephemeral: boolean('ephemeral').notNull().default(false),
    /**
     * A legal hold (modules/privacy/retention/legal-hold.ts): while set, the retention purge keeps
     * the conversation and everything that hangs off it, whatever the org's periods say.
     */
    legalHoldAt: tstz('legal_hold_at'),
    /** Why it is held: the org's own words, shown to its members, never copied into the audit log. */
    legalHoldReason: text('legal_hold_reason'),
    legalHoldById: uuid('legal_hold_by_id').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId, t.agentId], foreignColumns: [agents.orgId, agents.id] }).onDelete(
      'cascade',
    ),
    index('conversations_agent_idx').on(t.orgId, t.agentId, t.createdAt),
    index('conversations_activity_idx').on(t.orgId, t.lastMessageAt, t.id),
    index('conversations_status_idx').on(t.orgId, t.status, t.lastMessageAt),
    check('conversations_legal_hold_check', sql`(${t.legalHoldAt} is null) = (${t.legalHoldReason} is null)`),
    check('conversations_status_check', sql`${t.status} in ('ai','waiting','human','closed')`),
    check(
      'conversations_handoff_reason_check',
      sql`${t.handoffReason} is null or ${t.handoffReason} in ('requested','low_confidence','rule')`,
    ),
  ],
);

/**
 * Messages. Invariants: a visitor message's clientMessageId is unique in its conversation (a
 * repeat is a no-op), and at most one assistant message answers a given visitor message.
 */
export const messages = pgTable(
  'messages',
  {
    orgId: orgId(),
    id: id(),
    conversationId: uuid('conversation_id').notNull(),
    role: text('role', { enum: messageRoles }).notNull(),
    content: text('content').notNull(),
    clientMessageId: text('client_message_id'),
    replyToId: uuid('reply_to_id'),
    citations: jsonb('citations').$type<Citation[]>().notNull().default([]),
    answerMode: text('answer_mode'),
    /** A private note between operators: never sent to the visitor or to any model. */
    internal: boolean('internal').notNull().default(false),
    /** The operator who wrote an operator message or note, or caused a system line. */
    authorId: uuid('author_id').references(() => users.id, { onDelete: 'set null' }),
    /**
     * The name an integration signed an operator message with (an inbound hook's `authorName`),
     * shown to operators and the visitor like a member's name. Null for members' messages (their
     * name comes from users, so it follows a rename) and for everything else.
     */
    authorLabel: text('author_label'),
    systemEvent: text('system_event', { enum: systemEvents }),
    /**
     * 'voice' for a visitor message transcribed from speech (voice/): the operator reads it knowing
     * the words are the transcriber's. Never the audio itself. Null: typed.
     */
    inputMode: text('input_mode', { enum: ['voice'] }),
    // clock_timestamp, not now(): one transaction may write several lines (an answer and the
    // system line of the handoff it caused; a claim and the reply that caused it), and the
    // transcript is ordered by time — now() would give them all the transaction's start time.
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().default(sql`clock_timestamp()`),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({
      columns: [t.orgId, t.conversationId],
      foreignColumns: [conversations.orgId, conversations.id],
    }).onDelete('cascade'),
    uniqueIndex('messages_client_message_idx').on(t.orgId, t.conversationId, t.clientMessageId),
    uniqueIndex('messages_reply_to_idx').on(t.orgId, t.replyToId),
    index('messages_conversation_idx').on(t.orgId, t.conversationId, t.createdAt),
    check('messages_role_check', sql`${t.role} in ('visitor','assistant','operator','system')`),
  ],
);
