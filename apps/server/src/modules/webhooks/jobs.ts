import { and, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { BaseLogger } from 'pino';
import type { Database } from '../../platform/db/client.js';
import {
  inboundHookMessages,
  organizations,
  webhookDeliveries,
  webhookEndpoints,
} from '../../platform/db/schema/index.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { EVENTS_CHANNEL } from '../../platform/events/outbox.js';
import { errorForLog } from '../../platform/logger.js';
import { attemptDelivery, type DeliveryDeps, dueDeliveries, queueAttempts } from './deliveries.js';
import { dispatchOutboxEvents, WEBHOOKS_CHANNEL } from './dispatch.js';

/**
 * The webhook worker side:
 * - the dispatcher LISTENs for outbox events and emitted webhook events (both NOTIFY on commit)
 *   and, per org, turns new events into deliveries and queues their first attempt;
 * - `webhooks.sweep` (every minute, and with a test clock in tests) does the same for every org
 *   with an enabled endpoint and makes every due attempt itself, so a lost wake, a lost job or a
 *   process killed mid-attempt (its two-minute lease runs out) is made up; it also prunes delivery
 *   rows older than 30 days and expired inbound `webhook-id`s.
 */
export const SWEEP_WEBHOOKS = 'webhooks.sweep';
export const SWEEP_WEBHOOKS_CRON = '* * * * *';
const ORG_SLICE = 200;
const KEEP_DELIVERIES_MS = 30 * 24 * 3_600_000;

type Deps = DeliveryDeps & { log?: BaseLogger };

/** Dispatches an org's new events and queues the attempts due now. */
async function pump(deps: Deps, orgId: string): Promise<void> {
  await dispatchOutboxEvents(deps.database, orgId);
  await queueAttempts(deps.jobs, await dueDeliveries(deps.database, [orgId], new Date()));
}

/**
 * Most orgs have no endpoint, and every typing or message event wakes the dispatcher: an org known
 * to have none is skipped for a while. Creating or enabling an endpoint notifies WEBHOOKS_CHANNEL,
 * which forgets the org here; and skipping only delays (each endpoint's cursor keeps its place).
 */
const NO_ENDPOINTS_TTL_MS = 30_000;

async function hasEnabledEndpoint(database: Database, orgId: string): Promise<boolean> {
  const rows = await withTenant(database, [orgId], (tx) =>
    tx
      .select({ id: webhookEndpoints.id })
      .from(webhookEndpoints)
      .where(and(eq(webhookEndpoints.orgId, orgId), eq(webhookEndpoints.enabled, true)))
      .limit(1),
  );
  return rows.length > 0;
}

/** Orgs (of a slice) with at least one webhook endpoint. */
async function orgsWithEndpoints(database: Database, orgIds: string[]): Promise<string[]> {
  const rows = await withTenant(database, orgIds, (tx) =>
    tx
      .selectDistinct({ orgId: webhookEndpoints.orgId })
      .from(webhookEndpoints)
      .where(inArray(webhookEndpoints.orgId, orgIds)),
  );
  return rows.map((r) => r.orgId);
}

/** Every org: dispatch, then make each attempt due at `now`. Returns the attempts made. */
export async function sweepWebhooks(deps: Deps, now: Date = new Date()): Promise<number> {
  const orgs = await deps.database.db
    .select({ id: organizations.id })
    .from(organizations)
    .where(isNull(organizations.deletedAt));
  let attempted = 0;
  for (let start = 0; start < orgs.length; start += ORG_SLICE) {
    const slice = orgs.slice(start, start + ORG_SLICE).map((o) => o.id);
    await withTenant(deps.database, slice, async (tx) => {
      await tx
        .delete(webhookDeliveries)
        .where(
          and(
            inArray(webhookDeliveries.orgId, slice),
            sql`${webhookDeliveries.status} <> 'pending'`,
            lt(webhookDeliveries.createdAt, new Date(now.getTime() - KEEP_DELIVERIES_MS)),
          ),
        );
      await tx
        .delete(inboundHookMessages)
        .where(and(inArray(inboundHookMessages.orgId, slice), lt(inboundHookMessages.expiresAt, now)));
    });
    const withEndpoints = await orgsWithEndpoints(deps.database, slice);
    for (const orgId of withEndpoints) await dispatchOutboxEvents(deps.database, orgId);
    for (const d of await dueDeliveries(deps.database, withEndpoints, now))
      if (await attemptDelivery(deps, d.orgId, d.id, now)) attempted++;
  }
  return attempted;
}

/** Listens for committed events; returns the function that stops listening. */
export async function startWebhookDispatcher(deps: Deps): Promise<() => Promise<void>> {
  const pending = new Set<string>();
  const withoutEndpoints = new Map<string, number>();
  let running: Promise<void> | null = null;
  const drain = async () => {
    while (pending.size > 0) {
      const [orgId] = pending;
      pending.delete(orgId!);
      try {
        const skippedAt = withoutEndpoints.get(orgId!);
        if (skippedAt !== undefined && Date.now() - skippedAt < NO_ENDPOINTS_TTL_MS) continue;
        if (!(await hasEnabledEndpoint(deps.database, orgId!))) {
          withoutEndpoints.set(orgId!, Date.now());
          continue;
        }
        withoutEndpoints.delete(orgId!);
        await pump(deps, orgId!);
      } catch (error) {
        deps.log?.error({ error: errorForLog(error) }, 'webhook dispatch failed');
      }
    }
    running = null;
  };
  const wake = (orgId: string) => {
    if (!/^[0-9a-f-]{36}$/.test(orgId)) return;
    pending.add(orgId);
    running ??= drain();
  };
  const stops = [
    await deps.database.listen(EVENTS_CHANNEL, wake, () => {}),
    await deps.database.listen(
      WEBHOOKS_CHANNEL,
      (orgId) => {
        withoutEndpoints.delete(orgId);
        wake(orgId);
      },
      () => withoutEndpoints.clear(),
    ),
  ];
  return async () => {
    for (const stop of stops) await stop();
    pending.clear();
    await running;
  };
}
