import { and, eq, inArray, lte, sql } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import type { Keyring } from '../../platform/crypto/keyring.js';
import type { Database, Tx } from '../../platform/db/client.js';
import { messages, webhookDeliveries, webhookEndpoints } from '../../platform/db/schema/index.js';
import { withTenant } from '../../platform/db/tenancy.js';
import type { JobQueue } from '../../platform/jobs/queue.js';
import { FetchError, FetchRefusedError, type OutboundPolicy } from '../../platform/net/outbound-policy.js';
import { safeFetch } from '../../platform/net/safe-fetch.js';
import { recordAudit } from '../audit/service.js';
import { notifyOrgPeople } from '../incidents/notify-admins.js';
import type { WebhookEvent } from './event-types.js';
import { DISABLE_AFTER_FAILING_MS, nextAttemptAfter } from './schedule.js';
import { openSecret } from './secrets.js';
import { webhookDisabledNotice } from './webhook-notices.js';

/**
 * Delivering outgoing webhooks. A delivery row is the durable state (it survives a restart); each
 * attempt runs as a `webhooks.deliver` job, and a failed attempt queues the next one with
 * `startAfter` on the retry schedule (schedule.ts). The periodic sweep (jobs.ts) makes up for a
 * lost job or a process killed mid-attempt.
 *
 * Invariants:
 * - one attempt at a time per delivery: an attempt claims the row (due → leased for two minutes,
 *   attempts + 1) in its own transaction before calling out, so a duplicate job, the sweep and
 *   another process find it not due and do nothing;
 * - every request goes through the outbound address guard (platform/net), at every attempt;
 * - the log keeps status code, duration, attempt, next attempt and an error class, never a
 *   response body or a secret;
 * - a 410 disables the endpoint at once; five days of continuous failure disables it too; either
 *   way the org's owners and admins are told and the change is audited (ids only).
 */
export const DELIVER_WEBHOOK = 'webhooks.deliver';
export const deliverQueueOptions = { policy: 'exclusive', retryLimit: 0, expireInSeconds: 120 } as const;
export type DeliverJobData = { orgId: string; deliveryId: string };

const LEASE_MS = 2 * 60_000;
const REQUEST_LIMITS = { timeoutMs: 15_000, maxBytes: 16 * 1024 };

export type DeliveryDeps = {
  database: Database;
  keyring: Keyring;
  net: OutboundPolicy;
  jobs: JobQueue;
};

/** `webhook-id` of a delivery: the same on every attempt, so receivers can de-duplicate. */
export const messageIdOf = (deliveryId: string) => `msg_${deliveryId.replaceAll('-', '')}`;

/** Inserts one pending delivery per endpoint for an event, due now. In the caller's transaction. */
export async function insertDeliveries(
  tx: Tx,
  orgId: string,
  endpointIds: readonly string[],
  event: WebhookEvent,
  at: Date | null = null,
): Promise<string[]> {
  if (endpointIds.length === 0) return [];
  const rows = await tx
    .insert(webhookDeliveries)
    .values(
      endpointIds.map((endpointId) => ({
        orgId,
        endpointId,
        eventType: event.type,
        payload: event.data,
        nextAttemptAt: at ?? sql`now()`,
      })),
    )
    .returning({ id: webhookDeliveries.id });
  return rows.map((r) => r.id);
}

/**
 * Queues an attempt job per delivery (at `startAfter`, or now). The singleton key is the delivery
 * and the number of attempts already made, so the dispatcher, the sweep and a failed attempt
 * queue each attempt once (the queue is `exclusive`).
 */
export async function queueAttempts(
  jobs: JobQueue,
  due: readonly { orgId: string; id: string; attempts: number }[],
  startAfter?: Date,
): Promise<void> {
  for (const d of due)
    await jobs.send(DELIVER_WEBHOOK, { orgId: d.orgId, deliveryId: d.id } satisfies DeliverJobData, {
      singletonKey: `${d.id}:${d.attempts}`,
      ...(startAfter ? { startAfter } : {}),
    });
}

type Claimed = {
  url: string;
  endpointId: string;
  attempt: number;
  secrets: string[];
  body: string;
  messageId: string;
};

/** Makes one attempt of a delivery if it is due at `now`; returns whether one was made. */
export async function attemptDelivery(
  deps: DeliveryDeps,
  orgId: string,
  deliveryId: string,
  now: Date = new Date(),
): Promise<boolean> {
  const claimed = await withTenant(deps.database, [orgId], (tx) =>
    claim(tx, deps.keyring, orgId, deliveryId, now),
  );
  if (!claimed) return false;
  const result = await send(deps.net, claimed);
  const next = await withTenant(deps.database, [orgId], (tx) =>
    record(tx, deps.keyring, orgId, deliveryId, claimed, result, now),
  );
  if (next) await queueAttempts(deps.jobs, [{ orgId, id: deliveryId, attempts: claimed.attempt }], next);
  return true;
}

async function claim(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  deliveryId: string,
  now: Date,
): Promise<Claimed | null> {
  const [row] = await tx
    .select({ delivery: webhookDeliveries, endpoint: webhookEndpoints })
    .from(webhookDeliveries)
    .innerJoin(
      webhookEndpoints,
      and(
        eq(webhookEndpoints.orgId, webhookDeliveries.orgId),
        eq(webhookEndpoints.id, webhookDeliveries.endpointId),
      ),
    )
    .where(and(eq(webhookDeliveries.orgId, orgId), eq(webhookDeliveries.id, deliveryId)))
    .for('update', { of: webhookDeliveries });
  if (!row) return null;
  const { delivery, endpoint } = row;
  if (delivery.status !== 'pending' || !delivery.nextAttemptAt || delivery.nextAttemptAt > now) return null;
  if (!endpoint.enabled) {
    await tx
      .update(webhookDeliveries)
      .set({ status: 'failed', nextAttemptAt: null, lastError: 'endpoint_disabled' })
      .where(and(eq(webhookDeliveries.orgId, orgId), eq(webhookDeliveries.id, deliveryId)));
    return null;
  }
  const attempt = delivery.attempts + 1;
  await tx
    .update(webhookDeliveries)
    .set({ attempts: attempt, nextAttemptAt: new Date(now.getTime() + LEASE_MS) })
    .where(and(eq(webhookDeliveries.orgId, orgId), eq(webhookDeliveries.id, deliveryId)));
  const where = { orgId, table: 'webhook_endpoints' as const, rowId: endpoint.id };
  const secrets = [openSecret(keyring, endpoint.secretCiphertext, { ...where, column: 'secret_ciphertext' })];
  if (
    endpoint.previousSecretCiphertext &&
    endpoint.previousSecretExpiresAt &&
    endpoint.previousSecretExpiresAt > now
  )
    secrets.push(
      openSecret(keyring, endpoint.previousSecretCiphertext, {
        ...where,
        column: 'previous_secret_ciphertext',
      }),
    );
  const data = { ...delivery.payload };
  if (endpoint.includeContent && delivery.eventType === 'message.created')
    data.text = await messageText(tx, orgId, String(data.messageId ?? ''));
  const body = JSON.stringify({
    type: delivery.eventType,
    timestamp: delivery.createdAt.toISOString(),
    data,
  });
  return {
    url: endpoint.url,
    endpointId: endpoint.id,
    attempt,
    secrets,
    body,
    messageId: messageIdOf(delivery.id),
  };
}

/** The message's text when the endpoint opted in; null when gone (purged) or never stored (ephemeral). */
async function messageText(tx: Tx, orgId: string, messageId: string): Promise<string | null> {
  if (!/^[0-9a-f-]{36}$/.test(messageId)) return null;
  const [m] = await tx
    .select({ content: messages.content })
    .from(messages)
    .where(and(eq(messages.orgId, orgId), eq(messages.id, messageId)));
  return m?.content ? m.content : null;
}

type SendResult = { statusCode: number | null; durationMs: number; error: string | null };

/**
 * Signs and posts. The signature's timestamp is the real sending time (receivers check it against
 * their clock); during a rotation the header carries one `v1,` signature per valid secret.
 */
async function send(policy: OutboundPolicy, c: Claimed): Promise<SendResult> {
  const sentAt = new Date();
  const signature = c.secrets.map((s) => new Webhook(s).sign(c.messageId, sentAt, c.body)).join(' ');
  const started = performance.now();
  const duration = () => Math.round(performance.now() - started);
  try {
    const response = await safeFetch(c.url, {
      ...policy,
      ...REQUEST_LIMITS,
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Confidant-Webhooks/1',
        'webhook-id': c.messageId,
        'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
        'webhook-signature': signature,
      },
      body: c.body,
      // A redirect is not followed: the signed request goes where the admin said, or fails.
      followRedirect: () => false,
    });
    // The body is never read or kept.
    response.discard();
    const ok = response.status >= 200 && response.status < 300;
    return {
      statusCode: response.status,
      durationMs: duration(),
      error: ok ? null : response.status === 410 ? 'gone' : `http_${Math.floor(response.status / 100)}xx`,
    };
  } catch (error) {
    return { statusCode: null, durationMs: duration(), error: errorClass(error) };
  }
}

function errorClass(error: unknown): string {
  if (error instanceof FetchRefusedError) return 'address_refused';
  const name = (error as { name?: string })?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return 'timeout';
  if (error instanceof FetchError) {
    if (/timed? ?out|deadline/i.test(error.message)) return 'timeout';
    return /too large|exceed/i.test(error.message) ? 'too_large' : 'network';
  }
  return 'network';
}

/** Writes the attempt's outcome; returns when to try again, or null. */
async function record(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  deliveryId: string,
  c: Claimed,
  result: SendResult,
  now: Date,
): Promise<Date | null> {
  const base = {
    lastAttemptAt: now,
    lastStatusCode: result.statusCode,
    lastDurationMs: result.durationMs,
    lastError: result.error,
  };
  const whereDelivery = and(eq(webhookDeliveries.orgId, orgId), eq(webhookDeliveries.id, deliveryId));
  const whereEndpoint = and(eq(webhookEndpoints.orgId, orgId), eq(webhookEndpoints.id, c.endpointId));
  if (result.error === null) {
    await tx
      .update(webhookDeliveries)
      .set({ ...base, status: 'succeeded', nextAttemptAt: null })
      .where(whereDelivery);
    await tx.update(webhookEndpoints).set({ failingSince: null }).where(whereEndpoint);
    return null;
  }
  const [endpoint] = await tx.select().from(webhookEndpoints).where(whereEndpoint).for('update');
  const failingSince = endpoint?.failingSince ?? now;
  const gone = result.error === 'gone';
  const failingTooLong = now.getTime() - failingSince.getTime() >= DISABLE_AFTER_FAILING_MS;
  const next = gone || failingTooLong ? null : nextAttemptAfter(c.attempt, now);
  await tx
    .update(webhookDeliveries)
    .set({ ...base, status: next ? 'pending' : 'failed', nextAttemptAt: next })
    .where(whereDelivery);
  await tx.update(webhookEndpoints).set({ failingSince }).where(whereEndpoint);
  if ((gone || failingTooLong) && endpoint?.enabled)
    await disableEndpoint(tx, keyring, orgId, c.endpointId, c.url, gone ? 'gone' : 'failing');
  return next;
}

/** Disables an endpoint the receiver gave up on, fails its pending deliveries, tells the admins. */
async function disableEndpoint(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  endpointId: string,
  url: string,
  reason: 'gone' | 'failing',
) {
  await tx
    .update(webhookEndpoints)
    .set({ enabled: false, disabledReason: reason, updatedAt: sql`now()` })
    .where(and(eq(webhookEndpoints.orgId, orgId), eq(webhookEndpoints.id, endpointId)));
  await tx
    .update(webhookDeliveries)
    .set({ status: 'failed', nextAttemptAt: null, lastError: 'endpoint_disabled' })
    .where(
      and(
        eq(webhookDeliveries.orgId, orgId),
        eq(webhookDeliveries.endpointId, endpointId),
        eq(webhookDeliveries.status, 'pending'),
      ),
    );
  const notified = await notifyOrgPeople(
    tx,
    orgId,
    ['owner', 'admin'],
    webhookDisabledNotice({ url, reason }),
  );
  await recordAudit(
    tx,
    keyring,
    orgId,
    { type: 'system', id: null },
    {
      action: 'webhook.disabled',
      targetType: 'webhook',
      targetId: endpointId,
      metadata: { reason, notified },
    },
  );
}

/** Deliveries of the given orgs due at `now` (the sweep and tests attempt them). */
export async function dueDeliveries(
  database: Database,
  orgIds: readonly string[],
  now: Date,
): Promise<{ orgId: string; id: string; attempts: number }[]> {
  if (orgIds.length === 0) return [];
  return withTenant(database, orgIds, (tx) =>
    tx
      .select({
        orgId: webhookDeliveries.orgId,
        id: webhookDeliveries.id,
        attempts: webhookDeliveries.attempts,
      })
      .from(webhookDeliveries)
      .where(
        and(
          inArray(webhookDeliveries.orgId, [...orgIds]),
          eq(webhookDeliveries.status, 'pending'),
          lte(webhookDeliveries.nextAttemptAt, now),
        ),
      )
      .orderBy(webhookDeliveries.nextAttemptAt)
      .limit(500),
  );
}
