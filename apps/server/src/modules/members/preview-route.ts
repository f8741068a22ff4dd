import { z } from 'zod';
import type { AppDeps } from '../../deps.js';
import { roles } from '../../platform/db/schema/index.js';
import { problemSchema } from '../../platform/http/schemas.js';
import type { ZodApp } from '../../platform/http/types.js';
import { previewInvitation } from './invitations-service.js';

/**
 * `POST /v1/invitations/preview` — what an invitation link is for, before its holder signs in:
 * the invited email, organization, role, expiry, and whether that email has an account yet
 * (sign in, or create the account from the link). Public: the token is the credential. A POST so
 * the token never lands in an access log's URL.
 */
export async function invitationPreviewRoute(app: ZodApp, deps: AppDeps) {
  app.post(
    '/v1/invitations/preview',
    {
      schema: {
        tags: ['members'],
        summary: 'Describe an invitation from its token (public)',
        description: 'Unknown token → 404; used, revoked or expired → 410.',
        security: [],
        body: z.strictObject({ token: z.string().min(1).max(200) }),
        response: {
          200: z
            .object({
              email: z.string(),
              orgName: z.string(),
              role: z.enum(roles),
              expiresAt: z.string(),
              accountExists: z.boolean(),
            })
            .meta({ id: 'InvitationPreview' }),
          400: problemSchema,
          404: problemSchema,
          410: problemSchema,
        },
      },
    },
    async (request) => previewInvitation(deps.database, request.body.token),
  );
}
