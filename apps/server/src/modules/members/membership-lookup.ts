import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Database } from '../../platform/db/client.js';
import { memberships, type OrgKind, organizations, type Role } from '../../platform/db/schema/index.js';
import { withTenant } from '../../platform/db/tenancy.js';

export type UserMembership = { orgId: string; orgName: string; orgKind: OrgKind; role: Role };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Every membership of one console user, across organizations (deleted orgs left out).
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
    .select({ id: organizations.id, name: organizations.name, kind: organizations.kind })
    .from(organizations)
    .where(
      and(
        inArray(
          organizations.id,
          rows.map((r) => r.orgId),
        ),
        isNull(organizations.deletedAt),
      ),
    )
    .orderBy(asc(organizations.createdAt));
  const byId = new Map(orgs.map((o) => [o.id, o]));
  return rows.flatMap((m) => {
    const org = byId.get(m.orgId);
    return org ? [{ orgId: org.id, orgName: org.name, orgKind: org.kind, role: m.role }] : [];
  });
}

/** One user's membership of one org, read through that org's tenant scope; null when none. */
export async function findMembership(
  database: Database,
  orgId: string,
  userId: string,
): Promise<{ role: Role; orgKind: OrgKind } | null> {
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
  if (!org || org.deletedAt) return null;
  return { role: row.role, orgKind: org.kind };
}
