import type { BetterAuthPlugin } from 'better-auth';
import { createAuthMiddleware, isAPIError } from 'better-auth/api';
import type { Keyring } from '../../platform/crypto/keyring.js';
import type { Database } from '../../platform/db/client.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { type AuditEvent, recordAudit } from '../audit/service.js';
import { listUserMemberships } from '../members/membership-lookup.js';

/**
 * Records a console user's own account events (sign-in, two-factor changes) in the audit chain
 * of EVERY organization the user belongs to — each org's admins see who entered their console.
 * Ids only: the entry names the user by id, never by email or name.
 */
export async function recordUserAudit(
  database: Database,
  keyring: Keyring,
  userId: string,
  action: string,
  metadata: AuditEvent['metadata'] = {},
): Promise<void> {
  const orgIds = (await listUserMemberships(database, userId)).map((m) => m.orgId);
  if (orgIds.length === 0) return;
  await withTenant(database, orgIds, async (tx) => {
    for (const orgId of orgIds) {
      await recordAudit(
        tx,
        keyring,
        orgId,
        { type: 'user', id: userId },
        { action, targetType: 'user', targetId: userId, metadata },
      );
    }
  });
}

const secondFactorPaths: Record<string, string> = {
  '/two-factor/verify-totp': 'totp',
  '/two-factor/verify-backup-code': 'backup_code',
};
const auditedPaths = new Set(['/sign-in/email', '/two-factor/disable', ...Object.keys(secondFactorPaths)]);

/**
 * A Better Auth plugin whose after-hook turns completed endpoint calls into audit entries.
 * It must be listed AFTER the twoFactor plugin: plugin after-hooks run in order, and the
 * two-factor hook is what withdraws the session of a password sign-in that still needs its
 * code (it sets `newSession` back to null). So:
 * - `/sign-in/email` with a `newSession` left → a completed sign-in (no second factor needed);
 * - a second-factor verify with a `newSession` and NO session on the request → a completed
 *   two-factor sign-in. With a session on the request the same endpoint is the confirmation
 *   step of enabling TOTP (`user.two_factor_enabled`), not a sign-in;
 * - `/two-factor/disable` → `user.two_factor_disabled`.
 * - a failed `/sign-in/email` for an existing account → `user.sign_in_failed` with the error's
 *   code as the reason (e.g. invalid_email_or_password), in every org of that user — so admins
 *   see password guessing against their people. An unknown email records nothing: there is no
 *   org it belongs to, and the address itself is never written.
 * Other failed calls record nothing.
 */
export function authAuditPlugin(database: Database, keyring: Keyring): BetterAuthPlugin {
  return {
    id: 'confidant-auth-audit',
    hooks: {
      after: [
        {
          matcher: (ctx) => auditedPaths.has(ctx.path ?? ''),
          handler: createAuthMiddleware(async (ctx) => {
            const path = ctx.path;
            const returned = ctx.context.returned;
            if (isAPIError(returned)) {
              if (path !== '/sign-in/email') return;
              const email = (ctx.body as { email?: unknown } | undefined)?.email;
              if (typeof email !== 'string') return;
              const found = await ctx.context.internalAdapter.findUserByEmail(email.toLowerCase());
              if (!found) return;
              const code = String((returned.body as { code?: unknown } | undefined)?.code ?? returned.status);
              await recordUserAudit(database, keyring, found.user.id, 'user.sign_in_failed', {
                method: 'password',
                reason: code.toLowerCase().slice(0, 60),
              });
              return;
            }
            const requestSession = ctx.context.session;
            const created = ctx.context.newSession;
            if (path === '/sign-in/email') {
              if (created)
                await recordUserAudit(database, keyring, created.user.id, 'user.signed_in', {
                  method: 'password',
                });
              return;
            }
            if (path === '/two-factor/disable') {
              if (requestSession)
                await recordUserAudit(database, keyring, requestSession.user.id, 'user.two_factor_disabled');
              return;
            }
            const method = secondFactorPaths[path];
            if (!method) return;
            if (!requestSession && created) {
              await recordUserAudit(database, keyring, created.user.id, 'user.signed_in', { method });
            } else if (
              requestSession &&
              !requestSession.user.twoFactorEnabled &&
              path === '/two-factor/verify-totp'
            ) {
              await recordUserAudit(database, keyring, requestSession.user.id, 'user.two_factor_enabled', {
                method: 'totp',
              });
            }
          }),
        },
      ],
    },
  };
}
