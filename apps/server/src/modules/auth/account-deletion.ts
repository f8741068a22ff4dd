import { and, eq, inArray, isNotNull, isNull, lte } from 'drizzle-orm';
import { hotCacheOf } from '../../platform/cache/hot-cache.js';
import type { Config } from '../../platform/config.js';
import type { Keyring } from '../../platform/crypto/keyring.js';
import type { Database } from '../../platform/db/client.js';
import { accounts, memberships, sessions, users, verifications } from '../../platform/db/schema/index.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { AppError } from '../../platform/errors.js';
import { recordAudit } from '../audit/service.js';
import { listUserMemberships } from '../members/membership-lookup.js';
import { hardDeleteAfter } from '../orgs/deletion/deletion-window.js';
import { platformOrgId } from '../orgs/deletion/schedule-org-deletion.js';
import type { ConfidantAuth } from './better-auth.js';
import { removeResetFilesOf } from './password-reset-email.js';

/**
 * A console user deleting their own account, with the same recovery window as organizations:
 *
 * 1. `DELETE /v1/me { password }` schedules it: every session ends, and from then on a session of
 *    theirs reaches nothing but `GET /v1/me` (which says when the account goes) and
 *    `POST /v1/me/restore`. Signing in again during the window is how they get back: the console
 *    then offers "Restore my account".
 * 2. After the window the hard-delete job erases the person: `users` and, through its foreign
 *    keys, accounts (password hash), sessions, two-factor secrets, memberships and their
 *    notification preferences, presence, read markers and notifications addressed to them;
 *    pending verifications carrying their id, and their dev-outbox reset files. Messages they
 *    wrote and conversations assigned to them stay with the org, unattributed (set null).
 *
 * Audit entries name the person by user id only (a pseudonymous reference), never email or name.
 */
export type AccountDeletionDeps = { config: Config; database: Database; keyring: Keyring };

export type AccountDeletionSchedule = { deletionScheduledAt: string; hardDeleteAfter: string };

/** When the user's account is due to go, or null when it is not scheduled for deletion. */
export async function readAccountDeletion(database: Database, userId: string): Promise<Date | null> {
  const [row] = await database.db
    .select({ at: users.deletionScheduledAt })
    .from(users)
    .where(eq(users.id, userId));
  return row?.at ?? null;
}

/** Records the event in the chain of every org the person belongs to, and the platform's. */
async function auditEverywhere(deps: AccountDeletionDeps, userId: string, action: string, orgIds: string[]) {
  const chains = [...new Set([...orgIds, await platformOrgId(deps.database)])];
  await withTenant(deps.database, chains, async (tx) => {
    for (const orgId of chains) {
      await recordAudit(
        tx,
        deps.keyring,
        orgId,
        { type: 'user', id: userId },
        {
          action,
          targetType: 'user',
          targetId: userId,
        },
      );
    }
  });
}

/**
 * The live organizations where this person is the only owner whose account is not itself going:
 * deleting them would leave the org without anyone able to manage or delete it.
 */
async function orgsOnlyOwnedBy(database: Database, userId: string): Promise<string[]> {
  const owned = (await listUserMemberships(database, userId)).filter(
    (m) => m.role === 'owner' && !m.deletionScheduledAt,
  );
  const alone: string[] = [];
  for (const org of owned) {
    const owners = await withTenant(database, [org.orgId], (tx) =>
      tx
        .select({ userId: memberships.userId })
        .from(memberships)
        .where(and(eq(memberships.orgId, org.orgId), eq(memberships.role, 'owner'))),
    );
    const others = owners.map((o) => o.userId).filter((id) => id !== userId);
    const staying =
      others.length === 0
        ? []
        : await database.db
            .select({ id: users.id })
            .from(users)
            .where(and(inArray(users.id, others), isNull(users.deletionScheduledAt)));
    if (staying.length === 0) alone.push(org.orgName);
  }
  return alone;
}

export async function scheduleAccountDeletion(
  deps: AccountDeletionDeps,
  auth: ConfidantAuth,
  userId: string,
  password: string,
  now = new Date(),
): Promise<AccountDeletionSchedule> {
  const ctx = await auth.$context;
  const [credential] = await deps.database.db
    .select({ hash: accounts.password })
    .from(accounts)
    .where(and(eq(accounts.userId, userId), eq(accounts.providerId, 'credential')));
  const valid = credential?.hash ? await ctx.password.verify({ hash: credential.hash, password }) : false;
  if (!valid) throw new AppError('forbidden', 'The password is not correct');

  const alone = await orgsOnlyOwnedBy(deps.database, userId);
  if (alone.length > 0) {
    throw new AppError(
      'conflict',
      `You are the last owner of ${alone.map((n) => `“${n}”`).join(', ')}: make someone else an owner, or delete the organization, first`,
    );
  }
  const [row] = await deps.database.db
    .update(users)
    .set({ deletionScheduledAt: now })
    .where(and(eq(users.id, userId), isNull(users.deletionScheduledAt)))
    .returning({ at: users.deletionScheduledAt });
  const scheduledAt = row?.at ?? (await readAccountDeletion(deps.database, userId)) ?? now;
  // Every session ends now, this one included: whoever holds a session cookie is out.
  await deps.database.db.delete(sessions).where(eq(sessions.userId, userId));
  // The trigger's notice does it in every process; this one at once (session-principal.ts).
  hotCacheOf(deps.database)?.invalidate('sessions', userId);
  if (row) {
    const orgIds = (await listUserMemberships(deps.database, userId)).map((m) => m.orgId);
    await auditEverywhere(deps, userId, 'user.deletion_scheduled', orgIds);
  }
  return {
    deletionScheduledAt: scheduledAt.toISOString(),
    hardDeleteAfter: hardDeleteAfter(scheduledAt).toISOString(),
  };
}

export async function restoreAccount(deps: AccountDeletionDeps, userId: string, now = new Date()) {
  const scheduledAt = await readAccountDeletion(deps.database, userId);
  if (!scheduledAt) throw new AppError('conflict', 'Your account is not scheduled for deletion');
  if (now.getTime() >= hardDeleteAfter(scheduledAt).getTime()) {
    throw new AppError('gone', 'The recovery window of this account has ended');
  }
  const [row] = await deps.database.db
    .update(users)
    .set({ deletionScheduledAt: null })
    .where(and(eq(users.id, userId), isNotNull(users.deletionScheduledAt)))
    .returning({ id: users.id });
  hotCacheOf(deps.database)?.invalidate('sessions', userId);
  if (row) {
    const orgIds = (await listUserMemberships(deps.database, userId)).map((m) => m.orgId);
    await auditEverywhere(deps, userId, 'user.restored', orgIds);
  }
}

/**
 * Erases the person (see the module comment for what goes). The audit entry goes first, into the
 * chains of the orgs they still belong to and the platform's: afterwards no membership says where.
 */
export async function hardDeleteUser(deps: AccountDeletionDeps, userId: string): Promise<void> {
  const orgIds = (await listUserMemberships(deps.database, userId)).map((m) => m.orgId);
  await auditEverywhere(deps, userId, 'user.hard_deleted', orgIds);
  await deps.database.db.delete(verifications).where(eq(verifications.value, userId));
  await deps.database.db.delete(users).where(eq(users.id, userId));
  hotCacheOf(deps.database)?.invalidate('sessions', userId);
  await removeResetFilesOf(deps.config, userId);
}

/** Users whose recovery window ended at `cutoff` or before. */
export async function usersDueForHardDelete(database: Database, cutoff: Date): Promise<string[]> {
  const rows = await database.db
    .select({ id: users.id })
    .from(users)
    .where(lte(users.deletionScheduledAt, cutoff));
  return rows.map((r) => r.id);
}
