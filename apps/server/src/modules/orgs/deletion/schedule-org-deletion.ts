import { and, count, eq, isNotNull, isNull } from 'drizzle-orm';
import { noteCacheChange } from '../../../platform/cache/hot-cache.js';
import type { Keyring } from '../../../platform/crypto/keyring.js';
import type { Database } from '../../../platform/db/client.js';
import { organizations } from '../../../platform/db/schema/index.js';
import { withTenant } from '../../../platform/db/tenancy.js';
import { AppError, notFound } from '../../../platform/errors.js';
import { recordAudit } from '../../audit/service.js';
import { actorOf, type Principal } from '../../auth/principal.js';
import { hardDeleteAfter } from './deletion-window.js';
import { type OrgStatus, readOrgStatus } from './org-status.js';
import { emitOrgStopped } from './org-stopped-event.js';

export type DeletionSchedule = { deletionScheduledAt: string; hardDeleteAfter: string };

const scheduleOf = (deletedAt: Date): DeletionSchedule => ({
  deletionScheduledAt: deletedAt.toISOString(),
  hardDeleteAfter: hardDeleteAfter(deletedAt).toISOString(),
});

/** The platform organization (there is exactly one). */
export async function platformOrgId(database: Database): Promise<string> {
  const [row] = await database.db
    .select({ id: organizations.id })
    .from(organizations)
    .where(eq(organizations.kind, 'platform'))
    .limit(1);
  if (!row) throw new Error('the platform organization is missing');
  return row.id;
}

/**
 * Who may delete or restore an organization: an OWNER of the org itself (API key or console
 * user), or an owner of the org above it (its reseller, or the platform). A reseller member who
 * opened a client's console holds at most `admin` there (reseller-access.ts), so acting from the
 * client they cannot; from the reseller's own context they can. Orgs the caller cannot see are
 * "not found", like everywhere else.
 */
async function authorize(database: Database, principal: Principal, orgId: string): Promise<OrgStatus> {
  const org = await readOrgStatus(database, orgId);
  const visible =
    org &&
    (org.id === principal.orgId || principal.orgKind === 'platform' || org.parentId === principal.orgId);
  if (!org || !visible) throw notFound('Organization');
  if (org.kind === 'platform') throw new AppError('forbidden', 'The platform organization cannot be deleted');
  if (principal.role !== 'owner') {
    throw new AppError(
      'forbidden',
      'Only an owner of this organization, or of its reseller or the platform, can delete or restore it',
    );
  }
  return org;
}

/** The chain that oversees an org: its reseller's, else the platform's. */
async function overseerOf(database: Database, org: OrgStatus): Promise<string> {
  return org.parentId ?? (await platformOrgId(database));
}

/**
 * Schedules the org's deletion: from this moment its API keys, widget and console are refused
 * (org_deleted), and after the window the hard-delete job erases it. Idempotent: scheduling an
 * org already scheduled answers with the existing schedule.
 *
 * A reseller that still has live client organizations is refused (409) rather than taking its
 * clients with it: those are other businesses' data, and each must be deleted on purpose.
 */
export async function scheduleOrgDeletion(
  database: Database,
  keyring: Keyring,
  principal: Principal,
  orgId: string,
  now = new Date(),
): Promise<DeletionSchedule> {
  const org = await authorize(database, principal, orgId);
  if (org.deletedAt) return scheduleOf(org.deletedAt);
  if (org.kind === 'reseller') {
    const [live] = await database.db
      .select({ n: count() })
      .from(organizations)
      .where(and(eq(organizations.parentId, org.id), isNull(organizations.deletedAt)));
    if ((live?.n ?? 0) > 0) {
      throw new AppError(
        'conflict',
        `This reseller still has ${live!.n} client organization(s): delete them first, then the reseller`,
      );
    }
  }
  const overseer = await overseerOf(database, org);
  const actor = actorOf(principal);
  const scheduled = await withTenant(database, [org.id, overseer], async (tx) => {
    noteCacheChange(tx, 'org', org.id);
    const [row] = await tx
      .update(organizations)
      .set({ deletedAt: now })
      .where(and(eq(organizations.id, org.id), isNull(organizations.deletedAt)))
      .returning({ deletedAt: organizations.deletedAt });
    // A concurrent request scheduled it first: its schedule stands (and was audited by it).
    if (!row?.deletedAt) return null;
    await emitOrgStopped(tx, org.id);
    const metadata = { hardDeleteAfter: hardDeleteAfter(row.deletedAt).toISOString() };
    for (const chain of [org.id, overseer]) {
      await recordAudit(tx, keyring, chain, actor, {
        action: 'org.deletion_scheduled',
        targetType: 'organization',
        targetId: org.id,
        metadata,
      });
    }
    return row.deletedAt;
  });
  if (scheduled) return scheduleOf(scheduled);
  const again = await readOrgStatus(database, org.id);
  return scheduleOf(again?.deletedAt ?? now);
}

/**
 * Undoes a scheduled deletion within the window. After it the org is (about to be) erased: 410.
 * A client whose reseller is itself scheduled for deletion cannot come back alone (409).
 */
export async function restoreOrg(
  database: Database,
  keyring: Keyring,
  principal: Principal,
  orgId: string,
  now = new Date(),
): Promise<void> {
  const org = await authorize(database, principal, orgId);
  if (!org.deletedAt) throw new AppError('conflict', 'This organization is not scheduled for deletion');
  if (now.getTime() >= hardDeleteAfter(org.deletedAt).getTime()) {
    throw new AppError('gone', 'The recovery window of this organization has ended');
  }
  if (org.parentId) {
    const parent = await readOrgStatus(database, org.parentId);
    if (parent?.deletedAt) {
      throw new AppError('conflict', 'Its reseller is scheduled for deletion: restore the reseller first');
    }
  }
  const overseer = await overseerOf(database, org);
  const actor = actorOf(principal);
  await withTenant(database, [org.id, overseer], async (tx) => {
    noteCacheChange(tx, 'org', org.id);
    const [row] = await tx
      .update(organizations)
      .set({ deletedAt: null })
      .where(and(eq(organizations.id, org.id), isNotNull(organizations.deletedAt)))
      .returning({ id: organizations.id });
    if (!row) return;
    for (const chain of [org.id, overseer]) {
      await recordAudit(tx, keyring, chain, actor, {
        action: 'org.restored',
        targetType: 'organization',
        targetId: org.id,
      });
    }
  });
}
