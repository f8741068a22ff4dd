import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import type { Database } from '../../platform/db/client.js';
import { type OrgKind, organizations, type Role } from '../../platform/db/schema/index.js';
import { roleAtLeast } from '../auth/principal.js';
import { findMembership, type UserMembership } from './membership-lookup.js';

/**
 * A reseller's people open the console of its client organizations (the clients it created)
 * without being invited into each one: membership of the reseller carries over to its clients.
 *
 * Invariants:
 * - only a `client` org whose parent is a live `reseller` org is reachable this way, and only
 *   by members of that reseller; a client never reaches its reseller, and a reseller never
 *   reaches another reseller's clients;
 * - the inherited role is the person's role in the reseller, capped at `admin`: the client's own
 *   owners keep what only owners may do (owner keys, the owner role, deleting the org);
 * - the access is derived at every request from the two rows (membership, parent link), so
 *   removing the person from the reseller ends it at once; nothing is copied into the client.
 */
export const INHERITED_ROLE_CEILING: Role = 'admin';

export type InheritedMembership = UserMembership & { viaOrgId: string; viaOrgName: string };

function capRole(role: Role): Role {
  return roleAtLeast(role, INHERITED_ROLE_CEILING) ? INHERITED_ROLE_CEILING : role;
}

/**
 * The access a reseller member has to one client org, or null. `organizations` is the tenant
 * registry (no row-level security); the membership itself is read through the reseller's
 * tenant scope by findMembership.
 */
export async function findResellerAccess(
  database: Database,
  orgId: string,
  userId: string,
): Promise<{ role: Role; orgKind: OrgKind; viaOrgId: string; orgDeletedAt: Date | null } | null> {
  const [org] = await database.db
    .select({
      kind: organizations.kind,
      parentId: organizations.parentId,
      deletedAt: organizations.deletedAt,
    })
    .from(organizations)
    .where(eq(organizations.id, orgId));
  if (org?.kind !== 'client' || !org.parentId) return null;
  const parent = await findMembership(database, org.parentId, userId);
  if (parent?.orgKind !== 'reseller' || parent.orgDeletedAt) return null;
  // A client scheduled for deletion is reached (and then refused with org_deleted, not "not a member").
  return {
    role: capRole(parent.role),
    orgKind: 'client',
    viaOrgId: org.parentId,
    orgDeletedAt: org.deletedAt,
  };
}

/**
 * The client orgs reachable through the person's reseller memberships (given by the caller,
 * from listUserMemberships), oldest first. Orgs the person also belongs to directly are left
 * out: their own membership is the one that counts.
 */
export async function listInheritedMemberships(
  database: Database,
  direct: readonly UserMembership[],
): Promise<InheritedMembership[]> {
  const resellers = direct.filter((m) => m.orgKind === 'reseller');
  if (resellers.length === 0) return [];
  const byReseller = new Map(resellers.map((m) => [m.orgId, m]));
  const clients = await database.db
    .select({ id: organizations.id, name: organizations.name, parentId: organizations.parentId })
    .from(organizations)
    .where(
      and(
        inArray(organizations.parentId, [...byReseller.keys()]),
        eq(organizations.kind, 'client'),
        isNull(organizations.deletedAt),
      ),
    )
    .orderBy(asc(organizations.createdAt), asc(organizations.id));
  const directIds = new Set(direct.map((m) => m.orgId));
  return clients.flatMap((c) => {
    const via = c.parentId ? byReseller.get(c.parentId) : undefined;
    if (!via || directIds.has(c.id)) return [];
    return [
      {
        orgId: c.id,
        orgName: c.name,
        orgKind: 'client' as const,
        role: capRole(via.role),
        deletionScheduledAt: null,
        viaOrgId: via.orgId,
        viaOrgName: via.orgName,
      },
    ];
  });
}
