import { z } from 'zod';
import { nonBlank, safeString } from '../../platform/http/schemas.js';
import { webhookEventTypes } from './event-types.js';

const httpUrl = safeString()
  .max(2000, 'must be at most 2000 characters')
  .refine((value) => {
    try {
      const u = new URL(value);
      return (u.protocol === 'https:' || u.protocol === 'http:') && !u.username && !u.password;
    } catch {
      return false;
    }
  }, 'must be an http(s) URL without user info');

const eventList = z
  .array(z.enum(webhookEventTypes))
  .min(1, 'choose at least one event')
  .max(webhookEventTypes.length)
  .transform((list) => [...new Set(list)]);

export const createWebhookBody = z.strictObject({
  url: httpUrl,
  description: safeString().trim().max(200).optional(),
  events: eventList,
  includeContent: z.boolean().optional(),
  enabled: z.boolean().optional(),
});

export const updateWebhookBody = z
  .strictObject({
    url: httpUrl.optional(),
    description: safeString().trim().max(200).optional(),
    events: eventList.optional(),
    includeContent: z.boolean().optional(),
    enabled: z.boolean().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'send at least one field');

export const webhookView = z.object({
  id: z.string(),
  url: z.string(),
  description: z.string(),
  events: z.array(z.string()),
  includeContent: z.boolean(),
  enabled: z.boolean(),
  disabledReason: z.enum(['manual', 'gone', 'failing']).nullable(),
  /** Until when the previous secret still signs deliveries (after a rotation). */
  previousSecretExpiresAt: z.string().nullable(),
  failingSince: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const webhookWithSecret = webhookView.extend({
  /** Shown once: only its encryption is stored. */
  secret: z.string(),
});

export const deliveryView = z.object({
  id: z.string(),
  /** The `webhook-id` header of every attempt. */
  webhookId: z.string(),
  eventType: z.string(),
  status: z.enum(['pending', 'succeeded', 'failed']),
  attempts: z.number(),
  nextAttemptAt: z.string().nullable(),
  lastAttemptAt: z.string().nullable(),
  lastStatusCode: z.number().nullable(),
  lastDurationMs: z.number().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
});

export const deliveryParams = z.strictObject({
  id: z.uuid({ message: 'must be a UUID' }),
  deliveryId: z.uuid({ message: 'must be a UUID' }),
});

export const deliveriesQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  status: z.enum(['pending', 'succeeded', 'failed']).optional(),
});

export const createInboundHookBody = z.strictObject({ name: nonBlank(100), enabled: z.boolean().optional() });
export const updateInboundHookBody = z
  .strictObject({ name: nonBlank(100).optional(), enabled: z.boolean().optional() })
  .refine((b) => Object.keys(b).length > 0, 'send at least one field');

export const inboundHookView = z.object({
  id: z.string(),
  name: z.string(),
  enabled: z.boolean(),
  /** The path integrations post to (`POST {path}`), under this server's address. */
  path: z.string(),
  /** The full URL when PUBLIC_URL is configured, else null (the console adds its own origin). */
  url: z.string().nullable(),
  lastReceivedAt: z.string().nullable(),
  createdAt: z.string(),
});

export const inboundHookWithSecret = inboundHookView.extend({ secret: z.string() });

/** What an inbound hook can do. */
export const inboundAction = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('conversation.message'),
    conversationId: z.uuid({ message: 'must be a UUID' }),
    text: nonBlank(10_000),
    authorName: nonBlank(100).optional(),
  }),
  z.strictObject({
    type: z.literal('conversation.close'),
    conversationId: z.uuid({ message: 'must be a UUID' }),
  }),
]);
export type InboundAction = z.infer<typeof inboundAction>;
