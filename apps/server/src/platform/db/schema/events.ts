import { bigint, foreignKey, index, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, orgId } from './columns.js';
import { conversations } from './conversations.js';

/**
 * The events outbox: every change others must see live (a message, an ownership change, typing)
 * is written here in the same transaction as the change, then delivered by the event bus
 * (platform/events). `seq` is the SSE event id that clients resume from (Last-Event-ID).
 *
 * Invariant: within one org, seq order is commit order — writers hold the org's event lock
 * (platform/events/outbox.ts) until they commit, so a reader that has seen seq N never later
 * finds a committed event below N it has not seen.
 */
export const events = pgTable(
  'events',
  {
    orgId: orgId(),
    seq: bigint('seq', { mode: 'number' }).generatedAlwaysAsIdentity(),
    conversationId: uuid('conversation_id'),
    type: text('type').notNull(),
    /** Ids and the minimum a view needs; message text only for messages the visitor may see. */
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.seq] }),
    foreignKey({
      columns: [t.orgId, t.conversationId],
      foreignColumns: [conversations.orgId, conversations.id],
    }).onDelete('cascade'),
    index('events_conversation_idx').on(t.orgId, t.conversationId, t.seq),
    index('events_created_idx').on(t.createdAt),
  ],
);
