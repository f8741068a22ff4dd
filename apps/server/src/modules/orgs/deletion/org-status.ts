import { eq } from 'drizzle-orm';
import { hotCacheOf } from '../../../platform/cache/hot-cache.js';
import type { Database } from '../../../platform/db/client.js';
import { type OrgKind, organizations } from '../../../platform/db/schema/index.js';
import { orgDeletedError } from './deletion-window.js';

export type OrgStatus = { id: string; kind: OrgKind; parentId: string | null; deletedAt: Date | null };

/**
 * The registry row of one organization (organizations has no RLS: the caller already holds an
 * id it may act for, e.g. from a verified visitor token or an agent's publishable key).
 */
export async function readOrgStatus(database: Database, orgId: string): Promise<OrgStatus | null> {
  const [row] = await database.db
    .select({
      id: organizations.id,
      kind: organizations.kind,
      parentId: organizations.parentId,
      deletedAt: organizations.deletedAt,
    })
    .from(organizations)
    .where(eq(organizations.id, orgId));
  return row ?? null;
}

/**
 * Throws the `org_deleted` problem when the org is scheduled for deletion (its widget, keys and
 * console are refused until an owner restores it). A missing org passes: callers that found a
 * row of it already have their own not-found answer.
 */
export async function assertOrgActive(database: Database, orgId: string): Promise<void> {
  const cache = hotCacheOf(database);
  // Cached per org (platform/cache/hot-cache.ts): scheduling or restoring a deletion updates the
  // organizations row, whose trigger drops the entry in every process.
  const status = cache
    ? await cache.get('org', `status:${orgId}`, async () => {
        const row = await readOrgStatus(database, orgId);
        return row ? { orgId, value: row } : null;
      })
    : await readOrgStatus(database, orgId);
  if (status?.deletedAt) throw orgDeletedError(status.deletedAt);
}
