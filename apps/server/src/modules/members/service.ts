import { and, asc, eq } from 'drizzle-orm';
import { noteCacheChange } from '../../platform/cache/hot-cache.js';
import type { Keyring } from '../../platform/crypto/keyring.js';
import type { Tx } from '../../platform/db/client.js';
import { memberships, type Role, users } from '../../platform/db/schema/index.js';
import { AppError, notFound } from '../../platform/errors.js';
import { type Actor, recordAudit } from '../audit/service.js';

/** Who is changing the membership list: the audit actor and the role they act with. */
export type Caller = { actor: Actor; role: Role };

export type MemberView = { userId: string; email: string; name: string; role: Role; createdAt: string };

export async function listMembers(tx: Tx, orgId: string): Promise<MemberView[]> {
  // users is a global table (no RLS); the join only reaches users named by this org's rows.
  const rows = await tx
    .select({
      userId: memberships.userId,
      email: users.email,
      name: users.name,
      role: memberships.role,
      createdAt: memberships.createdAt,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.orgId, orgId))
    .orderBy(asc(memberships.createdAt));
  return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
}

/**
 * Locks every membership row of the org for the rest of the transaction, so two concurrent
 * changes cannot both see "another owner remains" and leave the org with none.
 */
async function lockMemberships(tx: Tx, orgId: string) {
  return tx
    .select({ userId: memberships.userId, role: memberships.role })
    .from(memberships)
    .where(eq(memberships.orgId, orgId))
    .for('update');
}

/** Only an owner may make someone an owner or change/remove an existing owner. */
function assertMayTouchOwner(caller: Caller, involvesOwner: boolean) {
  if (involvesOwner && caller.role !== 'owner') {
    throw new AppError('forbidden', 'Only an owner can grant or revoke the owner role');
  }
}

/**
 * Changes a member's role. Invariant: an organization always keeps at least one owner — the
 * last owner cannot be demoted (409).
 */
export async function changeMemberRole(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  caller: Caller,
  userId: string,
  role: Role,
): Promise<MemberView> {
  const all = await lockMemberships(tx, orgId);
  const target = all.find((m) => m.userId === userId);
  if (!target) throw notFound('Member');
  assertMayTouchOwner(caller, target.role === 'owner' || role === 'owner');
  if (target.role === 'owner' && role !== 'owner' && all.filter((m) => m.role === 'owner').length === 1) {
    throw new AppError('conflict', 'The last owner cannot be demoted: make another member owner first');
  }
  if (target.role !== role) {
    await tx
      .update(memberships)
      .set({ role })
      .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)));
    // Cached for console sessions (session-principal.ts): this process drops it at once.
    noteCacheChange(tx, 'org', orgId);
    await recordAudit(tx, keyring, orgId, caller.actor, {
      action: 'member.role_changed',
      targetType: 'user',
      targetId: userId,
      metadata: { from: target.role, to: role },
    });
  }
  const member = (await listMembers(tx, orgId)).find((m) => m.userId === userId);
  if (!member) throw notFound('Member');
  return member;
}

/** Removes a member (their account stays). The last owner cannot be removed (409). */
export async function removeMember(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  caller: Caller,
  userId: string,
): Promise<void> {
  const all = await lockMemberships(tx, orgId);
  const target = all.find((m) => m.userId === userId);
  if (!target) throw notFound('Member');
  assertMayTouchOwner(caller, target.role === 'owner');
  if (target.role === 'owner' && all.filter((m) => m.role === 'owner').length === 1) {
    throw new AppError('conflict', 'The last owner cannot be removed: make another member owner first');
  }
  await tx.delete(memberships).where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)));
  noteCacheChange(tx, 'org', orgId);
  await recordAudit(tx, keyring, orgId, caller.actor, {
    action: 'member.removed',
    targetType: 'user',
    targetId: userId,
    metadata: { role: target.role },
  });
}
