import { and, inArray, lt, sql } from 'drizzle-orm';
import type { Database } from '../../../platform/db/client.js';
import { events, organizations } from '../../../platform/db/schema/index.js';
import { withTenant } from '../../../platform/db/tenancy.js';

/**
 * `events.prune`: the events outbox is a delivery buffer, not a record — the messages and
 * statuses it announces live in their own tables. Events older than EVENT_RETENTION_HOURS are
 * deleted hourly, so message text copied into event payloads does not outlive its purpose (and a
 * client reconnecting after that long reloads the conversation instead of resuming).
 */
export const PRUNE_EVENTS = 'events.prune';
export const PRUNE_EVENTS_CRON = '17 * * * *';
export const EVENT_RETENTION_HOURS = 24;
const ORG_SLICE = 200;

export async function pruneEvents(database: Database, now = new Date()): Promise<number> {
  const before = new Date(now.getTime() - EVENT_RETENTION_HOURS * 3600_000);
  // The registry has no RLS; every org is pruned under its own tenant scope, in slices.
  const orgs = await database.db.select({ id: organizations.id }).from(organizations);
  let deleted = 0;
  for (let start = 0; start < orgs.length; start += ORG_SLICE) {
    const orgIds = orgs.slice(start, start + ORG_SLICE).map((o) => o.id);
    const rows = await withTenant(database, orgIds, (tx) =>
      tx
        .delete(events)
        .where(and(inArray(events.orgId, orgIds), lt(events.createdAt, before)))
        .returning({ seq: sql<number>`1` }),
    );
    deleted += rows.length;
  }
  return deleted;
}
