import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import type { BaseLogger } from 'pino';
import type { Database } from '../../../platform/db/client.js';
import { notifications, organizations } from '../../../platform/db/schema/index.js';
import { withTenant } from '../../../platform/db/tenancy.js';
import type { JobQueue } from '../../../platform/jobs/queue.js';
import { errorForLog } from '../../../platform/logger.js';
import { NOTIFICATIONS_CHANNEL } from '../queue.js';
import { dropExpiredSealedBodies } from '../sealed-body.js';
import { DELIVER_NOTIFICATION, type DeliverPayload } from './deliver-notification.js';

/**
 * From queued rows to delivery jobs. Rows are written inside other transactions, which cannot
 * enqueue a job themselves (the queue runs its own statements), so:
 *
 * - the dispatcher LISTENs for the NOTIFY those transactions send on commit and enqueues a job
 *   for each queued row of that org at once;
 * - `notifications.sweep` (every minute, and once at start) does the same for every org, so a
 *   wake lost to a stopped process is made up within a minute.
 *
 * Enqueuing twice is harmless: the job's singleton key is the row id and the queue is
 * `exclusive` (at most one job per row waiting or running), so a repeat is dropped.
 */
export const SWEEP_NOTIFICATIONS = 'notifications.sweep';
export const SWEEP_NOTIFICATIONS_CRON = '* * * * *';

const PER_PASS = 500;
const ORG_SLICE = 200;

type DispatchDeps = { database: Database; jobs: JobQueue; log?: BaseLogger };

/** Enqueues delivery of the queued rows of `orgIds` (oldest first, at most PER_PASS). */
async function enqueueQueued(deps: DispatchDeps, orgIds: string[]): Promise<number> {
  const rows = await withTenant(deps.database, orgIds, (tx) =>
    tx
      .select({ orgId: notifications.orgId, id: notifications.id })
      .from(notifications)
      .where(and(inArray(notifications.orgId, orgIds), eq(notifications.status, 'queued')))
      .orderBy(asc(notifications.createdAt))
      .limit(PER_PASS),
  );
  let sent = 0;
  for (const row of rows) {
    const payload: DeliverPayload = { orgId: row.orgId, notificationId: row.id };
    if (await deps.jobs.send(DELIVER_NOTIFICATION, payload, { singletonKey: row.id })) sent++;
  }
  return sent;
}

/** Every org's queued rows (the periodic sweep). */
export async function sweepNotifications(deps: DispatchDeps): Promise<number> {
  const orgs = await deps.database.db
    .select({ id: organizations.id })
    .from(organizations)
    .where(isNull(organizations.deletedAt));
  let sent = 0;
  for (let start = 0; start < orgs.length; start += ORG_SLICE) {
    const orgIds = orgs.slice(start, start + ORG_SLICE).map((o) => o.id);
    // One-time links past their expiry leave the dev outbox (sealed-body.ts).
    await withTenant(deps.database, orgIds, (tx) => dropExpiredSealedBodies(tx, orgIds));
    sent += await enqueueQueued(deps, orgIds);
  }
  return sent;
}

/** Listens for committed notifications; returns the function that stops listening. */
export async function startNotificationDispatcher(deps: DispatchDeps): Promise<() => Promise<void>> {
  const pending = new Set<string>();
  let running: Promise<void> | null = null;
  const drain = async () => {
    while (pending.size > 0) {
      const [orgId] = pending;
      pending.delete(orgId!);
      try {
        await enqueueQueued(deps, [orgId!]);
      } catch (error) {
        // The sweep retries within a minute; the rows stay queued meanwhile.
        deps.log?.error({ error: errorForLog(error) }, 'notification dispatch failed');
      }
    }
    running = null;
  };
  const wake = (orgId: string) => {
    if (!/^[0-9a-f-]{36}$/.test(orgId)) return;
    pending.add(orgId);
    running ??= drain();
  };
  const stop = await deps.database.listen(NOTIFICATIONS_CHANNEL, wake, () => {
    void sweepNotifications(deps).catch((error) =>
      deps.log?.error({ error: errorForLog(error) }, 'notification sweep failed'),
    );
  });
  return async () => {
    await stop();
    pending.clear();
    await running;
  };
}
