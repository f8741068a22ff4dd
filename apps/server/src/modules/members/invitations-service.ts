import { randomBytes } from 'node:crypto';
import { and, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Keyring } from '../../platform/crypto/keyring.js';
import type { Database, Tx } from '../../platform/db/client.js';
import { invitations, memberships, organizations, type Role, users } from '../../platform/db/schema/index.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { AppError, notFound } from '../../platform/errors.js';
import { safeEqualHex, sha256Hex } from '../api-keys/key-material.js';
import { recordAudit } from '../audit/service.js';
import { dropSealedInvitationEmails } from '../notifications/sealed-body.js';
import type { Caller } from './service.js';

type InvitationRow = typeof invitations.$inferSelect;

/** Invitations expire after seven days. */
export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** `cinv_` + 43 url-safe characters (256 bits). Only its SHA-256 is stored. */
const TOKEN = /^cinv_[A-Za-z0-9_-]{43}$/;

export type InvitationStatus = 'pending' | 'accepted' | 'revoked' | 'expired';

export type InvitationView = {
  id: string;
  email: string;
  role: Role;
  status: InvitationStatus;
  createdAt: string;
  expiresAt: string;
  acceptedAt: string | null;
  revokedAt: string | null;
};

function statusOf(row: InvitationRow, now = Date.now()): InvitationStatus {
  if (row.acceptedAt) return 'accepted';
  if (row.revokedAt) return 'revoked';
  if (row.expiresAt.getTime() <= now) return 'expired';
  return 'pending';
}

const view = (row: InvitationRow): InvitationView => ({
  id: row.id,
  email: row.email,
  role: row.role,
  status: statusOf(row),
  createdAt: row.createdAt.toISOString(),
  expiresAt: row.expiresAt.toISOString(),
  acceptedAt: row.acceptedAt?.toISOString() ?? null,
  revokedAt: row.revokedAt?.toISOString() ?? null,
});

/** Emails compare case-insensitively everywhere (Better Auth stores them lower-cased). */
export const normalizeEmail = (email: string) => email.trim().toLowerCase();

/**
 * Invites a person by email. The token is returned ONCE (the route also emails it, see
 * invitation-email.ts); only its SHA-256 is stored. Only an owner may invite an owner.
 * Inviting someone who is already a member is a 409.
 */
export async function createInvitation(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  caller: Caller,
  input: { email: string; role: Role },
): Promise<InvitationView & { token: string }> {
  if (input.role === 'owner' && caller.role !== 'owner') {
    throw new AppError('forbidden', 'Only an owner can invite an owner');
  }
  const email = normalizeEmail(input.email);
  const [existing] = await tx
    .select({ userId: memberships.userId })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, orgId), eq(users.email, email)));
  if (existing) throw new AppError('conflict', 'This person is already a member');
  const token = `cinv_${randomBytes(32).toString('base64url')}`;
  const [row] = await tx
    .insert(invitations)
    .values({
      orgId,
      email,
      role: input.role,
      tokenHash: sha256Hex(token),
      invitedByType: caller.actor.type,
      invitedById: caller.actor.id,
      expiresAt: new Date(Date.now() + INVITATION_TTL_MS),
    })
    .returning();
  await recordAudit(tx, keyring, orgId, caller.actor, {
    action: 'invitation.created',
    targetType: 'invitation',
    targetId: row!.id,
    metadata: { role: input.role },
  });
  return { ...view(row!), token };
}

export async function listInvitations(tx: Tx, orgId: string): Promise<InvitationView[]> {
  const rows = await tx
    .select()
    .from(invitations)
    .where(eq(invitations.orgId, orgId))
    .orderBy(desc(invitations.createdAt));
  return rows.map(view);
}

/** Revokes a pending invitation (idempotent); an accepted one cannot be revoked (409). */
export async function revokeInvitation(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  caller: Caller,
  id: string,
): Promise<InvitationView> {
  const [current] = await tx
    .select()
    .from(invitations)
    .where(and(eq(invitations.orgId, orgId), eq(invitations.id, id)))
    .for('update');
  if (!current) throw notFound('Invitation');
  if (current.acceptedAt)
    throw new AppError('conflict', 'This invitation was already accepted: remove the member instead');
  if (current.role === 'owner' && caller.role !== 'owner') {
    throw new AppError('forbidden', 'Only an owner can revoke an invitation to become owner');
  }
  const [row] = await tx
    .update(invitations)
    .set({ revokedAt: sql`coalesce(${invitations.revokedAt}, now())` })
    .where(and(eq(invitations.orgId, orgId), eq(invitations.id, id)))
    .returning();
  if (!current.revokedAt) {
    await dropSealedInvitationEmails(tx, orgId, current.email);
    await recordAudit(tx, keyring, orgId, caller.actor, {
      action: 'invitation.revoked',
      targetType: 'invitation',
      targetId: id,
    });
  }
  return view(row!);
}

/**
 * The pending invitation a token names, found through the credential-lookup scope (RLS reveals
 * only the row whose token hash was presented). Unknown token → 404; used, revoked or expired → 410.
 */
export async function findPendingInvitation(database: Database, token: string): Promise<InvitationRow> {
  if (!TOKEN.test(token)) throw notFound('Invitation');
  const hash = sha256Hex(token);
  const [found] = await withTenant(database, { invitationTokenHash: hash }, (tx) =>
    tx.select().from(invitations).where(eq(invitations.tokenHash, hash)),
  );
  if (!found || !safeEqualHex(found.tokenHash, hash)) throw notFound('Invitation');
  if (statusOf(found) !== 'pending') throw new AppError('gone', `This invitation is ${statusOf(found)}`);
  return found;
}

/**
 * What the invitation page shows before the person signs in or creates their account: the
 * invited email, the organization, the role, the expiry, and whether that email already has an
 * account (sign in) or not (create one). Only the holder of the token learns this.
 */
export async function previewInvitation(database: Database, token: string) {
  const found = await findPendingInvitation(database, token);
  const orgName = await withTenant(database, [found.orgId], async (tx) => {
    const [org] = await tx
      .select({ name: organizations.name })
      .from(organizations)
      .where(eq(organizations.id, found.orgId));
    return org?.name ?? '';
  });
  const [account] = await database.db
    .select({ id: users.id })
    .from(users)
    .where(eq(users.email, normalizeEmail(found.email)));
  return {
    email: found.email,
    orgName,
    role: found.role,
    expiresAt: found.expiresAt.toISOString(),
    accountExists: Boolean(account),
  };
}

/**
 * A signed-in user accepts an invitation with its token. The row is found through the
 * credential-lookup scope (RLS reveals only the row whose token hash was presented), then
 * claimed inside the org's own tenant transaction with a conditional update, so a token is used
 * at most once even when two requests race. Unknown token → 404; used, revoked or expired → 410;
 * invited email ≠ the user's email (case-insensitive) → 403; already a member → 409.
 */
export async function acceptInvitation(
  database: Database,
  keyring: Keyring,
  user: { id: string; email: string },
  token: string,
): Promise<{ orgId: string; role: Role }> {
  const found = await findPendingInvitation(database, token);
  if (normalizeEmail(found.email) !== normalizeEmail(user.email)) {
    throw new AppError('forbidden', 'This invitation was sent to a different email address');
  }
  return withTenant(database, [found.orgId], async (tx) => {
    const [claimed] = await tx
      .update(invitations)
      .set({ acceptedAt: new Date(), acceptedByUserId: user.id })
      .where(
        and(
          eq(invitations.orgId, found.orgId),
          eq(invitations.id, found.id),
          isNull(invitations.acceptedAt),
          isNull(invitations.revokedAt),
          gt(invitations.expiresAt, sql`now()`),
        ),
      )
      .returning();
    if (!claimed) throw new AppError('gone', 'This invitation is no longer valid');
    const [member] = await tx
      .insert(memberships)
      .values({ orgId: found.orgId, userId: user.id, role: claimed.role })
      .onConflictDoNothing()
      .returning();
    // Throwing rolls the claim back: the invitation stays usable for the person it was meant for.
    if (!member) throw new AppError('conflict', 'You are already a member of this organization');
    await dropSealedInvitationEmails(tx, found.orgId, found.email);
    const actor = { type: 'user' as const, id: user.id };
    await recordAudit(tx, keyring, found.orgId, actor, {
      action: 'invitation.accepted',
      targetType: 'invitation',
      targetId: found.id,
      metadata: { role: claimed.role },
    });
    return { orgId: found.orgId, role: claimed.role };
  });
}
