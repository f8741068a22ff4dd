import { z } from 'zod';
import type { AppDeps } from '../../deps.js';
import { contactPurposes } from '../../platform/db/schema/index.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { AppError } from '../../platform/errors.js';
import { errorResponses, problemSchema } from '../../platform/http/schemas.js';
import type { ZodApp } from '../../platform/http/types.js';
import { normalizeEmail } from '../members/invitations-service.js';
import { honestText, widgetFacts } from './honest-text.js';
import { authorizeVisitor } from './visitor-auth.js';
import { saveConsentedContact } from './visitor-contacts.js';

/**
 * POST /v1/widget/conversations/{id}/contact: the offline flow. When nobody from the team is
 * available, the visitor may leave an email address for a reply, and only by ticking a consent
 * box: `consent` must be literally true, else 400 and nothing is stored. The consent text is the
 * server's own (the same the widget config served), so its hash records what was agreed to.
 * The assistant keeps answering in the chat until someone claims it.
 *
 * An ephemeral conversation (its agent stores no transcripts) keeps no contact either: 409, and
 * the widget does not offer the form (config `handoff.emailReplies: false`).
 */
const body = z.strictObject({
  email: z.email({ message: 'must be an email address' }).max(254),
  consent: z.literal(true, { message: 'must be true: the visitor ticked the consent box' }),
  purpose: z.enum(contactPurposes),
});

export async function widgetContactRoute(app: ZodApp, deps: AppDeps) {
  app.post(
    '/v1/widget/conversations/:id/contact',
    {
      schema: {
        tags: ['widget'],
        summary: 'Leave an email address for a reply, with explicit consent (offline flow)',
        description:
          'Authorization: Bearer <visitor token>. { email, consent: true, purpose: "reply_by_email" } → 204. Without consent: 400, nothing stored. A second address replaces the first. 409 when the agent stores no transcripts (nothing about the visitor is kept).',
        security: [],
        params: z.strictObject({ id: z.uuid({ message: 'must be a UUID' }) }),
        body,
        response: { 204: z.null(), ...errorResponses, 409: problemSchema },
      },
    },
    async (request, reply) => {
      const { claims, context } = await authorizeVisitor(deps, request, request.params.id);
      if (context.conversation.ephemeral)
        throw new AppError(
          'conflict',
          'This chat is not stored, so no email address can be kept for a reply; keep chatting here instead',
        );
      const facts = await widgetFacts(deps.database, context.agent);
      const consentText = honestText(facts.orgName, context.agent.persistence).contactConsentText;
      await withTenant(deps.database, [claims.org], (tx) =>
        saveConsentedContact(tx, deps.keyring, {
          orgId: claims.org,
          conversationId: claims.conversation,
          email: normalizeEmail(request.body.email),
          purpose: request.body.purpose,
          consentText,
        }),
      );
      return reply.status(204).send(null);
    },
  );
}
