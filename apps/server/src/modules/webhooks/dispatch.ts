import { and, arrayContains, asc, eq, gt, max, sql } from 'drizzle-orm';
import type { Database, Tx } from '../../platform/db/client.js';
import { events, webhookEndpoints } from '../../platform/db/schema/index.js';
import { withTenant } from '../../platform/db/tenancy.js';
import type { DeliveredEvent } from '../../platform/events/outbox.js';
import { insertDeliveries } from './deliveries.js';
import { type WebhookEvent, webhookEventOf } from './event-types.js';

/**
 * Where webhook events come from.
 *
 * - Conversation events (`conversation.waiting`, `conversation.closed`, `message.created`) are
 *   read from the events outbox (platform/events), which every conversation change already
 *   writes in its own transaction: each endpoint keeps a cursor (the last outbox seq it has turned
 *   into deliveries), so nothing is missed or sent twice, whichever process dispatches.
 * - Other events (`incident.created`, `privacy.request.completed`) are emitted by their module
 *   with emitWebhookEvent, in the transaction of the change.
 *
 * Either way deliveries are rows written before any attempt; WEBHOOKS_CHANNEL wakes the dispatcher
 * after commit (jobs.ts), and the periodic sweep makes up for a lost wake.
 */
export const WEBHOOKS_CHANNEL = 'confidant_webhooks';
const PAGE = 500;

/** Queues an event for the org's enabled endpoints subscribed to it. In the caller's transaction. */
export async function emitWebhookEvent(tx: Tx, orgId: string, event: WebhookEvent): Promise<number> {
  const endpoints = await tx
    .select({ id: webhookEndpoints.id })
    .from(webhookEndpoints)
    .where(
      and(
        eq(webhookEndpoints.orgId, orgId),
        eq(webhookEndpoints.enabled, true),
        arrayContains(webhookEndpoints.events, [event.type]),
      ),
    );
  const ids = await insertDeliveries(
    tx,
    orgId,
    endpoints.map((e) => e.id),
    event,
  );
  if (ids.length > 0) await tx.execute(sql`select pg_notify(${WEBHOOKS_CHANNEL}, ${orgId}::text)`);
  return ids.length;
}

/** The org's newest outbox seq: a new endpoint starts after it (it receives no history). */
export async function currentEventSeq(tx: Tx, orgId: string): Promise<number> {
  const [row] = await tx
    .select({ seq: max(events.seq) })
    .from(events)
    .where(eq(events.orgId, orgId));
  return row?.seq ?? 0;
}

/**
 * Turns the org's new outbox events into deliveries for its enabled endpoints and advances their
 * cursors, in one transaction that locks the endpoints (concurrent dispatchers queue on the lock
 * and then find nothing new). Returns the new delivery ids.
 */
export async function dispatchOutboxEvents(database: Database, orgId: string): Promise<string[]> {
  const created: string[] = [];
  for (;;) {
    const { ids, more } = await withTenant(database, [orgId], async (tx) => {
      const endpoints = await tx
        .select({
          id: webhookEndpoints.id,
          events: webhookEndpoints.events,
          cursor: webhookEndpoints.eventCursor,
        })
        .from(webhookEndpoints)
        .where(and(eq(webhookEndpoints.orgId, orgId), eq(webhookEndpoints.enabled, true)))
        .orderBy(asc(webhookEndpoints.id))
        .for('update');
      if (endpoints.length === 0) return { ids: [], more: false };
      const from = Math.min(...endpoints.map((e) => e.cursor));
      const page = (await tx
        .select()
        .from(events)
        .where(and(eq(events.orgId, orgId), gt(events.seq, from)))
        .orderBy(asc(events.seq))
        .limit(PAGE)) as DeliveredEvent[];
      if (page.length === 0) return { ids: [], more: false };
      const last = page.at(-1)!.seq;
      const ids: string[] = [];
      for (const stored of page) {
        const event = webhookEventOf(stored);
        if (!event) continue;
        const to = endpoints.filter((e) => e.cursor < stored.seq && e.events.includes(event.type));
        ids.push(
          ...(await insertDeliveries(
            tx,
            orgId,
            to.map((e) => e.id),
            event,
          )),
        );
      }
      for (const e of endpoints)
        if (e.cursor < last)
          await tx
            .update(webhookEndpoints)
            .set({ eventCursor: last })
            .where(and(eq(webhookEndpoints.orgId, orgId), eq(webhookEndpoints.id, e.id)));
      return { ids, more: page.length === PAGE };
    });
    created.push(...ids);
    if (!more) return created;
  }
}
