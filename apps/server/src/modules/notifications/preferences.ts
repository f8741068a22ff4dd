import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Tx } from '../../platform/db/client.js';
import { memberships, notificationPreferences, users } from '../../platform/db/schema/index.js';
import { AppError } from '../../platform/errors.js';

/**
 * Each member's own notification choices. No row means the defaults: every notification on, so a
 * new operator is told about waiting visitors without first visiting a settings page.
 */
export type NotificationPreferences = {
  /** A new conversation waits for a person (every operator: agent role and above). */
  waitingConversation: boolean;
  /** A conversation was assigned to me. */
  assignedToMe: boolean;
  /** The visitor wrote in a conversation I own. */
  replyInMyConversation: boolean;
};

export type PreferenceName = keyof NotificationPreferences;

export const defaultPreferences: NotificationPreferences = {
  waitingConversation: true,
  assignedToMe: true,
  replyInMyConversation: true,
};

/** Roles that answer conversations, and so may be notified about them. */
const OPERATOR_ROLES = ['agent', 'admin', 'owner'] as const;

export async function getPreferences(
  tx: Tx,
  orgId: string,
  userId: string,
): Promise<NotificationPreferences> {
  const [row] = await tx
    .select()
    .from(notificationPreferences)
    .where(and(eq(notificationPreferences.orgId, orgId), eq(notificationPreferences.userId, userId)));
  return row
    ? {
        waitingConversation: row.waitingConversation,
        assignedToMe: row.assignedToMe,
        replyInMyConversation: row.replyInMyConversation,
      }
    : { ...defaultPreferences };
}

/** Saves a member's choices (omitted fields keep their current value). 404 for a non-member. */
export async function savePreferences(
  tx: Tx,
  orgId: string,
  userId: string,
  input: Partial<NotificationPreferences>,
): Promise<NotificationPreferences> {
  const [member] = await tx
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)));
  if (!member) throw new AppError('not_found', 'You are not a member of this organization');
  const next = { ...(await getPreferences(tx, orgId, userId)), ...input };
  await tx
    .insert(notificationPreferences)
    .values({ orgId, userId, ...next })
    .onConflictDoUpdate({
      target: [notificationPreferences.orgId, notificationPreferences.userId],
      set: { ...next, updatedAt: sql`now()` },
    });
  return next;
}

export type Recipient = { userId: string; email: string };

/**
 * The operators (agent role and above) who want `preference`, optionally only among `userIds`.
 * Emails come from the console identity table; a member without a row has the defaults.
 */
export async function operatorsWanting(
  tx: Tx,
  orgId: string,
  preference: PreferenceName,
  userIds?: string[],
): Promise<Recipient[]> {
  const column = {
    waitingConversation: notificationPreferences.waitingConversation,
    assignedToMe: notificationPreferences.assignedToMe,
    replyInMyConversation: notificationPreferences.replyInMyConversation,
  }[preference];
  return tx
    .select({ userId: users.id, email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .leftJoin(
      notificationPreferences,
      and(
        eq(notificationPreferences.orgId, memberships.orgId),
        eq(notificationPreferences.userId, memberships.userId),
      ),
    )
    .where(
      and(
        eq(memberships.orgId, orgId),
        inArray(memberships.role, [...OPERATOR_ROLES]),
        sql`coalesce(${column}, true)`,
        ...(userIds ? [inArray(memberships.userId, userIds)] : []),
      ),
    )
    .orderBy(users.id);
}
