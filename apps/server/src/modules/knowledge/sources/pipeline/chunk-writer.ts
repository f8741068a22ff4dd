import { randomUUID } from 'node:crypto';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { and, eq, sql } from 'drizzle-orm';
import type { BaseLogger } from 'pino';
import type { Config } from '../../../../platform/config.js';
import type { Keyring } from '../../../../platform/crypto/keyring.js';
import type { Database, Tx } from '../../../../platform/db/client.js';
import { queryRows } from '../../../../platform/db/query-rows.js';
import {
  knowledgeChunks,
  knowledgeSources,
  type SearchLanguage,
} from '../../../../platform/db/schema/index.js';
import { withTenant } from '../../../../platform/db/tenancy.js';
import type { OutboundPolicy } from '../../../../platform/net/outbound-policy.js';
import { embedChunks, embeddingText, usableEmbedding } from '../../embeddings/index.js';
import { lockSource, type SourceRun } from './source-run.js';

/**
 * Writes a run's chunks at its version, in short transactions of BATCH_SIZE chunks, each also
 * recording progress (chunks done of total, pages done of total). Short transactions keep the
 * embedded database (one connection, shared with requests) responsive while a large source is
 * indexed, and make progress visible as it happens.
 *
 * Each batch locks the source row first, so a source deleted meanwhile ends the run
 * (SourceGoneError) instead of racing the delete. Ordinals are 0..n-1 in the order chunks are
 * added. With embeddings configured, each batch is embedded once written (see embeddings/).
 */
export const BATCH_SIZE = 200;

export type NewChunk = {
  title: string;
  headingPath: string;
  content: string;
  url: string | null;
  language: SearchLanguage;
};

export type SourceProgress = {
  sourceId: string;
  chunksDone: number;
  chunksTotal: number;
  pagesDone: number;
  pagesTotal: number;
};

type WriterDeps = {
  config: Config;
  database: Database;
  /** To call the org's own embedding provider (its key, the guarded fetch): embeddings/settings.ts. */
  keyring?: Keyring;
  net?: OutboundPolicy;
  log?: BaseLogger;
  onProgress?: (progress: SourceProgress) => void;
  /** Called when the provider failed and chunks were left without vectors (the job retries later). */
  onEmbeddingFailed?: () => void;
};

export class ChunkWriter {
  private pending: (NewChunk & { id: string; ordinal: number })[] = [];
  private written = 0;
  private expected = 0;
  private pagesDone = 0;
  private pagesTotal = 0;
  private nextOrdinal = 0;
  private progressWrittenAt = 0;
  /** Whether batches are embedded: decided at the first batch (the org's active model), off after a failure. */
  private embedding: boolean | undefined;
  private readonly languages = new Map<SearchLanguage, number>();

  constructor(
    private readonly deps: WriterDeps,
    private readonly run: SourceRun,
    private readonly signal?: AbortSignal,
  ) {}

  /** Chunks written so far (after finish(): all of them). */
  get count(): number {
    return this.written;
  }

  /** Chunks added so far, written or still buffered. */
  get added(): number {
    return this.expected;
  }

  get pages(): { done: number; total: number } {
    return { done: this.pagesDone, total: this.pagesTotal };
  }

  /** The language most chunks were indexed with (the source's language). */
  get dominantLanguage(): SearchLanguage | null {
    let best: SearchLanguage | null = null;
    let most = 0;
    for (const [language, n] of this.languages) {
      if (n > most) [best, most] = [language, n];
    }
    return best;
  }

  /** Adds chunks (their total grows by as many); writes whole batches as they fill. */
  async add(chunks: NewChunk[]): Promise<void> {
    this.expected += chunks.length;
    for (const chunk of chunks) {
      this.pending.push({ ...chunk, id: randomUUID(), ordinal: this.nextOrdinal++ });
      this.languages.set(chunk.language, (this.languages.get(chunk.language) ?? 0) + 1);
      if (this.pending.length >= BATCH_SIZE) await this.flush();
    }
  }

  /** Notes page progress; written with the next batch or by recordPagesProgress(). */
  setPages(done: number, total: number): void {
    this.pagesDone = done;
    this.pagesTotal = Math.max(total, done);
  }

  /** Writes page progress when it was last written over a second ago (pages without many chunks). */
  async recordPagesProgress(): Promise<void> {
    if (Date.now() - this.progressWrittenAt < 1000) return;
    await withTenant(this.deps.database, [this.run.orgId], async (tx) => {
      await lockSource(tx, this.run.orgId, this.run.sourceId);
      await this.recordProgress(tx);
    });
  }

  /**
   * Copies the current version's chunks of one page (a crawled page that did not change) into
   * this run's version, with their embeddings, so an unchanged page costs no re-chunking or
   * re-embedding. Returns how many chunks were copied.
   */
  async copyPageChunks(url: string): Promise<number> {
    await this.flush();
    const { orgId, sourceId } = this.run;
    const previous = this.run.version - 1;
    const copied = await withTenant(this.deps.database, [orgId], async (tx) => {
      await lockSource(tx, orgId, sourceId);
      const old = await tx
        .select({
          id: knowledgeChunks.id,
          title: knowledgeChunks.title,
          headingPath: knowledgeChunks.headingPath,
          content: knowledgeChunks.content,
          language: knowledgeChunks.language,
        })
        .from(knowledgeChunks)
        .where(
          and(
            eq(knowledgeChunks.orgId, orgId),
            eq(knowledgeChunks.sourceId, sourceId),
            eq(knowledgeChunks.version, previous),
            eq(knowledgeChunks.url, url),
          ),
        )
        .orderBy(knowledgeChunks.ordinal);
      if (old.length === 0) return 0;
      const rows = old.map((c) => ({ ...c, oldId: c.id, id: randomUUID(), ordinal: this.nextOrdinal++ }));
      await tx.insert(knowledgeChunks).values(
        rows.map((c) => ({
          orgId,
          id: c.id,
          sourceId,
          ordinal: c.ordinal,
          title: c.title,
          headingPath: c.headingPath,
          content: c.content,
          version: this.run.version,
          language: c.language,
          url,
        })),
      );
      await queryRows(
        tx,
        sql`insert into knowledge_embeddings (org_id, chunk_id, model, dimensions, embedding)
            select e.org_id, m.new_id, e.model, e.dimensions, e.embedding
            from knowledge_embeddings e
            join unnest(${toUuidArray(rows.map((r) => r.oldId))}::uuid[], ${toUuidArray(rows.map((r) => r.id))}::uuid[])
              as m(old_id, new_id) on e.chunk_id = m.old_id
            where e.org_id = ${orgId}`,
      );
      for (const c of rows) this.languages.set(c.language, (this.languages.get(c.language) ?? 0) + 1);
      this.expected += rows.length;
      this.written += rows.length;
      await this.recordProgress(tx);
      return rows.length;
    });
    return copied;
  }

  /** Writes what is left and the final progress. */
  async finish(): Promise<void> {
    await this.flush();
    await withTenant(this.deps.database, [this.run.orgId], async (tx) => {
      await lockSource(tx, this.run.orgId, this.run.sourceId);
      await this.recordProgress(tx);
    });
  }

  private async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    // PGlite answers in microtasks, so batch after batch would never let the event loop turn:
    // requests (and the job's heartbeat) would wait for the whole source. Yield between batches.
    await yieldToEventLoop();
    this.signal?.throwIfAborted();
    const batch = this.pending;
    this.pending = [];
    const { orgId, sourceId, version } = this.run;
    this.embedding ??= typeof (await usableEmbedding(this.deps, orgId)) !== 'string';
    await withTenant(this.deps.database, [orgId], async (tx) => {
      await lockSource(tx, orgId, sourceId);
      await tx.insert(knowledgeChunks).values(
        batch.map((c) => ({
          orgId,
          id: c.id,
          sourceId,
          ordinal: c.ordinal,
          title: c.title,
          headingPath: c.headingPath,
          content: c.content,
          version,
          language: c.language,
          url: c.url,
        })),
      );
      // Without embeddings a batch is done once written; with them, once embedded (below).
      if (!this.embedding) {
        this.written += batch.length;
        await this.recordProgress(tx);
      }
    });
    if (this.embedding) {
      const result = await embedChunks(
        this.deps,
        orgId,
        batch.map((c) => ({ id: c.id, text: embeddingText(c) })),
        this.signal,
      );
      if (result.status !== 'done') {
        // The source stays searchable lexically; missing vectors are filled in later
        // (embedMissingChunks). Stop calling a provider that just failed for the rest of the run.
        this.embedding = false;
        if (result.status === 'failed') {
          this.deps.log?.warn(
            { sourceId, embedded: result.embedded },
            'embedding failed; continuing lexical',
          );
          this.deps.onEmbeddingFailed?.();
        }
      }
      this.written += batch.length;
      await withTenant(this.deps.database, [orgId], async (tx) => {
        await lockSource(tx, orgId, sourceId);
        await this.recordProgress(tx);
      });
    }
  }

  private async recordProgress(tx: Tx) {
    const progress = {
      chunksDone: this.written,
      chunksTotal: Math.max(this.expected, this.written),
      pagesDone: this.pagesDone,
      pagesTotal: this.pagesTotal,
    };
    await tx
      .update(knowledgeSources)
      .set({ ...progress, updatedAt: new Date() })
      .where(and(eq(knowledgeSources.orgId, this.run.orgId), eq(knowledgeSources.id, this.run.sourceId)));
    this.progressWrittenAt = Date.now();
    this.deps.onProgress?.({ sourceId: this.run.sourceId, ...progress });
  }
}

/** A Postgres array literal of UUIDs (generated here, never user input). */
const toUuidArray = (ids: string[]) => `{${ids.join(',')}}`;
