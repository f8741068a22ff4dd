import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { memberships, organizations, type Role, users } from '../../platform/db/schema/index.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { AppError, notFound } from '../../platform/errors.js';
import { safeString } from '../../platform/http/schemas.js';
import { type Actor, recordAudit } from '../audit/service.js';
import { listUserMemberships, type UserMembership } from '../members/membership-lookup.js';
import { listInheritedMemberships } from '../members/reseller-access.js';
import { hardDeleteAfter } from '../orgs/deletion/deletion-window.js';
import { readAccountDeletion } from './account-deletion.js';
import {
  type AuthDeps,
  type ConfidantAuth,
  createAuth,
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
} from './better-auth.js';
import type { SessionUser } from './session-principal.js';

export type NewUserInput = { email: string; password: string; name: string; orgId: string; role: Role };

const newUserSchema = z.object({
  email: z.email().max(254),
  password: z.string().min(MIN_PASSWORD_LENGTH).max(MAX_PASSWORD_LENGTH),
  name: safeString().trim().min(1).max(200),
  orgId: z.uuid(),
  role: z.enum(['owner', 'admin', 'agent', 'viewer']),
});

/**
 * Creates a console user with an email + password login and makes them a member of one
 * organization — for the demo seed and the CLI, where nobody signs up through the console.
 * The password is hashed by Better Auth (scrypt); the membership and its audit entry commit
 * together. If the membership cannot be written the new user is deleted again, so no orphan
 * account is left behind. An email already registered is a 409.
 */
export async function createUserWithMembership(
  deps: AuthDeps & { auth?: ConfidantAuth },
  input: NewUserInput,
  actor: Actor = { type: 'system', id: null },
): Promise<{ userId: string }> {
  const parsed = newUserSchema.safeParse(input);
  if (!parsed.success) {
    throw new AppError(
      'validation_failed',
      'Invalid user',
      parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  }
  const { email, password, name, orgId, role } = parsed.data;
  const [org] = await deps.database.db.select().from(organizations).where(eq(organizations.id, orgId));
  if (!org || org.deletedAt) throw notFound('Organization');

  const ctx = await (deps.auth ?? createAuth(deps)).$context;
  if (await ctx.internalAdapter.findUserByEmail(email)) {
    throw new AppError('conflict', 'A user with this email already exists');
  }
  const user = await ctx.internalAdapter.createUser(
    { email, name, emailVerified: false },
    { method: 'admin' },
  );
  try {
    await ctx.internalAdapter.linkAccount({
      userId: user.id,
      providerId: 'credential',
      accountId: user.id,
      password: await ctx.password.hash(password),
    });
    await withTenant(deps.database, [orgId], async (tx) => {
      await tx.insert(memberships).values({ orgId, userId: user.id, role });
      await recordAudit(tx, deps.keyring, orgId, actor, {
        action: 'member.added',
        targetType: 'user',
        targetId: user.id,
        metadata: { role },
      });
    });
  } catch (error) {
    await deps.database.db.delete(users).where(eq(users.id, user.id));
    throw error;
  }
  return { userId: user.id };
}

export type MeView = {
  id: string;
  email: string;
  name: string;
  twoFactorEnabled: boolean;
  /** Only while the account is scheduled for deletion (the console then offers to restore it). */
  deletionScheduledAt?: string;
  hardDeleteAfter?: string;
  /** Direct memberships, then the client orgs opened through a reseller (with `via`). */
  memberships: (Pick<UserMembership, 'orgId' | 'orgName' | 'role'> & {
    via?: { orgId: string; orgName: string };
    deletionScheduledAt?: string;
    hardDeleteAfter?: string;
  })[];
};

/** The deletion dates, present only while something is scheduled for deletion. */
const deletionDates = (at: Date | null) =>
  at ? { deletionScheduledAt: at.toISOString(), hardDeleteAfter: hardDeleteAfter(at).toISOString() } : {};

/** The signed-in user and the organizations they may act in. */
export async function describeMe(deps: AuthDeps, user: SessionUser): Promise<MeView> {
  const direct = await listUserMemberships(deps.database, user.id);
  const inherited = await listInheritedMemberships(deps.database, direct);
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    twoFactorEnabled: user.twoFactorEnabled,
    ...deletionDates(await readAccountDeletion(deps.database, user.id)),
    memberships: [
      ...direct.map(({ orgId, orgName, role, deletionScheduledAt }) => ({
        orgId,
        orgName,
        role,
        ...deletionDates(deletionScheduledAt),
      })),
      ...inherited.map(({ orgId, orgName, role, viaOrgId, viaOrgName }) => ({
        orgId,
        orgName,
        role,
        via: { orgId: viaOrgId, orgName: viaOrgName },
      })),
    ],
  };
}
