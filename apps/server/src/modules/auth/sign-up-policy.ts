import type { BetterAuthPlugin } from 'better-auth';
import { APIError, createAuthMiddleware, isAPIError } from 'better-auth/api';
import { count } from 'drizzle-orm';
import type { Config } from '../../platform/config.js';
import type { Keyring } from '../../platform/crypto/keyring.js';
import type { Database } from '../../platform/db/client.js';
import { users } from '../../platform/db/schema/index.js';
import { AppError } from '../../platform/errors.js';
import { errorForLog } from '../../platform/logger.js';
import { acceptInvitation, findPendingInvitation, normalizeEmail } from '../members/invitations-service.js';
import { createOwnedOrganization } from '../orgs/create-owned-organization.js';
import type { AuthLogger } from './better-auth.js';

/**
 * Who may create a console account (Better Auth's POST /api/auth/sign-up/email):
 * - `open`: CONFIDANT_ALLOW_SIGNUP=true — anyone; naming an organization (`organizationName`)
 *   creates it with them as owner;
 * - `first_run`: the instance has no user yet (a fresh install without the demo) — the first
 *   person to sign up must name an organization and becomes its owner;
 * - `closed`: otherwise. Only a person holding a valid invitation for that very email may sign
 *   up (the invitation is then accepted at once); everyone else gets a 403.
 * On first run whoever reaches the console first becomes its owner: the README says so.
 */
export type SignUpMode = 'open' | 'first_run' | 'closed';

export async function signUpMode(
  config: Pick<Config, 'allowSignup'>,
  database: Database,
): Promise<SignUpMode> {
  if (config.allowSignup) return 'open';
  const [row] = await database.db.select({ n: count() }).from(users);
  return (row?.n ?? 0) === 0 ? 'first_run' : 'closed';
}

/** The extra fields the console sends with a sign-up (Better Auth ignores unknown fields). */
type SignUpExtras = {
  email?: unknown;
  name?: unknown;
  invitationToken?: unknown;
  organizationName?: unknown;
};

const MAX_ORG_NAME = 200;

/** The organization a sign-up names (trimmed), or null. */
function organizationNameOf(body: SignUpExtras): string | null {
  const given = typeof body.organizationName === 'string' ? body.organizationName.trim() : '';
  return given || null;
}

export function signUpPolicyPlugin(deps: {
  config: Config;
  database: Database;
  keyring: Keyring;
  log?: AuthLogger;
}): BetterAuthPlugin {
  return {
    id: 'confidant-sign-up-policy',
    hooks: {
      before: [
        {
          matcher: (ctx) => ctx.path === '/sign-up/email',
          handler: createAuthMiddleware(async (ctx) => {
            const body = (ctx.body ?? {}) as SignUpExtras;
            if (body.organizationName !== undefined) {
              const name = body.organizationName;
              if (typeof name !== 'string' || name.trim().length > MAX_ORG_NAME)
                throw new APIError('BAD_REQUEST', {
                  message: `organizationName must be text of at most ${MAX_ORG_NAME} characters`,
                  code: 'INVALID_ORGANIZATION_NAME',
                });
            }
            if (typeof body.invitationToken === 'string') {
              // A wrong, used or expired token, or one for another email, is refused outright.
              const invitation = await findPendingInvitation(deps.database, body.invitationToken).catch(
                () => null,
              );
              if (
                invitation &&
                typeof body.email === 'string' &&
                normalizeEmail(invitation.email) === normalizeEmail(body.email)
              )
                return;
              throw new APIError('FORBIDDEN', {
                message: 'This invitation is not valid for this email address (used, revoked or expired?)',
                code: 'INVITATION_NOT_VALID',
              });
            }
            const mode = await signUpMode(deps.config, deps.database);
            if (mode === 'first_run' && !organizationNameOf(body))
              throw new APIError('BAD_REQUEST', {
                message: 'Name your organization: the first account of this server becomes its owner',
                code: 'ORGANIZATION_NAME_REQUIRED',
              });
            if (mode !== 'closed') return;
            throw new APIError('FORBIDDEN', {
              message:
                'Sign-up is closed on this server. Ask an admin of your organization for an invitation.',
              code: 'SIGN_UP_CLOSED',
            });
          }),
        },
      ],
      after: [
        {
          matcher: (ctx) => ctx.path === '/sign-up/email',
          handler: createAuthMiddleware(async (ctx) => {
            if (isAPIError(ctx.context.returned)) return;
            const created = ctx.context.newSession;
            if (!created) return;
            const body = (ctx.body ?? {}) as SignUpExtras;
            const user = created.user;
            try {
              if (typeof body.invitationToken === 'string') {
                await acceptInvitation(deps.database, deps.keyring, user, body.invitationToken);
                return;
              }
              // Allowed (first run or open) and named: before hooks refused everything else.
              const name = organizationNameOf(body);
              if (name) await createOwnedOrganization(deps.database, deps.keyring, user.id, name);
            } catch (error) {
              // The account exists either way; the console shows "no organization" and the
              // person can be invited. Ids only in the log.
              deps.log?.error(
                {
                  userId: user.id,
                  ...(error instanceof AppError ? { code: error.code } : { error: errorForLog(error) }),
                },
                'sign-up follow-up (organization or invitation) failed',
              );
            }
          }),
        },
      ],
    },
  };
}
