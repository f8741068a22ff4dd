/**
 * Satisfaction ratings. The widget posts one when a conversation closes
 * (POST /v1/widget/conversations/{id}/rating); operators see it in the inbox; the anonymized
 * totals (no comments) are on GET /v1/usage/satisfaction.
 */
export type RatingScore = 1 | 2 | 3 | 4 | 5;

/** POST /v1/widget/conversations/{id}/rating (visitor token). */
export type RatingRequest = { score: RatingScore; comment?: string };

/** A conversation's rating as the visitor and operators see it. */
export type ConversationRating = {
  score: number;
  /** The visitor's words; null when none (and always for an ephemeral conversation). */
  comment: string | null;
  createdAt: string;
  updatedAt: string;
  /** Until when the visitor may still change it. */
  changeableUntil: string;
};

/** GET /v1/usage/satisfaction: counts only, live ratings plus the purge's aggregates. */
export type SatisfactionReport = {
  from: string;
  to: string;
  count: number;
  /** Mean score, null with no ratings. */
  average: number | null;
  /** How many ratings gave each score: index 0 is score 1 … index 4 is score 5. */
  distribution: [number, number, number, number, number];
};

/** The model's handoff request, as operators see it on the conversation (answers/handoff-tool.ts). */
export type HandoffDetail = {
  reason: 'visitor_asked' | 'not_in_knowledge' | 'account_specific' | 'complaint' | 'sensitive' | 'other';
  /** The model's one sentence for the person taking over; null when it wrote none. */
  summary: string | null;
};
