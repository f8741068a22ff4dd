import { sql } from 'drizzle-orm';
import type { BaseLogger } from 'pino';
import type { Config } from '../../../../platform/config.js';
import type { Keyring } from '../../../../platform/crypto/keyring.js';
import type { Database } from '../../../../platform/db/client.js';
import { errorForLog } from '../../../../platform/logger.js';
import type { OutboundPolicy } from '../../../../platform/net/outbound-policy.js';
import { chunkDocument } from './chunk-document.js';
import { ChunkWriter, type SourceProgress } from './chunk-writer.js';
import { crawlSourcePages } from './crawl-source.js';
import { SourceError, SourceGoneError, userFacingMessage } from './errors.js';
import { documentLanguage, knowledgeLanguage } from './knowledge-language.js';
import { type BlobReader, loadDocument } from './load-document.js';
import {
  beginSourceRun,
  endSourceRun,
  nextRefreshFrom,
  type PageRecord,
  type SourceRun,
  swapSourceVersion,
} from './source-run.js';

export type PipelineDeps = {
  config: Config;
  database: Database;
  keyring?: Keyring;
  /** The address policy for tenant URLs: calls the org's own embedding provider (with keyring). */
  net?: OutboundPolicy;
  /** Originals of uploaded files; required to (re-)index file sources that have a blob. */
  blobStore?: BlobReader;
  log?: BaseLogger;
  /** Called with the progress each time it is recorded (the CLI's progress bar). */
  onProgress?: (progress: SourceProgress) => void;
  /** Called when the embedding provider failed and chunks were left without vectors. */
  onEmbeddingFailed?: () => void;
};

/**
 * Indexes one source: queued → processing → ready, or failed with a reason its owner can act on.
 *
 * text / qa → the stored content; file → the original from the blob store, extracted again;
 * url → a crawl (unchanged pages keep their chunks). Then language detection, chunking, chunks
 * written at version + 1 in short transactions with progress, embeddings when configured, and an
 * atomic swap to the new version (see source-run.ts for the invariants).
 *
 * Idempotent and safe to re-run after a crash at any point: a run first deletes what an earlier,
 * interrupted run left. A source deleted before or during the run ends it quietly.
 *
 * Errors: a failure the owner can act on (ExtractionError, CrawlError, SourceError) marks the
 * source failed and returns. Anything else (database, network, provider trouble) is thrown with
 * the source left `processing`; the caller retries (the job queue, with backoff) or gives up
 * with failSource().
 */
export async function processSource(
  deps: PipelineDeps,
  orgId: string,
  sourceId: string,
  signal?: AbortSignal,
): Promise<void> {
  signal?.throwIfAborted();
  const run = await beginSourceRun(deps.database, orgId, sourceId);
  if (!run) return;
  try {
    await indexRun(deps, run, signal);
  } catch (error) {
    if (error instanceof SourceGoneError) return;
    const message = userFacingMessage(error);
    if (message === null) throw error;
    deps.log?.info({ sourceId, reason: (error as Error).name }, 'knowledge source failed');
    await endSourceRun(deps.database, orgId, sourceId, { status: 'failed', error: message });
  }
}

async function indexRun(deps: PipelineDeps, run: SourceRun, signal?: AbortSignal): Promise<void> {
  const writer = new ChunkWriter(deps, run, signal);
  let pages: PageRecord[] | undefined;
  let language = run.source.language;
  if (run.source.type === 'url') {
    pages = await crawlSourcePages(deps, run, writer, signal);
    language = writer.dominantLanguage ?? language;
  } else {
    const document = await loadDocument(deps, run, signal);
    if (document.pages !== undefined) writer.setPages(document.pages, document.pages);
    language = await documentLanguage(document, await knowledgeLanguage(deps.database, run.orgId));
    const chunks = chunkDocument(document, { title: run.source.title, url: null, language });
    if (chunks.length === 0) {
      throw new SourceError('The document has no text to index (it holds only headings or markup)');
    }
    await writer.add(chunks);
  }
  await writer.finish();
  signal?.throwIfAborted();
  // Before the swap, so the source is never searchable with stale statistics.
  if (writer.count >= ANALYZE_AFTER_CHUNKS) await refreshPlannerStatistics(deps);
  const { done, total } = writer.pages;
  await swapSourceVersion(
    deps.database,
    run,
    { chunks: writer.count, pagesDone: done, pagesTotal: total, language, ...(pages ? { pages } : {}) },
    nextRefreshFrom(run.source.options),
  );
}

/** A run that wrote this many chunks refreshes the planner's statistics (see below). */
const ANALYZE_AFTER_CHUNKS = 500;

/**
 * After a bulk load the planner's row estimates for the knowledge tables are stale (PGlite has
 * no autovacuum at all; PostgreSQL's comes later), and search plans built on them were measured
 * ~100× slower (seconds instead of ~0.1 s for a 6,000-chunk source). Best effort: a failure only
 * costs speed.
 */
async function refreshPlannerStatistics(deps: PipelineDeps) {
  try {
    await deps.database.db.execute(sql`analyze knowledge_chunks, knowledge_lexicon, knowledge_embeddings`);
  } catch (error) {
    deps.log?.warn({ err: errorForLog(error) }, 'could not refresh planner statistics');
  }
}

/**
 * Gives up on a source after an unexpected failure (retries exhausted, or a one-shot run such as
 * the CLI's): `failed` with `message`, its partial version removed, its current version kept.
 */
export async function failSource(
  deps: PipelineDeps,
  orgId: string,
  sourceId: string,
  message: string,
  error?: unknown,
): Promise<void> {
  if (error !== undefined)
    deps.log?.error({ sourceId, err: errorForLog(error) }, 'knowledge indexing failed');
  await endSourceRun(deps.database, orgId, sourceId, { status: 'failed', error: message });
}
