import { z } from 'zod';
import type { AppDeps } from '../../../deps.js';
import { withTenant } from '../../../platform/db/tenancy.js';
import { errorResponses, problemSchema } from '../../../platform/http/schemas.js';
import type { ZodApp } from '../../../platform/http/types.js';
import { authorizeVisitor } from '../visitor-auth.js';
import { COMMENT_MAX, rateConversation } from './rate-conversation.js';

const body = z.strictObject({
  score: z.number().int().min(1).max(5).describe('1 (poor) to 5 (great)'),
  comment: z
    .string()
    .max(COMMENT_MAX)
    .optional()
    .describe('Optional words from the visitor; not kept for an ephemeral conversation'),
});

export const ratingSchema = z
  .object({
    score: z.number().int(),
    comment: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    changeableUntil: z.string(),
  })
  .meta({ id: 'ConversationRating' });

/** POST /v1/widget/conversations/{id}/rating: the satisfaction prompt the widget shows on close. */
export async function widgetRatingRoute(app: ZodApp, deps: AppDeps) {
  app.post(
    '/v1/widget/conversations/:id/rating',
    {
      schema: {
        tags: ['widget'],
        summary: 'Rate a closed conversation (1–5, optional comment)',
        description:
          'Authorization: Bearer <visitor token>. 201 the first time, 200 when the visitor changes it (allowed for 24 hours). 409 while the conversation is not closed, or once the rating can no longer be changed.',
        security: [],
        params: z.strictObject({ id: z.uuid({ message: 'must be a UUID' }) }),
        body,
        response: { 200: ratingSchema, 201: ratingSchema, ...errorResponses, 409: problemSchema },
      },
    },
    async (request, reply) => {
      const { claims } = await authorizeVisitor(deps, request, request.params.id);
      const comment = request.body.comment?.trim() || null;
      const { rating, created } = await withTenant(deps.database, [claims.org], (tx) =>
        rateConversation(tx, {
          orgId: claims.org,
          conversationId: claims.conversation,
          score: request.body.score,
          comment,
        }),
      );
      return reply.status(created ? 201 : 200).send(rating);
    },
  );
}
