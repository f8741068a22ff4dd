import { and, eq, inArray, isNotNull, isNull, lt, lte, or } from 'drizzle-orm';
import type { Database } from '../../../../platform/db/client.js';
import { refreshPlannerStatistics } from '../../../../platform/db/planner-statistics.js';
import { knowledgeSources, organizations } from '../../../../platform/db/schema/index.js';
import { withTenant } from '../../../../platform/db/tenancy.js';
import type { JobQueue } from '../../../../platform/jobs/queue.js';
import { enqueueSourceIngestion, INGEST_SOURCE } from './ingest-source.js';

/**
 * `knowledge.refresh`: runs every minute (a pg-boss schedule, so one instance runs it per tick).
 *
 * - Scheduled refresh: a source whose `next_refresh_at` has come is queued for re-indexing (its
 *   next refresh is set again when that run ends, from `refreshIntervalHours`).
 * - Repair: a source `queued` or `processing` that has not moved for a while and has no job
 *   waiting or running (the process died between recording the source and enqueuing its job, or
 *   the job gave up without saying so, e.g. it expired) gets a new job. A running job records
 *   progress at least every few seconds, so it is never mistaken for a stuck one.
 *
 * It reads every organization's sources, so it runs with all org ids in scope, in slices.
 */
export const REFRESH_SOURCES = 'knowledge.refresh';
export const REFRESH_CRON = '* * * * *';

/** How long a source may sit `queued` or `processing` unchanged before the sweep checks its job. */
const STUCK_AFTER_MS = 10 * 60_000;
const ORG_SLICE = 200;
const PER_SWEEP = 500;

export type SweepResult = { refreshed: number; repaired: number };

export async function sweepSources(
  deps: { database: Database; jobs: JobQueue },
  now = new Date(),
): Promise<SweepResult> {
  const orgs = await deps.database.db
    .select({ id: organizations.id })
    .from(organizations)
    .where(isNull(organizations.deletedAt));
  const result: SweepResult = { refreshed: 0, repaired: 0 };
  for (let start = 0; start < orgs.length; start += ORG_SLICE) {
    const orgIds = orgs.slice(start, start + ORG_SLICE).map((o) => o.id);
    const due = await withTenant(deps.database, orgIds, async (tx) =>
      tx
        .update(knowledgeSources)
        // Claimed by clearing next_refresh_at, so the next tick does not queue it again.
        .set({ status: 'queued', nextRefreshAt: null, updatedAt: now })
        .where(
          and(
            inArray(knowledgeSources.orgId, orgIds),
            isNotNull(knowledgeSources.nextRefreshAt),
            lte(knowledgeSources.nextRefreshAt, now),
            or(eq(knowledgeSources.status, 'ready'), eq(knowledgeSources.status, 'failed')),
          ),
        )
        .returning({ orgId: knowledgeSources.orgId, id: knowledgeSources.id }),
    );
    for (const source of due) {
      await enqueueSourceIngestion(deps, source.orgId, source.id);
      result.refreshed++;
    }
    const stuck = await withTenant(deps.database, orgIds, (tx) =>
      tx
        .select({ orgId: knowledgeSources.orgId, id: knowledgeSources.id })
        .from(knowledgeSources)
        .where(
          and(
            inArray(knowledgeSources.orgId, orgIds),
            or(eq(knowledgeSources.status, 'queued'), eq(knowledgeSources.status, 'processing')),
            lt(knowledgeSources.updatedAt, new Date(now.getTime() - STUCK_AFTER_MS)),
          ),
        )
        .limit(PER_SWEEP),
    );
    for (const source of stuck) {
      const jobs = await deps.jobs.findJobs(INGEST_SOURCE, { orgId: source.orgId, sourceId: source.id });
      if (jobs.some((j) => j.state === 'created' || j.state === 'retry' || j.state === 'active')) continue;
      await enqueueSourceIngestion(deps, source.orgId, source.id);
      result.repaired++;
    }
  }
  // PGlite has no autovacuum: without fresh statistics its planner skips the full-text index
  // (~445 ms instead of ~13 ms per search at 50,000 chunks). Cheap when nothing changed.
  await refreshPlannerStatistics(deps.database);
  return result;
}
