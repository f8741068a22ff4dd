import { z } from 'zod';
import type { AppDeps } from '../../deps.js';
import { roles } from '../../platform/db/schema/index.js';
import { problemSchema } from '../../platform/http/schemas.js';
import type { ZodApp } from '../../platform/http/types.js';
import type { ConfidantAuth } from '../auth/better-auth.js';
import { requireSessionUser } from '../auth/session-principal.js';
import { acceptInvitation } from './invitations-service.js';

/**
 * `POST /v1/invitations/accept` — a signed-in console user joins the organization that invited
 * their email. Registered in the session-only scope (modules/auth/routes.ts), not behind the
 * org-auth hook: the user is not a member of the org yet.
 */
export async function invitationAcceptRoute(app: ZodApp, deps: AppDeps, auth: ConfidantAuth) {
  app.post(
    '/v1/invitations/accept',
    {
      schema: {
        tags: ['members'],
        summary: 'Accept an invitation (signed-in console user)',
        description:
          'Unknown token → 404; used, revoked or expired → 410; the invitation was for another email → 403; already a member → 409.',
        security: [{ session: [] }],
        body: z.strictObject({ token: z.string().min(1).max(200) }),
        response: {
          200: z.object({ orgId: z.uuid(), role: z.enum(roles) }),
          400: problemSchema,
          401: problemSchema,
          403: problemSchema,
          404: problemSchema,
          409: problemSchema,
          410: problemSchema,
        },
      },
    },
    async (request) => {
      const user = await requireSessionUser(auth, request);
      return acceptInvitation(deps.database, deps.keyring, user, request.body.token);
    },
  );
}
