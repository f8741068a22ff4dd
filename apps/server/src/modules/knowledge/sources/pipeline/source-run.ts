import { and, eq, ne, sql } from 'drizzle-orm';
import type { Database, Tx } from '../../../../platform/db/client.js';
import { queryRows } from '../../../../platform/db/query-rows.js';
import {
  type KnowledgeSourceRow,
  knowledgeChunks,
  knowledgePages,
  knowledgeSources,
  type SearchLanguage,
} from '../../../../platform/db/schema/index.js';
import { withTenant } from '../../../../platform/db/tenancy.js';
import { SourceGoneError } from './errors.js';

/**
 * The versioned life of one indexing run.
 *
 * Invariants:
 * - Search reads a source's chunks at `knowledge_sources.version` only. A run writes its chunks
 *   at version + 1 and they become current in ONE transaction (swapSourceVersion) that also
 *   deletes every other version, so search never sees a mix of two versions.
 * - Chunks at any other version than the current one are leftovers of an interrupted run (a
 *   crash, a kill, a failed attempt): every run starts by deleting them (beginSourceRun), so a
 *   retry rewrites its version from scratch and every chunk exists exactly once.
 */

export type SourceRun = {
  orgId: string;
  sourceId: string;
  /** The version being written; becomes current at the swap. */
  version: number;
  source: Omit<KnowledgeSourceRow, 'createdAt' | 'updatedAt'>;
};

/** What a crawled page looked like in this run, written with the swap (see swapSourceVersion). */
export type PageRecord = {
  url: string;
  status: 'indexed' | 'not_modified' | 'skipped' | 'failed';
  title: string | null;
  etag: string | null;
  lastModified: string | null;
  contentHash: string | null;
  error: string | null;
};

export type RunResult = {
  chunks: number;
  pagesDone: number;
  pagesTotal: number;
  language: SearchLanguage;
  /** Crawled sources only: the pages of this run, replacing the previous run's. */
  pages?: PageRecord[];
};

const whereSource = (orgId: string, sourceId: string) =>
  and(eq(knowledgeSources.orgId, orgId), eq(knowledgeSources.id, sourceId));

/** Chunks of a source that are not at `version`: leftovers, or (at the swap) the old version. */
const deleteOtherVersions = (tx: Tx, orgId: string, sourceId: string, version: number) =>
  tx
    .delete(knowledgeChunks)
    .where(
      and(
        eq(knowledgeChunks.orgId, orgId),
        eq(knowledgeChunks.sourceId, sourceId),
        ne(knowledgeChunks.version, version),
      ),
    );

/**
 * Marks the source `processing` with fresh progress and removes what an interrupted earlier run
 * left behind. Returns null when the source no longer exists (deleted before its job ran).
 */
export async function beginSourceRun(
  database: Database,
  orgId: string,
  sourceId: string,
): Promise<SourceRun | null> {
  return withTenant(database, [orgId], async (tx) => {
    const [row] = await tx
      .update(knowledgeSources)
      .set({
        status: 'processing',
        error: null,
        chunksDone: 0,
        chunksTotal: 0,
        pagesDone: 0,
        pagesTotal: 0,
        updatedAt: new Date(),
      })
      .where(whereSource(orgId, sourceId))
      .returning();
    if (!row) return null;
    await deleteOtherVersions(tx, orgId, sourceId, row.version);
    const { createdAt: _c, updatedAt: _u, ...source } = row;
    return { orgId, sourceId, version: row.version + 1, source };
  });
}

/** Locks the source row for the rest of the transaction; throws when it was deleted. */
export async function lockSource(tx: Tx, orgId: string, sourceId: string): Promise<{ version: number }> {
  const [row] = await tx
    .select({ version: knowledgeSources.version })
    .from(knowledgeSources)
    .where(whereSource(orgId, sourceId))
    .for('update');
  if (!row) throw new SourceGoneError();
  return row;
}

/**
 * Makes the run's version current, atomically: the source points at the new version and turns
 * ready, the previous version's chunks (and, by cascade, their embeddings) are deleted, crawled
 * pages are replaced. Refuses (throws) when the new version is not exactly chunks 0..n-1 once
 * each — which can only happen if two runs overlapped — so the job retries from scratch.
 */
export async function swapSourceVersion(
  database: Database,
  run: SourceRun,
  result: RunResult,
  nextRefreshAt: Date | null,
): Promise<void> {
  const { orgId, sourceId, version } = run;
  await withTenant(database, [orgId], async (tx) => {
    await lockSource(tx, orgId, sourceId);
    const [check] = await queryRows<{ n: number; ordinals: number; max: number | null }>(
      tx,
      sql`select count(*)::int as n, count(distinct ordinal)::int as ordinals, max(ordinal) as max
          from knowledge_chunks where org_id = ${orgId} and source_id = ${sourceId} and version = ${version}`,
    );
    const expectedMax = result.chunks === 0 ? null : result.chunks - 1;
    if (
      !check ||
      check.n !== result.chunks ||
      check.ordinals !== result.chunks ||
      check.max !== expectedMax
    ) {
      throw new Error(`version ${version} is incomplete or duplicated; retrying the run`);
    }
    const now = new Date();
    await tx
      .update(knowledgeSources)
      .set({
        version,
        status: 'ready',
        error: null,
        language: result.language,
        chunksDone: result.chunks,
        chunksTotal: result.chunks,
        pagesDone: result.pagesDone,
        pagesTotal: result.pagesTotal,
        lastIndexedAt: now,
        nextRefreshAt,
        updatedAt: now,
      })
      .where(whereSource(orgId, sourceId));
    await deleteOtherVersions(tx, orgId, sourceId, version);
    if (result.pages) await replacePages(tx, orgId, sourceId, result.pages, now);
  });
}

async function replacePages(tx: Tx, orgId: string, sourceId: string, pages: PageRecord[], now: Date) {
  await tx
    .delete(knowledgePages)
    .where(and(eq(knowledgePages.orgId, orgId), eq(knowledgePages.sourceId, sourceId)));
  const unique = [...new Map(pages.map((p) => [p.url, p])).values()];
  for (let start = 0; start < unique.length; start += 500) {
    await tx
      .insert(knowledgePages)
      .values(unique.slice(start, start + 500).map((p) => ({ orgId, sourceId, ...p, fetchedAt: now })));
  }
}

/**
 * Ends a run without a new version: the partial version is deleted, the current one (if any)
 * stays as it was. `failed` with a message for the owner (a scheduled refresh stays scheduled),
 * or back to `queued` when the job will try again. A no-op when the source is gone.
 */
export async function endSourceRun(
  database: Database,
  orgId: string,
  sourceId: string,
  outcome: { status: 'failed'; error: string } | { status: 'queued' },
): Promise<void> {
  await withTenant(database, [orgId], async (tx) => {
    const [row] = await tx
      .select({ version: knowledgeSources.version, options: knowledgeSources.options })
      .from(knowledgeSources)
      .where(whereSource(orgId, sourceId))
      .for('update');
    if (!row) return;
    await tx
      .update(knowledgeSources)
      .set({
        status: outcome.status,
        error: outcome.status === 'failed' ? outcome.error : null,
        ...(outcome.status === 'failed' ? { nextRefreshAt: nextRefreshFrom(row.options) } : {}),
        updatedAt: new Date(),
      })
      .where(whereSource(orgId, sourceId));
    await deleteOtherVersions(tx, orgId, sourceId, row.version);
  });
}

/** When a source with `refreshIntervalHours` in its options is next re-indexed. */
export function nextRefreshFrom(options: Record<string, unknown>, now = new Date()): Date | null {
  const hours = options.refreshIntervalHours;
  if (typeof hours !== 'number' || !Number.isFinite(hours) || hours <= 0) return null;
  return new Date(now.getTime() + hours * 3_600_000);
}
