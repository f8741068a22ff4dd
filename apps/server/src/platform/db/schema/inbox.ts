import { sql } from 'drizzle-orm';
import { check, foreignKey, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './auth.js';
import { createdAt, id, orgId, tstz, updatedAt } from './columns.js';
import { conversations } from './conversations.js';
import { organizations } from './organizations.js';

/** Saved replies operators insert by shortcut (e.g. "/refund"). */
export const cannedResponses = pgTable(
  'canned_responses',
  {
    orgId: orgId(),
    id: id(),
    shortcut: text('shortcut').notNull(),
    text: text('text').notNull(),
    createdById: uuid('created_by_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId], foreignColumns: [organizations.id] }).onDelete('cascade'),
    uniqueIndex('canned_responses_shortcut_idx').on(t.orgId, t.shortcut),
    check('canned_responses_shortcut_check', sql`${t.shortcut} ~ '^[a-z0-9][a-z0-9_-]{0,31}$'`),
  ],
);

/** Where each operator has read a conversation up to: the inbox's unread counts. */
export const conversationReads = pgTable(
  'conversation_reads',
  {
    orgId: orgId(),
    conversationId: uuid('conversation_id').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    readAt: tstz('read_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.conversationId, t.userId] }),
    foreignKey({
      columns: [t.orgId, t.conversationId],
      foreignColumns: [conversations.orgId, conversations.id],
    }).onDelete('cascade'),
  ],
);

/**
 * Operator presence: refreshed while an operator has the live events stream open (or acts), so
 * any process can answer "is someone available?" honestly. Online = seen in the last few minutes.
 */
export const operatorPresence = pgTable(
  'operator_presence',
  {
    orgId: orgId(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    lastSeenAt: tstz('last_seen_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.userId] }),
    foreignKey({ columns: [t.orgId], foreignColumns: [organizations.id] }).onDelete('cascade'),
  ],
);
