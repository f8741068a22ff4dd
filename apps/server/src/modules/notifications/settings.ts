import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { decryptSecret, encryptSecret, type SecretLocation } from '../../platform/crypto/envelope.js';
import type { Keyring } from '../../platform/crypto/keyring.js';
import type { Tx } from '../../platform/db/client.js';
import { notificationSettings } from '../../platform/db/schema/index.js';
import { type Actor, recordAudit } from '../audit/service.js';

/**
 * An organization's notification settings: the Slack incoming-webhook URL and whether operator
 * notifications may quote chat text (previews, off by default).
 *
 * Invariant: the webhook URL exists only as envelope-encrypted ciphertext bound to
 * (org, table, column, row); it is never returned (only `hasSlackWebhook`), never logged and never
 * audited. It is checked by the outbound address guard when saved (routes.ts) and again at every
 * call (slack.ts), since DNS may answer differently later.
 */
export type NotificationSettingsView = { hasSlackWebhook: boolean; previews: boolean };

export type NotificationSettingsInput = {
  /** A new URL; `undefined` keeps the stored one, `null` removes it. */
  slackWebhookUrl?: string | null;
  previews?: boolean;
};

type SettingsRow = typeof notificationSettings.$inferSelect;

const DEFAULTS: NotificationSettingsView = { hasSlackWebhook: false, previews: false };

export const slackWebhookLocation = (orgId: string, rowId: string): SecretLocation => ({
  orgId,
  table: 'notification_settings',
  column: 'slack_webhook_ciphertext',
  rowId,
});

const view = (row: SettingsRow | undefined): NotificationSettingsView =>
  row ? { hasSlackWebhook: row.slackWebhookCiphertext !== null, previews: row.previews } : DEFAULTS;

async function findRow(tx: Tx, orgId: string): Promise<SettingsRow | undefined> {
  const [row] = await tx.select().from(notificationSettings).where(eq(notificationSettings.orgId, orgId));
  return row;
}

export async function getNotificationSettings(tx: Tx, orgId: string): Promise<NotificationSettingsView> {
  return view(await findRow(tx, orgId));
}

/**
 * Creates or updates the settings. Saves of one org are serialised by an advisory lock, so two
 * first saves cannot race on the one-row-per-org index (the row id must be known before
 * encrypting: the ciphertext is bound to it).
 */
export async function saveNotificationSettings(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  actor: Actor,
  input: NotificationSettingsInput,
): Promise<NotificationSettingsView> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${orgId}::text, 7302))`);
  const existing = await findRow(tx, orgId);
  const rowId = existing?.id ?? randomUUID();
  const slackWebhookCiphertext =
    input.slackWebhookUrl === undefined
      ? (existing?.slackWebhookCiphertext ?? null)
      : input.slackWebhookUrl === null
        ? null
        : encryptSecret(keyring, input.slackWebhookUrl, slackWebhookLocation(orgId, rowId));
  const fields = {
    slackWebhookCiphertext,
    previews: input.previews ?? existing?.previews ?? false,
    updatedAt: new Date(),
  };
  const [row] = existing
    ? await tx
        .update(notificationSettings)
        .set(fields)
        .where(eq(notificationSettings.orgId, orgId))
        .returning()
    : await tx
        .insert(notificationSettings)
        .values({ ...fields, orgId, id: rowId })
        .returning();
  if (!row) throw new Error('notification settings write returned nothing');
  await recordAudit(tx, keyring, orgId, actor, {
    action: 'notification_settings.updated',
    targetType: 'notification_settings',
    targetId: row.id,
    // Whether a webhook is set and whether it changed; never the URL.
    metadata: {
      hasSlackWebhook: row.slackWebhookCiphertext !== null,
      slackWebhookChanged: input.slackWebhookUrl !== undefined,
      previews: row.previews,
    },
  });
  return view(row);
}

/** Whether operator notifications may quote chat text (read when a notification is written). */
export async function previewsEnabled(tx: Tx, orgId: string): Promise<boolean> {
  return (await findRow(tx, orgId))?.previews ?? false;
}

/** Whether a Slack webhook is set (read when deciding to queue a Slack message). */
export async function hasSlackWebhook(tx: Tx, orgId: string): Promise<boolean> {
  return ((await findRow(tx, orgId))?.slackWebhookCiphertext ?? null) !== null;
}

/**
 * The decrypted webhook URL, or null when none is set. Called by the delivery job right before
 * posting; the plaintext stays in memory for that call only. Throws when it cannot be decrypted
 * (a master key version missing): an operator problem, never silently ignored.
 */
export async function loadSlackWebhookUrl(tx: Tx, keyring: Keyring, orgId: string): Promise<string | null> {
  const row = await findRow(tx, orgId);
  if (!row?.slackWebhookCiphertext) return null;
  return decryptSecret(keyring, row.slackWebhookCiphertext, slackWebhookLocation(orgId, row.id));
}
