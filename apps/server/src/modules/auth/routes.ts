import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../../deps.js';
import { roles } from '../../platform/db/schema/index.js';
import { errorResponses } from '../../platform/http/schemas.js';
import type { ZodApp } from '../../platform/http/types.js';
import { invitationAcceptRoute } from '../members/accept-route.js';
import { invitationPreviewRoute } from '../members/preview-route.js';
import { restoreAccount, scheduleAccountDeletion } from './account-deletion.js';
import { registerAuthHandler } from './auth-handler-route.js';
import { type ConfidantAuth, MAX_PASSWORD_LENGTH, trustedOrigins } from './better-auth.js';
import { describeMe } from './service.js';
import { createSessionOnlyHook, noteSessionChange, requireSessionUser } from './session-principal.js';
import { createSignInLimits } from './sign-in-limits.js';
import { signUpMode } from './sign-up-policy.js';

const meSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    name: z.string(),
    twoFactorEnabled: z.boolean(),
    deletionScheduledAt: z
      .string()
      .optional()
      .describe('Only while your account is scheduled for deletion (restore it with POST /v1/me/restore)'),
    hardDeleteAfter: z.string().optional(),
    memberships: z.array(
      z.object({
        orgId: z.uuid(),
        orgName: z.string(),
        role: z.enum(roles),
        deletionScheduledAt: z
          .string()
          .optional()
          .describe('Only while the organization is scheduled for deletion'),
        hardDeleteAfter: z.string().optional(),
        via: z
          .object({ orgId: z.uuid(), orgName: z.string() })
          .optional()
          .describe('Set when the org is a client opened through your membership of its reseller'),
      }),
    ),
  })
  .meta({ id: 'Me' });

/**
 * Console authentication, registered OUTSIDE the org-auth hook of app.ts:
 * - Better Auth's own endpoints under /api/auth/* (sign-up, sign-in, two-factor, sign-out …);
 * - routes that act as the signed-in PERSON rather than in one organization (`GET /v1/me`,
 *   `POST /v1/invitations/accept`), guarded by the session-only hook;
 * - what the sign-in page needs before anyone is signed in (`GET /v1/auth/sign-up`,
 *   `POST /v1/invitations/preview`), public.
 */
export async function registerConsoleAuth(app: FastifyInstance, deps: AppDeps, auth: ConfidantAuth) {
  await registerAuthHandler(app, auth, createSignInLimits(app, deps), () => noteSessionChange(deps.database));
  await app.register(async (scope) => {
    const zodScope = scope as unknown as ZodApp;
    zodScope.get(
      '/v1/auth/sign-up',
      {
        schema: {
          tags: ['console'],
          summary: 'Whether the sign-in page may offer to create an account',
          description:
            '`open`: CONFIDANT_ALLOW_SIGNUP=true, anyone may sign up and gets their own organization. `first_run`: no user exists yet; the first to sign up owns a new organization. `closed`: only with an invitation (from its link).',
          security: [],
          response: { 200: z.object({ mode: z.enum(['open', 'first_run', 'closed']) }) },
        },
      },
      async () => ({ mode: await signUpMode(deps.config, deps.database) }),
    );
    await invitationPreviewRoute(zodScope, deps);
  });
  const sessionOnly = createSessionOnlyHook(auth, deps.database, trustedOrigins(deps.config));
  await app.register(async (scope) => {
    scope.addHook('preValidation', sessionOnly);
    const zodScope = scope as unknown as ZodApp;
    zodScope.get(
      '/v1/me',
      {
        config: { allowedWhileAccountDeleted: true },
        schema: {
          tags: ['console'],
          summary: 'The signed-in console user and their organizations',
          security: [{ session: [] }],
          response: { 200: meSchema, ...errorResponses },
        },
      },
      async (request) => describeMe(deps, await requireSessionUser(auth, request)),
    );
    zodScope.delete(
      '/v1/me',
      {
        schema: {
          tags: ['console'],
          summary: 'Delete my console account (30 days to change your mind)',
          description:
            'Needs your password. Ends every session of yours at once. Refused (409) while you are the last owner of an organization. Signing in again within 30 days lets you restore the account (`POST /v1/me/restore`); after that it is erased with your memberships, sessions, credentials and two-factor secrets. Audit entries keep only your user id.',
          security: [{ session: [] }],
          body: z.strictObject({ password: z.string().min(1).max(MAX_PASSWORD_LENGTH) }),
          response: {
            202: z.object({ deletionScheduledAt: z.string(), hardDeleteAfter: z.string() }),
            ...errorResponses,
          },
        },
      },
      async (request, reply) => {
        const user = await requireSessionUser(auth, request);
        const schedule = await scheduleAccountDeletion(deps, auth, user.id, request.body.password);
        // Every session row is gone: the cookie this browser holds now opens nothing.
        return reply.status(202).send(schedule);
      },
    );
    zodScope.post(
      '/v1/me/restore',
      {
        config: { allowedWhileAccountDeleted: true },
        schema: {
          tags: ['console'],
          summary: 'Restore my account scheduled for deletion',
          security: [{ session: [] }],
          response: { 200: meSchema, ...errorResponses },
        },
      },
      async (request) => {
        const user = await requireSessionUser(auth, request);
        await restoreAccount(deps, user.id);
        return describeMe(deps, user);
      },
    );
    await invitationAcceptRoute(zodScope, deps, auth);
  });
}
