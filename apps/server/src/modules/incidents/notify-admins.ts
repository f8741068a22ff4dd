import { sql } from 'drizzle-orm';
import type { Tx } from '../../platform/db/client.js';
import { memberships, users } from '../../platform/db/schema/index.js';
import type { ComposedNotification } from '../notifications/compose.js';
import { insertNotifications, type NewNotification } from '../notifications/queue.js';
import { hasSlackWebhook } from '../notifications/settings.js';

/**
 * Queues one incident notification to the org's people of the given roles (an email each) and,
 * when the org configured Slack, one Slack message. In the caller's transaction: the rows exist
 * if and only if the change that causes them commits. Returns how many were queued.
 */
export async function notifyOrgPeople(
  tx: Tx,
  orgId: string,
  roles: readonly ('owner' | 'admin')[],
  message: ComposedNotification,
): Promise<number> {
  const people = await tx
    .select({ userId: users.id, email: users.email })
    .from(memberships)
    .innerJoin(users, sql`${users.id} = ${memberships.userId}`)
    .where(
      sql`${memberships.orgId} = ${orgId} and ${memberships.role} in (${sql.join(
        roles.map((r) => sql`${r}`),
        sql`, `,
      )})`,
    )
    .orderBy(users.id);
  const rows: NewNotification[] = people.map((p) => ({
    ...message,
    channel: 'email',
    recipient: p.email,
    recipientUserId: p.userId,
    conversationId: null,
  }));
  if (await hasSlackWebhook(tx, orgId))
    rows.push({
      ...message,
      channel: 'slack',
      recipient: 'slack',
      recipientUserId: null,
      conversationId: null,
    });
  await insertNotifications(tx, orgId, rows);
  return rows.length;
}
