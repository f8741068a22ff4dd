import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../../platform/db/client.js';
import { memberships, type OrgKind, organizations, type Role } from '../../platform/db/schema/index.js';
import { withTenant } from '../../platform/db/tenancy.js';

export type UserMembership = {
  orgId: string;
  orgName: string;
  orgKind: OrgKind;
  role: Role;
  /** Set while the org is scheduled for deletion (its console then offers only restoring it). */
  deletionScheduledAt: Date | null;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Every membership of one console user, across organizations (those scheduled for deletion
 * included, with the date: the console shows them with their restore banner).
 *
 * Memberships are tenant rows, so a plain query sees none of them. This opens a tenant
 * transaction with NO org ids and publishes the user id in `app.member_user_id`; the
 * `member_lookup` policy (drizzle/0002) then reveals exactly that user's rows and nothing else.
 * The user id must come from an authenticated session, never from request input.
 */
export async function listUserMemberships(database: Database, userId: string): Promise<UserMembership[]> {
  if (!UUID.test(userId)) throw new Error('listUserMemberships: user ids must be UUIDs');
  const rows = await withTenant(database, [], async (tx) => {
    await tx.execute(sql`select set_config('app.member_user_id', ${userId}, true)`);
    return tx
      .select({ orgId: memberships.orgId, role: memberships.role })
      .from(memberships)
      .where(eq(memberships.userId, userId));
  });
  if (rows.length === 0) return [];
  // organizations is the tenant registry (no RLS); only the rows named by the memberships are read.
  const orgs = await database.db
    .select({
      id: organizations.id,
      name: organizations.name,
      kind: organizations.kind,
      deletedAt: organizations.deletedAt,
    })
    .from(organizations)
    .where(
      inArray(
        organizations.id,
        rows.map((r) => r.orgId),
      ),
    )
    .orderBy(asc(organizations.createdAt));
  const byId = new Map(orgs.map((o) => [o.id, o]));
  return rows.flatMap((m) => {
    const org = byId.get(m.orgId);
    return org
      ? [
          {
            orgId: org.id,
            orgName: org.name,
            orgKind: org.kind,
            role: m.role,
            deletionScheduledAt: org.deletedAt,
          },
        ]
      : [];
  });
}

/**
 * One user's membership of one org, read through that org's tenant scope; null when none.
 * `orgDeletedAt` is set while the org is scheduled for deletion (the caller refuses the request).
 */
export async function findMembership(
  database: Database,
  orgId: string,
  userId: string,
): Promise<{ role: Role; orgKind: OrgKind; orgDeletedAt: Date | null } | null> {
  const [row] = await withTenant(database, [orgId], (tx) =>
    tx
      .select({ role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId))),
  );
  if (!row) return null;
  const [org] = await database.db
    .select({ kind: organizations.kind, deletedAt: organizations.deletedAt })
    .from(organizations)
    .where(eq(organizations.id, orgId));
  if (!org) return null;
  return { role: row.role, orgKind: org.kind, orgDeletedAt: org.deletedAt };
}
