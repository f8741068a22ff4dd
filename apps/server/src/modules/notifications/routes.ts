import { z } from 'zod';
import type { AppDeps } from '../../deps.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { AppError } from '../../platform/errors.js';
import { errorResponses } from '../../platform/http/schemas.js';
import type { ZodApp } from '../../platform/http/types.js';
import { checkTenantUrl } from '../../platform/net/check-tenant-url.js';
import { actorOf, requirePrincipal, requireRole } from '../auth/principal.js';
import { consoleBaseUrl } from './compose.js';
import { listOutbox } from './outbox.js';
import { getPreferences, savePreferences } from './preferences.js';
import { getNotificationSettings, saveNotificationSettings } from './settings.js';

const preferencesSchema = z
  .object({
    waitingConversation: z.boolean().describe('A new conversation is waiting for a person'),
    assignedToMe: z.boolean().describe('A conversation was assigned to me'),
    replyInMyConversation: z.boolean().describe('The visitor wrote in a conversation I own'),
  })
  .meta({ id: 'NotificationPreferences' });

const preferencesBody = z.strictObject({
  waitingConversation: z.boolean().optional(),
  assignedToMe: z.boolean().optional(),
  replyInMyConversation: z.boolean().optional(),
});

const settingsSchema = z
  .object({
    hasSlackWebhook: z.boolean().describe('Whether a Slack webhook is stored; the URL is never returned'),
    previews: z.boolean().describe('Whether operator notifications may quote chat text'),
  })
  .meta({ id: 'NotificationSettings' });

const webhookUrlSchema = z
  .string()
  .max(2000)
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'https:' || url.protocol === 'http:') && !url.username && !url.password;
    } catch {
      return false;
    }
  }, 'must be an http:// or https:// URL without credentials');

const settingsBody = z.strictObject({
  // Omitted keeps the stored URL; null removes it.
  slackWebhookUrl: webhookUrlSchema.nullable().optional(),
  previews: z.boolean().optional(),
});

const outboxMessageSchema = z.object({
  id: z.string(),
  kind: z.string(),
  to: z.string(),
  subject: z.string(),
  text: z.string(),
  conversationId: z.string().nullable(),
  status: z.enum(['queued', 'sent', 'failed']),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
});

/** Only console users have preferences: an API key is nobody to notify. */
function requireConsoleUser(request: Parameters<typeof requirePrincipal>[0]) {
  const p = requirePrincipal(request);
  if (p.type !== 'user')
    throw new AppError('forbidden', 'Notification preferences belong to console users, not API keys');
  return p;
}

/** Notification preferences (each member's own), org settings and the dev outbox (admins). */
export async function notificationRoutes(app: ZodApp, deps: AppDeps) {
  app.get(
    '/v1/notifications/preferences',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Get my notification preferences in this organization',
        response: { 200: preferencesSchema, ...errorResponses },
      },
    },
    async (request) => {
      const p = requireConsoleUser(request);
      return withTenant(deps.database, [p.orgId], (tx) => getPreferences(tx, p.orgId, p.userId));
    },
  );

  app.put(
    '/v1/notifications/preferences',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Set my notification preferences in this organization',
        description: 'Omitted fields keep their value. All notifications are on by default.',
        body: preferencesBody,
        response: { 200: preferencesSchema, ...errorResponses },
      },
    },
    async (request) => {
      const p = requireConsoleUser(request);
      return withTenant(deps.database, [p.orgId], (tx) =>
        savePreferences(tx, p.orgId, p.userId, request.body),
      );
    },
  );

  app.get(
    '/v1/notifications/settings',
    {
      schema: {
        tags: ['notifications'],
        summary: "Get the organization's notification settings",
        response: { 200: settingsSchema, ...errorResponses },
      },
    },
    async (request) => {
      const p = requireRole(request, 'admin');
      return withTenant(deps.database, [p.orgId], (tx) => getNotificationSettings(tx, p.orgId));
    },
  );

  app.put(
    '/v1/notifications/settings',
    {
      schema: {
        tags: ['notifications'],
        summary: "Set the organization's notification settings",
        description:
          'The Slack incoming-webhook URL is stored encrypted and never returned; omit it to keep the stored one, send `null` to remove it. It must resolve to public addresses (private networks only when the operator allows them; cloud metadata addresses never), checked now and at every post. `previews` lets operator notifications quote chat text (off by default: links and ids only).',
        body: settingsBody,
        response: { 200: settingsSchema, ...errorResponses },
      },
    },
    async (request) => {
      const p = requireRole(request, 'admin');
      const { slackWebhookUrl } = request.body;
      // Before the transaction: DNS may take seconds, and a refused URL stores nothing.
      if (slackWebhookUrl) await checkTenantUrl(slackWebhookUrl, 'slackWebhookUrl', deps.net);
      return withTenant(deps.database, [p.orgId], (tx) =>
        saveNotificationSettings(tx, deps.keyring, p.orgId, actorOf(p), request.body),
      );
    },
  );

  app.get(
    '/v1/notifications/outbox',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Read the dev outbox (email kept here while no SMTP server is configured)',
        description:
          'Newest first, in pages (`nextCursor`). Only while CONFIDANT_SMTP_URL is unset; with SMTP configured, email is sent and this answers 404.',
        querystring: z.strictObject({
          cursor: z.string().max(200).optional(),
          limit: z.coerce.number().int().min(1).max(100).default(25),
        }),
        response: {
          200: z.object({ messages: z.array(outboxMessageSchema), nextCursor: z.string().nullable() }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const p = requireRole(request, 'admin');
      if (deps.config.email.smtpUrl)
        throw new AppError(
          'not_found',
          'There is no dev outbox: email is sent through the configured SMTP server',
        );
      return withTenant(deps.database, [p.orgId], (tx) =>
        listOutbox(tx, deps.keyring, p.orgId, consoleBaseUrl(deps.config), request.query),
      );
    },
  );
}
