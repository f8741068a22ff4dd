import { and, desc, eq, sql } from 'drizzle-orm';
import type { Keyring } from '../../platform/crypto/keyring.js';
import type { Tx } from '../../platform/db/client.js';
import {
  type NotificationKind,
  type NotificationStatus,
  notifications,
} from '../../platform/db/schema/index.js';
import { decodeTimeCursor, encodeTimeCursor } from '../../platform/http/time-cursor.js';
import { linkedMessageText } from './compose.js';
import { openSealedBody } from './sealed-body.js';

/**
 * The dev outbox: with no SMTP server configured, email notifications are kept as rows and read
 * here by admins, newest first, in cursor pages — the text exactly as it would have been sent.
 * An invitation email is stored sealed and shown opened here while its link is still valid (an
 * admin could create the invitation anyway); afterwards only a placeholder remains. Password
 * reset emails are never here (modules/auth/password-reset-email.ts): an admin must not be able
 * to take over another person's account.
 */
const SEALED_GONE =
  '(This email carried a one-time link. Its text is no longer kept: the link was used, revoked or expired.)';

export type OutboxMessage = {
  id: string;
  kind: NotificationKind;
  to: string;
  subject: string;
  text: string;
  conversationId: string | null;
  status: NotificationStatus;
  createdAt: string;
  sentAt: string | null;
};

export async function listOutbox(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  consoleBaseUrl: string,
  query: { limit: number; cursor?: string },
): Promise<{ messages: OutboxMessage[]; nextCursor: string | null }> {
  const cursor = query.cursor ? decodeTimeCursor(query.cursor) : null;
  const rows = await tx
    .select({
      row: notifications,
      // The exact timestamp (microseconds) for the cursor: a JS Date would round it.
      at: sql<string>`${notifications.createdAt}::text`,
    })
    .from(notifications)
    .where(
      and(
        eq(notifications.orgId, orgId),
        eq(notifications.channel, 'email'),
        cursor
          ? sql`(${notifications.createdAt}, ${notifications.id}) < (${cursor.at}::timestamptz, ${cursor.id}::uuid)`
          : undefined,
      ),
    )
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    messages: page.map(({ row }) => ({
      id: row.id,
      kind: row.kind,
      to: row.recipient,
      subject: row.subject,
      text:
        row.kind === 'invitation'
          ? (openSealedBody(keyring, row) ?? SEALED_GONE)
          : linkedMessageText(row, consoleBaseUrl),
      conversationId: row.conversationId,
      status: row.status,
      createdAt: row.createdAt.toISOString(),
      sentAt: row.sentAt?.toISOString() ?? null,
    })),
    nextCursor: rows.length > query.limit && last ? encodeTimeCursor({ at: last.at, id: last.row.id }) : null,
  };
}
