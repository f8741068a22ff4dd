import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, id, orgId, tstz, updatedAt } from './columns.js';
import { organizations } from './organizations.js';

/** The events an outgoing webhook endpoint may subscribe to (modules/webhooks/event-types.ts). */
export const webhookEventTypes = [
  'conversation.waiting',
  'conversation.closed',
  'message.created',
  'privacy.request.completed',
  'incident.created',
] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];

/** Why an endpoint stopped receiving: by an admin, a 410 answer, or five days of failures. */
export const webhookDisabledReasons = ['manual', 'gone', 'failing'] as const;
export type WebhookDisabledReason = (typeof webhookDisabledReasons)[number];

/**
 * An org's outgoing webhook endpoints (modules/webhooks/). The signing secret (`whsec_…`) is
 * stored only envelope-encrypted (bound to org/table/column/row) and shown once. During a rotation
 * the previous secret stays valid until `previous_secret_expires_at`: deliveries carry both
 * signatures. `event_cursor` is the last outbox event seq (platform/events) turned into deliveries.
 */
export const webhookEndpoints = pgTable(
  'webhook_endpoints',
  {
    orgId: orgId(),
    id: id(),
    url: text('url').notNull(),
    description: text('description').notNull().default(''),
    events: text('events').array().notNull().default(sql`'{}'::text[]`),
    /** Message text in `message.created` payloads (otherwise ids and types only). */
    includeContent: boolean('include_content').notNull().default(false),
    enabled: boolean('enabled').notNull().default(true),
    disabledReason: text('disabled_reason', { enum: webhookDisabledReasons }),
    secretCiphertext: text('secret_ciphertext').notNull(),
    previousSecretCiphertext: text('previous_secret_ciphertext'),
    previousSecretExpiresAt: tstz('previous_secret_expires_at'),
    eventCursor: bigint('event_cursor', { mode: 'number' }).notNull().default(0),
    /** The first failed attempt since the last success; five days of it disables the endpoint. */
    failingSince: tstz('failing_since'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId], foreignColumns: [organizations.id] }).onDelete('cascade'),
    check(
      'webhook_endpoints_disabled_reason_check',
      sql`${t.disabledReason} is null or ${t.disabledReason} in ('manual','gone','failing')`,
    ),
  ],
);

export const webhookDeliveryStatuses = ['pending', 'succeeded', 'failed'] as const;
export type WebhookDeliveryStatus = (typeof webhookDeliveryStatuses)[number];

/**
 * One event to one endpoint, with its attempts summarised: the `webhook-id` is `msg_<id>` and is
 * the same on every attempt. The payload is thin (ids and types); message text, when the endpoint
 * asks for it, is read at send time and never copied here. The log keeps status code, duration,
 * attempt, next attempt and an error class: never a response body or a secret.
 */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    orgId: orgId(),
    id: id(),
    endpointId: uuid('endpoint_id').notNull(),
    eventType: text('event_type').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    status: text('status', { enum: webhookDeliveryStatuses }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: tstz('next_attempt_at'),
    lastAttemptAt: tstz('last_attempt_at'),
    lastStatusCode: integer('last_status_code'),
    lastDurationMs: integer('last_duration_ms'),
    lastError: text('last_error'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({
      columns: [t.orgId, t.endpointId],
      foreignColumns: [webhookEndpoints.orgId, webhookEndpoints.id],
    }).onDelete('cascade'),
    index('webhook_deliveries_endpoint_idx').on(t.orgId, t.endpointId, t.createdAt),
    index('webhook_deliveries_due_idx').on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    check('webhook_deliveries_status_check', sql`${t.status} in ('pending','succeeded','failed')`),
  ],
);

/**
 * Inbound hooks an org created: `POST /v1/hooks/{publicId}` verifies a Standard Webhooks
 * signature with this hook's secret (envelope-encrypted, shown once).
 */
export const inboundHooks = pgTable(
  'inbound_hooks',
  {
    orgId: orgId(),
    id: id(),
    name: text('name').notNull(),
    enabled: boolean('enabled').notNull().default(true),
    secretCiphertext: text('secret_ciphertext').notNull(),
    lastReceivedAt: tstz('last_received_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId], foreignColumns: [organizations.id] }).onDelete('cascade'),
  ],
);

/** `webhook-id`s an inbound hook accepted, kept past the signature tolerance to refuse replays. */
export const inboundHookMessages = pgTable(
  'inbound_hook_messages',
  {
    orgId: orgId(),
    hookId: uuid('hook_id').notNull(),
    messageId: text('message_id').notNull(),
    expiresAt: tstz('expires_at').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.hookId, t.messageId] }),
    foreignKey({
      columns: [t.orgId, t.hookId],
      foreignColumns: [inboundHooks.orgId, inboundHooks.id],
    }).onDelete('cascade'),
    index('inbound_hook_messages_expiry_idx').on(t.expiresAt),
  ],
);
