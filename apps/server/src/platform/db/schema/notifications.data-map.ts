import { col, type DataMap } from '../data-map-types.js';

const orgRef = col('org.identifier', 'org_lifetime', 'keep');

/** Notifications to operators (email, Slack) and to visitors (a reply by email), and their settings. */
export const notificationsDataMap: DataMap = {
  notifications: {
    purpose:
      'Durable delivery of notifications: operators about conversations, visitors about replies (with consent)',
    subject: 'user',
    columns: {
      org_id: orgRef,
      id: col('system.identifier', 'notification_outbox', 'keep'),
      channel: col('system.operations', 'notification_outbox', 'keep'),
      // An operator's address, or the address a visitor left with consent.
      recipient: col('user.contact.email', 'notification_outbox', 'delete_row', { subject: true }),
      recipient_user_id: col('user.identifier', 'notification_outbox', 'delete_row', { subject: true }),
      conversation_id: col('user.identifier', 'notification_outbox', 'delete_row', { subject: true }),
      kind: col('system.operations', 'notification_outbox', 'keep'),
      // Names the agent and the org; never chat text.
      subject: col('system.operations', 'notification_outbox', 'keep'),
      // Chat text only with previews on, or a reply addressed to the visitor.
      body: col('user.content.chat', 'notification_outbox', 'delete_row', { subject: true }),
      // An invitation email (its one-time link): sealed; dropped once sent by SMTP, and in the
      // dev outbox when the invitation is accepted or revoked or at sealed_until (its expiry).
      sealed_body: col('user.credential.secret', 'until_expiry', 'delete_row', {
        subject: true,
        encrypted: true,
      }),
      sealed_until: col('system.operations', 'until_expiry', 'delete_row'),
      status: col('system.operations', 'notification_outbox', 'keep'),
      attempts: col('system.operations', 'notification_outbox', 'keep'),
      last_error_code: col('system.operations', 'notification_outbox', 'keep'),
      created_at: col('system.operations', 'notification_outbox', 'keep'),
      sent_at: col('system.operations', 'notification_outbox', 'keep'),
    },
    expiry: { age: ['created_at'], conversation: 'conversation_id' },
  },
  notification_preferences: {
    purpose: 'Which notifications each member wants',
    subject: 'user',
    columns: {
      org_id: orgRef,
      user_id: col('user.identifier', 'account_lifetime', 'delete_row', { subject: true }),
      waiting_conversation: col('org.config', 'account_lifetime', 'delete_row'),
      assigned_to_me: col('org.config', 'account_lifetime', 'delete_row'),
      reply_in_my_conversation: col('org.config', 'account_lifetime', 'delete_row'),
      updated_at: col('system.operations', 'account_lifetime', 'delete_row'),
    },
  },
  notification_settings: {
    purpose: "The organization's notification settings (Slack webhook, previews)",
    subject: 'none',
    columns: {
      org_id: orgRef,
      id: col('system.identifier', 'org_lifetime', 'keep'),
      slack_webhook_ciphertext: col('org.credential.secret', 'org_lifetime', 'keep', { encrypted: true }),
      previews: col('org.config', 'org_lifetime', 'keep'),
      created_at: col('system.operations', 'org_lifetime', 'keep'),
      updated_at: col('system.operations', 'org_lifetime', 'keep'),
    },
  },
};
