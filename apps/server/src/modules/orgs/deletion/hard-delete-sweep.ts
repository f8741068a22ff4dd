import { asc, eq, lte } from 'drizzle-orm';
import type { BaseLogger } from 'pino';
import type { Config } from '../../../platform/config.js';
import { organizations } from '../../../platform/db/schema/index.js';
import { hardDeleteUser, usersDueForHardDelete } from '../../auth/account-deletion.js';
import { dueBefore } from './deletion-window.js';
import { type HardDeleteDeps, type HardDeleteReport, hardDeleteOrganization } from './hard-delete-org.js';

/**
 * `privacy.hard-delete`: hourly (a pg-boss schedule, one instance per tick). Erases every
 * organization and console account whose recovery window has ended. Tests call
 * `sweepHardDeletes(deps, now)` with a `now` past the window to run it at once.
 *
 * Clients go before resellers (a reseller is only erased once no client row points at it; its
 * clients were scheduled no later than it, so they are due first). Each org is erased in its own
 * transaction: a failure leaves the others done and the failed one for the next tick.
 */
export const HARD_DELETE = 'privacy.hard-delete';
export const HARD_DELETE_CRON = '17 * * * *';

export type SweepDeps = HardDeleteDeps & { config: Config; log?: BaseLogger };

export type HardDeleteSweep = { orgs: HardDeleteReport[]; users: number };

export async function sweepHardDeletes(deps: SweepDeps, now = new Date()): Promise<HardDeleteSweep> {
  const cutoff = dueBefore(now);
  const due = await deps.database.db
    .select({ id: organizations.id, kind: organizations.kind })
    .from(organizations)
    .where(lte(organizations.deletedAt, cutoff))
    .orderBy(asc(organizations.deletedAt));
  const ordered = [...due.filter((o) => o.kind !== 'reseller'), ...due.filter((o) => o.kind === 'reseller')];
  const orgs: HardDeleteReport[] = [];
  for (const org of ordered) {
    if (org.kind === 'platform') continue;
    const [client] = await deps.database.db
      .select({ id: organizations.id })
      .from(organizations)
      .where(eq(organizations.parentId, org.id))
      .limit(1);
    // A reseller whose client was restored after it was scheduled waits (its clients must go first).
    if (client) {
      deps.log?.warn({ orgId: org.id }, 'hard delete postponed: the reseller still has client organizations');
      continue;
    }
    orgs.push(await hardDeleteOrganization(deps, org.id));
  }
  const userIds = await usersDueForHardDelete(deps.database, cutoff);
  for (const id of userIds) await hardDeleteUser(deps, id);
  if (orgs.length + userIds.length > 0) {
    deps.log?.info({ orgs: orgs.length, users: userIds.length }, 'hard deletes done');
  }
  return { orgs, users: userIds.length };
}
