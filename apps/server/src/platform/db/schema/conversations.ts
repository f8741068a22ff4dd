import { sql } from 'drizzle-orm';
import {
  check,
  foreignKey,
  index,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { agents } from './agents.js';
import { createdAt, id, orgId, tstz } from './columns.js';

export const conversationStatuses = ['open', 'handoff', 'closed'] as const;
export const messageRoles = ['visitor', 'assistant', 'operator'] as const;

export type Citation = { sourceId: string; chunkId: string; title: string; url?: string };

/** One chat between a visitor and an agent (and, after handoff, an operator). */
export const conversations = pgTable(
  'conversations',
  {
    orgId: orgId(),
    id: id(),
    agentId: uuid('agent_id').notNull(),
    status: text('status', { enum: conversationStatuses }).notNull().default('open'),
    origin: text('origin'),
    createdAt: createdAt(),
    lastMessageAt: tstz('last_message_at'),
    handoffRequestedAt: tstz('handoff_requested_at'),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId, t.agentId], foreignColumns: [agents.orgId, agents.id] }).onDelete(
      'cascade',
    ),
    index('conversations_agent_idx').on(t.orgId, t.agentId, t.createdAt),
    check('conversations_status_check', sql`${t.status} in ('open','handoff','closed')`),
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
    createdAt: createdAt(),
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
    check('messages_role_check', sql`${t.role} in ('visitor','assistant','operator')`),
  ],
);
