import { sql } from 'drizzle-orm';
import type { Tx } from '../../platform/db/client.js';
import { notifications } from '../../platform/db/schema/index.js';
import type { ComposedNotification } from './compose.js';

/**
 * Writing a notification: a `queued` row in the caller's transaction, so it exists if and only if
 * the change that causes it commits, and a NOTIFY that wakes the dispatcher (jobs/dispatch.ts)
 * once that transaction commits (NOTIFY is transactional). The dispatcher hands each queued row
 * to a delivery job; a wake that is lost (process stopped) is made up by the periodic sweep.
 */
export const NOTIFICATIONS_CHANNEL = 'confidant_notifications';

export type NewNotification = ComposedNotification & {
  channel: 'email' | 'slack';
  recipient: string;
  recipientUserId: string | null;
  conversationId: string | null;
  /** Chosen by the caller when the row's id is needed first (a sealed body is bound to it). */
  id?: string;
  sealedBody?: string;
  sealedUntil?: Date;
};

export async function insertNotifications(tx: Tx, orgId: string, rows: NewNotification[]): Promise<string[]> {
  if (rows.length === 0) return [];
  const inserted = await tx
    .insert(notifications)
    .values(rows.map((row) => ({ ...row, orgId })))
    .returning({ id: notifications.id });
  await tx.execute(sql`select pg_notify(${NOTIFICATIONS_CHANNEL}, ${orgId}::text)`);
  return inserted.map((row) => row.id);
}
