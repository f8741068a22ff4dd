import { randomUUID } from 'node:crypto';
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Keyring } from '../../platform/crypto/keyring.js';
import type { Tx } from '../../platform/db/client.js';
import { webhookDeliveries, webhookEndpoints } from '../../platform/db/schema/index.js';
import { AppError, notFound } from '../../platform/errors.js';
import { type Actor, recordAudit } from '../audit/service.js';
import { insertDeliveries, messageIdOf } from './deliveries.js';
import { currentEventSeq, WEBHOOKS_CHANNEL } from './dispatch.js';
import type { WebhookEventType } from './event-types.js';
import { ROTATION_OVERLAP_MS } from './schedule.js';
import { generateWebhookSecret, openSecret, sealSecret } from './secrets.js';

/**
 * Outgoing endpoints: create (the secret is returned once), update, delete, rotate. Every change
 * is audited with ids and field names only, never a URL or a secret.
 */
type EndpointRow = typeof webhookEndpoints.$inferSelect;
type DeliveryRow = typeof webhookDeliveries.$inferSelect;

export const endpointView = (r: EndpointRow) => ({
  id: r.id,
  url: r.url,
  description: r.description,
  events: r.events,
  includeContent: r.includeContent,
  enabled: r.enabled,
  disabledReason: r.disabledReason,
  previousSecretExpiresAt: r.previousSecretExpiresAt?.toISOString() ?? null,
  failingSince: r.failingSince?.toISOString() ?? null,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

export const deliveryViewOf = (r: DeliveryRow) => ({
  id: r.id,
  webhookId: messageIdOf(r.id),
  eventType: r.eventType,
  status: r.status,
  attempts: r.attempts,
  nextAttemptAt: r.nextAttemptAt?.toISOString() ?? null,
  lastAttemptAt: r.lastAttemptAt?.toISOString() ?? null,
  lastStatusCode: r.lastStatusCode,
  lastDurationMs: r.lastDurationMs,
  lastError: r.lastError,
  createdAt: r.createdAt.toISOString(),
});

/** Tells every dispatcher (after commit) that the org's endpoints changed. */
const wakeDispatcher = (tx: Tx, orgId: string) =>
  tx.execute(sql`select pg_notify(${WEBHOOKS_CHANNEL}, ${orgId}::text)`);

const byId = (orgId: string, id: string) =>
  and(eq(webhookEndpoints.orgId, orgId), eq(webhookEndpoints.id, id));

export async function listEndpoints(tx: Tx, orgId: string) {
  const rows = await tx
    .select()
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.orgId, orgId))
    .orderBy(desc(webhookEndpoints.createdAt), desc(webhookEndpoints.id));
  return rows.map(endpointView);
}

export async function loadEndpoint(tx: Tx, orgId: string, id: string, lock = false): Promise<EndpointRow> {
  const query = tx.select().from(webhookEndpoints).where(byId(orgId, id));
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw notFound('Webhook');
  return row;
}

export async function createEndpoint(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  actor: Actor,
  input: {
    url: string;
    description?: string | undefined;
    events: WebhookEventType[];
    includeContent?: boolean | undefined;
    enabled?: boolean | undefined;
  },
) {
  const id = randomUUID();
  const secret = generateWebhookSecret();
  const enabled = input.enabled ?? true;
  const [row] = await tx
    .insert(webhookEndpoints)
    .values({
      orgId,
      id,
      url: input.url,
      description: input.description ?? '',
      events: input.events,
      includeContent: input.includeContent ?? false,
      enabled,
      disabledReason: enabled ? null : 'manual',
      secretCiphertext: sealSecret(keyring, secret, {
        orgId,
        table: 'webhook_endpoints',
        column: 'secret_ciphertext',
        rowId: id,
      }),
      // A new endpoint receives events from now on, not the outbox's history.
      eventCursor: await currentEventSeq(tx, orgId),
    })
    .returning();
  await wakeDispatcher(tx, orgId);
  await recordAudit(tx, keyring, orgId, actor, {
    action: 'webhook.created',
    targetType: 'webhook',
    targetId: id,
    metadata: { events: input.events.join(','), includeContent: input.includeContent ?? false },
  });
  return { ...endpointView(row!), secret };
}

export async function updateEndpoint(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  actor: Actor,
  id: string,
  input: {
    url?: string | undefined;
    description?: string | undefined;
    events?: WebhookEventType[] | undefined;
    includeContent?: boolean | undefined;
    enabled?: boolean | undefined;
  },
) {
  const current = await loadEndpoint(tx, orgId, id, true);
  const changes: Partial<typeof webhookEndpoints.$inferInsert> = {};
  if (input.url !== undefined) changes.url = input.url;
  if (input.description !== undefined) changes.description = input.description;
  if (input.events !== undefined) changes.events = input.events;
  if (input.includeContent !== undefined) changes.includeContent = input.includeContent;
  if (input.enabled !== undefined && input.enabled !== current.enabled) {
    changes.enabled = input.enabled;
    changes.disabledReason = input.enabled ? null : 'manual';
    // Enabled again: the failure streak starts over, and events from now on (not the backlog).
    if (input.enabled) {
      changes.failingSince = null;
      changes.eventCursor = await currentEventSeq(tx, orgId);
    }
  }
  const [row] = await tx
    .update(webhookEndpoints)
    .set({ ...changes, updatedAt: sql`now()` })
    .where(byId(orgId, id))
    .returning();
  await wakeDispatcher(tx, orgId);
  await recordAudit(tx, keyring, orgId, actor, {
    action: 'webhook.updated',
    targetType: 'webhook',
    targetId: id,
    metadata: { fields: Object.keys(input).sort().join(',') },
  });
  return endpointView(row!);
}

export async function deleteEndpoint(tx: Tx, keyring: Keyring, orgId: string, actor: Actor, id: string) {
  await loadEndpoint(tx, orgId, id, true);
  await tx.delete(webhookEndpoints).where(byId(orgId, id));
  await recordAudit(tx, keyring, orgId, actor, {
    action: 'webhook.deleted',
    targetType: 'webhook',
    targetId: id,
  });
}

/**
 * A new secret, returned once; the current one becomes the previous one and keeps signing (a
 * second `v1,` signature) for 24 hours, so receivers can switch without losing a delivery.
 */
export async function rotateSecret(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  actor: Actor,
  id: string,
  now: Date = new Date(),
) {
  const current = await loadEndpoint(tx, orgId, id, true);
  const secret = generateWebhookSecret();
  const where = { orgId, table: 'webhook_endpoints' as const, rowId: id };
  const previous = openSecret(keyring, current.secretCiphertext, { ...where, column: 'secret_ciphertext' });
  const previousSecretExpiresAt = new Date(now.getTime() + ROTATION_OVERLAP_MS);
  await tx
    .update(webhookEndpoints)
    .set({
      secretCiphertext: sealSecret(keyring, secret, { ...where, column: 'secret_ciphertext' }),
      previousSecretCiphertext: sealSecret(keyring, previous, {
        ...where,
        column: 'previous_secret_ciphertext',
      }),
      previousSecretExpiresAt,
      updatedAt: sql`now()`,
    })
    .where(byId(orgId, id));
  await recordAudit(tx, keyring, orgId, actor, {
    action: 'webhook.secret_rotated',
    targetType: 'webhook',
    targetId: id,
  });
  return { secret, previousSecretExpiresAt: previousSecretExpiresAt.toISOString() };
}

export async function listDeliveries(
  tx: Tx,
  orgId: string,
  endpointId: string,
  query: { limit: number; status?: 'pending' | 'succeeded' | 'failed' | undefined },
) {
  await loadEndpoint(tx, orgId, endpointId);
  const rows = await tx
    .select()
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.orgId, orgId),
        eq(webhookDeliveries.endpointId, endpointId),
        query.status ? eq(webhookDeliveries.status, query.status) : undefined,
      ),
    )
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(query.limit);
  return rows.map(deliveryViewOf);
}

/** A manual retry: due now, whatever its state; refused while the endpoint is disabled. */
export async function retryDelivery(tx: Tx, orgId: string, endpointId: string, deliveryId: string) {
  const endpoint = await loadEndpoint(tx, orgId, endpointId);
  const [row] = await tx
    .select()
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.orgId, orgId),
        eq(webhookDeliveries.endpointId, endpointId),
        eq(webhookDeliveries.id, deliveryId),
      ),
    )
    .for('update');
  if (!row) throw notFound('Delivery');
  if (!endpoint.enabled) throw new AppError('conflict', 'The webhook is disabled: enable it before retrying');
  const [updated] = await tx
    .update(webhookDeliveries)
    .set({ status: 'pending', nextAttemptAt: sql`now()` })
    .where(and(eq(webhookDeliveries.orgId, orgId), eq(webhookDeliveries.id, deliveryId)))
    .returning();
  return updated!;
}

/** A `webhook.test` event to one enabled endpoint. */
export async function createTestDelivery(tx: Tx, orgId: string, endpointId: string) {
  const endpoint = await loadEndpoint(tx, orgId, endpointId);
  if (!endpoint.enabled)
    throw new AppError('conflict', 'The webhook is disabled: enable it before sending a test');
  const [id] = await insertDeliveries(tx, orgId, [endpointId], {
    type: 'webhook.test' as WebhookEventType,
    data: { webhookEndpointId: endpointId },
  });
  const [row] = await tx
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.orgId, orgId), eq(webhookDeliveries.id, id!)));
  return row!;
}
