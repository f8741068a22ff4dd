import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { memberships } from './access.js';
import { users } from './auth.js';
import { createdAt, id, orgId, tstz, updatedAt } from './columns.js';
import { conversations } from './conversations.js';
import { organizations } from './organizations.js';

export const notificationChannels = ['email', 'slack'] as const;
export type NotificationChannel = (typeof notificationChannels)[number];
export const notificationStatuses = ['queued', 'sent', 'failed'] as const;
export type NotificationStatus = (typeof notificationStatuses)[number];
/** What caused a notification (modules/notifications/compose.ts words each one). */
export const notificationKinds = [
  'conversation_waiting',
  'conversation_assigned',
  'visitor_replied',
  'operator_reply',
  'invitation',
  'usage_threshold',
  'incident_reminder',
  'incident_registered',
  'webhook_disabled',
] as const;
export type NotificationKind = (typeof notificationKinds)[number];

/**
 * Notifications, durable: written in the transaction of the change that causes them, delivered
 * by a job (modules/notifications/jobs/). Operator notifications hold ids and a link; chat text
 * only when the org turned previews on. With no SMTP configured, email rows are the dev outbox.
 */
export const notifications = pgTable(
  'notifications',
  {
    orgId: orgId(),
    id: id(),
    channel: text('channel', { enum: notificationChannels }).notNull(),
    /** An email address, or 'slack' (the org's webhook, read at delivery). */
    recipient: text('recipient').notNull(),
    /** The console user it is addressed to (null for Slack and for a visitor's email). */
    recipientUserId: uuid('recipient_user_id').references(() => users.id, { onDelete: 'cascade' }),
    conversationId: uuid('conversation_id'),
    kind: text('kind', { enum: notificationKinds }).notNull(),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    /**
     * The body of an email that carries a one-time link (an invitation), envelope-encrypted
     * (bound to org/table/column/row) while `body` stays empty. Dropped once sent through SMTP;
     * in the dev outbox kept until `sealed_until` (the link's expiry) or until the link is used.
     */
    sealedBody: text('sealed_body'),
    sealedUntil: tstz('sealed_until'),
    status: text('status', { enum: notificationStatuses }).notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    /** A short code (e.g. smtp_ECONNECTION, slack_http_500), never an error message. */
    lastErrorCode: text('last_error_code'),
    createdAt: createdAt(),
    sentAt: tstz('sent_at'),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId], foreignColumns: [organizations.id] }).onDelete('cascade'),
    foreignKey({
      columns: [t.orgId, t.conversationId],
      foreignColumns: [conversations.orgId, conversations.id],
    }).onDelete('cascade'),
    index('notifications_status_idx').on(t.orgId, t.status, t.createdAt),
    index('notifications_outbox_idx').on(t.orgId, t.channel, t.createdAt, t.id),
    check('notifications_channel_check', sql`${t.channel} in ('email','slack')`),
    check('notifications_status_check', sql`${t.status} in ('queued','sent','failed')`),
    check('notifications_last_error_code_check', sql`${t.lastErrorCode} ~ '^[A-Za-z0-9_]{1,64}$'`),
  ],
);

/** A member's own choices; no row means every notification is on (the defaults). */
export const notificationPreferences = pgTable(
  'notification_preferences',
  {
    orgId: orgId(),
    userId: uuid('user_id').notNull(),
    waitingConversation: boolean('waiting_conversation').notNull().default(true),
    assignedToMe: boolean('assigned_to_me').notNull().default(true),
    replyInMyConversation: boolean('reply_in_my_conversation').notNull().default(true),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.userId] }),
    // Leaving the organization removes the preferences with the membership.
    foreignKey({
      name: 'notification_preferences_membership_fk',
      columns: [t.orgId, t.userId],
      foreignColumns: [memberships.orgId, memberships.userId],
    }).onDelete('cascade'),
  ],
);

/**
 * The organization's notification settings, one row per org. The Slack webhook URL is a secret
 * (whoever holds it can post to the channel): envelope-encrypted, bound to org/table/column/row.
 */
export const notificationSettings = pgTable(
  'notification_settings',
  {
    orgId: orgId(),
    id: id(),
    slackWebhookCiphertext: text('slack_webhook_ciphertext'),
    /** Whether operator notifications may quote chat text (off: links and ids only). */
    previews: boolean('previews').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId], foreignColumns: [organizations.id] }).onDelete('cascade'),
    uniqueIndex('notification_settings_org_idx').on(t.orgId),
  ],
);
