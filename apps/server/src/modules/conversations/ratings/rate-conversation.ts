import type { ConversationRating } from '@confidant/contract';
import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../../platform/db/client.js';
import { conversationRatings } from '../../../platform/db/schema/index.js';
import { AppError } from '../../../platform/errors.js';
import { emitConversation } from '../conversation-events.js';
import { lockConversation } from '../state.js';

/**
 * A visitor's satisfaction rating of their conversation.
 *
 * Invariants: one rating per conversation (unique index; a second POST updates it); only a
 * closed conversation is rated (409 otherwise: the widget asks when it closes); the visitor may
 * change it for CHANGE_WINDOW_MS after first giving it (409 after). An ephemeral conversation
 * keeps the score (an anonymous number) but never the comment. Operators' consoles hear of it
 * through the conversation event (their list and detail refetch).
 */
export const CHANGE_WINDOW_MS = 24 * 3_600_000;
export const COMMENT_MAX = 1000;

type RatingRow = typeof conversationRatings.$inferSelect;

export function ratingView(row: RatingRow): ConversationRating {
  return {
    score: row.score,
    comment: row.comment,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    changeableUntil: new Date(row.createdAt.getTime() + CHANGE_WINDOW_MS).toISOString(),
  };
}

export async function readRating(tx: Tx, orgId: string, conversationId: string): Promise<RatingRow | null> {
  const [row] = await tx
    .select()
    .from(conversationRatings)
    .where(and(eq(conversationRatings.orgId, orgId), eq(conversationRatings.conversationId, conversationId)));
  return row ?? null;
}

export async function rateConversation(
  tx: Tx,
  input: { orgId: string; conversationId: string; score: number; comment: string | null },
  now: Date = new Date(),
): Promise<{ rating: ConversationRating; created: boolean }> {
  // Locked: a concurrent close/reopen or second rating waits for this one.
  const conversation = await lockConversation(tx, input.orgId, input.conversationId);
  if (conversation.status !== 'closed')
    throw new AppError('conflict', 'A conversation can be rated once it is closed');
  const comment = conversation.ephemeral ? null : input.comment;
  const existing = await readRating(tx, input.orgId, input.conversationId);
  let row: RatingRow;
  if (existing) {
    if (now.getTime() - existing.createdAt.getTime() > CHANGE_WINDOW_MS)
      throw new AppError('conflict', 'This rating can no longer be changed');
    [row] = (await tx
      .update(conversationRatings)
      .set({ score: input.score, comment, updatedAt: sql`now()` })
      .where(and(eq(conversationRatings.orgId, input.orgId), eq(conversationRatings.id, existing.id)))
      .returning()) as [RatingRow];
  } else {
    [row] = (await tx
      .insert(conversationRatings)
      .values({
        orgId: input.orgId,
        conversationId: input.conversationId,
        agentId: conversation.agentId,
        score: input.score,
        comment,
      })
      .returning()) as [RatingRow];
  }
  await emitConversation(tx, conversation);
  return { rating: ratingView(row), created: !existing };
}
