import { sql } from 'drizzle-orm';
import type { Tx } from '../db/client.js';
import { events } from '../db/schema/index.js';

/** The NOTIFY channel the event bus listens on; the payload is the org id whose events changed. */
export const EVENTS_CHANNEL = 'confidant_events';

export type OutboxEvent = {
  type: string;
  conversationId: string | null;
  /** Ids and the minimum a view needs (see packages/contract for each type's shape). */
  payload: Record<string, unknown>;
};

/**
 * The one org-level event every stream of the org receives, conversation streams included: the
 * org was scheduled for deletion (modules/orgs/deletion/org-stopped-event.ts), streams end.
 */
export const ORG_STOPPED_EVENT = 'org.stopped';

/** A stored event as delivered: `seq` is its SSE id. */
export type DeliveredEvent = OutboxEvent & { orgId: string; seq: number; createdAt: Date };

/**
 * Appends an event in the caller's transaction, so it exists if and only if the change it
 * describes committed, and wakes every process's bus once the transaction commits (NOTIFY is
 * transactional; repeats of the same payload in one transaction are folded into one).
 *
 * The org's event lock (a transaction-level advisory lock, released at commit) makes seq order
 * equal commit order within an org: a reader resuming after seq N can never miss a smaller seq
 * that commits later. Event-writing transactions of one org are short, so they queue briefly.
 */
export async function appendEvent(tx: Tx, orgId: string, event: OutboxEvent): Promise<number> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${orgId}::text, 43))`);
  const [row] = await tx
    .insert(events)
    .values({ orgId, conversationId: event.conversationId, type: event.type, payload: event.payload })
    .returning({ seq: events.seq });
  await tx.execute(sql`select pg_notify(${EVENTS_CHANNEL}, ${orgId}::text)`);
  return row!.seq;
}
