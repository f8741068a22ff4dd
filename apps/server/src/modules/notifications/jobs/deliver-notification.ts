import { and, eq, sql } from 'drizzle-orm';
import type { BaseLogger } from 'pino';
import { z } from 'zod';
import type { Config } from '../../../platform/config.js';
import type { Keyring } from '../../../platform/crypto/keyring.js';
import type { Database } from '../../../platform/db/client.js';
import { notifications } from '../../../platform/db/schema/index.js';
import { withTenant } from '../../../platform/db/tenancy.js';
import type { WorkContext } from '../../../platform/jobs/queue.js';
import type { OutboundPolicy } from '../../../platform/net/outbound-policy.js';
import { readOrgStatus } from '../../orgs/deletion/org-status.js';
import { consoleBaseUrl, linkedMessageText } from '../compose.js';
import { DeliveryError } from '../delivery-error.js';
import type { Mailer } from '../mailer.js';
import { afterSealedSend, openSealedBody } from '../sealed-body.js';
import { loadSlackWebhookUrl } from '../settings.js';
import { postToSlack } from '../slack.js';

/**
 * `notifications.deliver`: sends one queued notification (email or Slack), with retries and
 * exponential backoff (pg-boss: ~2 s, 4 s, 8 s … up to 15 min between attempts, 8 retries).
 *
 * Idempotence: a row is sent only while it is `queued`, and is marked `sent` right after the
 * send; the `exclusive` queue policy keeps at most one job per row waiting or running, so two
 * workers never send the same row at once. A row marked sent is never sent again. The one
 * window left is a crash between the send and the mark: the retried job finds the row still
 * queued and sends it once more (at-least-once delivery; no SMTP or Slack transaction spans both).
 *
 * With no SMTP configured an email row is marked sent without leaving the process: it is then
 * part of the dev outbox.
 */
export const DELIVER_NOTIFICATION = 'notifications.deliver';

export const deliverQueueOptions = {
  policy: 'exclusive',
  retryLimit: 8,
  retryDelay: 2,
  retryBackoff: true,
  retryDelayMax: 900,
  expireInSeconds: 300,
  deleteAfterSeconds: 7 * 24 * 3600,
} as const;

/** Ids only: payloads are kept by the queue after the job ran. */
export const deliverPayload = z.strictObject({ orgId: z.uuid(), notificationId: z.uuid() });
export type DeliverPayload = z.infer<typeof deliverPayload>;

export type DeliveryDeps = {
  config: Config;
  database: Database;
  keyring: Keyring;
  net: OutboundPolicy;
  mailer: Mailer;
  log?: BaseLogger;
};

type NotificationRow = typeof notifications.$inferSelect;

export async function handleDeliverNotification(deps: DeliveryDeps, data: unknown, context: WorkContext) {
  const { orgId, notificationId } = deliverPayload.parse(data);
  // An org scheduled for deletion sends nothing: the row stays queued, and the sweep sends it
  // if the org is restored (it is erased with the org otherwise).
  const org = await readOrgStatus(deps.database, orgId);
  if (!org || org.deletedAt) return;
  const where = and(
    eq(notifications.orgId, orgId),
    eq(notifications.id, notificationId),
    eq(notifications.status, 'queued'),
  );
  const [row] = await withTenant(deps.database, [orgId], (tx) =>
    tx.select().from(notifications).where(where),
  );
  if (!row) return; // sent, failed or gone (its conversation was deleted): nothing to do.
  try {
    await send(deps, row);
  } catch (error) {
    const code = error instanceof DeliveryError ? error.code : 'internal_error';
    const final =
      (error instanceof DeliveryError && error.permanent) || context.retryCount >= context.retryLimit;
    await withTenant(deps.database, [orgId], (tx) =>
      tx
        .update(notifications)
        .set({
          attempts: sql`${notifications.attempts} + 1`,
          lastErrorCode: code,
          status: final ? 'failed' : 'queued',
        })
        .where(where),
    );
    deps.log?.warn(
      { notificationId, channel: row.channel, code, attempt: context.retryCount + 1, final },
      final ? 'notification delivery failed for good' : 'notification delivery failed; retrying',
    );
    if (!final) throw error instanceof DeliveryError ? error : new DeliveryError(code);
    return;
  }
  // A one-time link that went out through SMTP is not kept (sealed-body.ts); in the dev outbox
  // it stays sealed for admins until it is used or expires.
  const sealedSent = row.sealedBody !== null && row.channel === 'email' && deps.mailer.kind === 'smtp';
  await withTenant(deps.database, [orgId], (tx) =>
    tx
      .update(notifications)
      .set({
        status: 'sent',
        sentAt: sql`now()`,
        attempts: sql`${notifications.attempts} + 1`,
        ...(sealedSent ? afterSealedSend(row.recipient) : {}),
      })
      .where(where),
  );
}

/** The text to send: the opened sealed body of a one-time-link email, else the stored body. */
function messageText(deps: DeliveryDeps, row: NotificationRow): string {
  if (row.kind !== 'invitation') return linkedMessageText(row, consoleBaseUrl(deps.config));
  const text = openSealedBody(deps.keyring, row);
  // Used, revoked or expired before it could be sent: nothing worth sending any more.
  if (text === null) throw new DeliveryError('link_expired', true);
  return text;
}

async function send(deps: DeliveryDeps, row: NotificationRow): Promise<void> {
  const text = messageText(deps, row);
  if (row.channel === 'email') {
    if (deps.mailer.kind === 'smtp')
      await deps.mailer.send({ to: row.recipient, subject: row.subject, text });
    return;
  }
  const webhookUrl = await withTenant(deps.database, [row.orgId], (tx) =>
    loadSlackWebhookUrl(tx, deps.keyring, row.orgId),
  );
  if (!webhookUrl) throw new DeliveryError('slack_not_configured', true);
  await postToSlack(webhookUrl, `*${row.subject}*\n${text}`, deps.net);
}
