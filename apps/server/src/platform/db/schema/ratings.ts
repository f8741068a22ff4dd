import { sql } from 'drizzle-orm';
import {
  check,
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, id, orgId, updatedAt } from './columns.js';
import { conversations } from './conversations.js';

/**
 * A visitor's satisfaction rating of a closed conversation (modules/conversations/ratings/):
 * one per conversation (unique), which the visitor may change for a while after giving it.
 * The score feeds the anonymized aggregates (daily_aggregates.csat_*); the optional comment is
 * the visitor's own words, so it follows the transcript: purged, exported and erased with it.
 */
export const conversationRatings = pgTable(
  'conversation_ratings',
  {
    orgId: orgId(),
    id: id(),
    conversationId: uuid('conversation_id').notNull(),
    /** The conversation's agent, so aggregates per agent need no join after the purge. */
    agentId: uuid('agent_id').notNull(),
    score: integer('score').notNull(),
    /** Null when the visitor wrote none, and always in an ephemeral conversation. */
    comment: text('comment'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({
      columns: [t.orgId, t.conversationId],
      foreignColumns: [conversations.orgId, conversations.id],
    }).onDelete('cascade'),
    uniqueIndex('conversation_ratings_conversation_idx').on(t.orgId, t.conversationId),
    index('conversation_ratings_created_idx').on(t.orgId, t.createdAt),
    check('conversation_ratings_score_check', sql`${t.score} between 1 and 5`),
  ],
);
