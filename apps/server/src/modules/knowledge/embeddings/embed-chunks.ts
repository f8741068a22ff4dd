import { sql } from 'drizzle-orm';
import { detectCapabilities } from '../../../platform/db/capabilities.js';
import type { Tx } from '../../../platform/db/client.js';
import { queryRows } from '../../../platform/db/query-rows.js';
import { withTenant } from '../../../platform/db/tenancy.js';
import { type EmbeddingProvider, embedTexts } from '../../models/gateway.js';
import { activeEmbedding } from './active-model.js';
import type { EmbeddingDeps } from './settings.js';

/**
 * Chunk embeddings: chunks are embedded in batches through the model gateway (PII redacted,
 * metered as purpose 'embedding') with the org's active embedding model (active-model.ts: its
 * own choice, else the server's) and stored in knowledge_embeddings as real[] under that model's
 * vector key and with the vector size, one row per chunk per model (re-running overwrites:
 * idempotent).
 *
 * Failure policy (decided here, so every caller behaves the same): a provider failure never
 * fails or loses the source. embedChunks stops at the first failed batch and reports it; the
 * source still becomes ready and the chunks without a vector are found by lexical search (RRF
 * simply has no vector rank for them). `embedMissingChunks` fills the gaps later — after an
 * outage, or when the embedding model changes. Only an abort (job cancelled, shutdown) throws.
 */
export const EMBEDDING_BATCH_SIZE = 64;
/** Embedding models take a few thousand tokens at most; chunks are far shorter, this is a guard. */
const MAX_EMBEDDING_CHARS = 8000;
/**
 * A batch of 64 chunks may take a while on a small local model (Ollama on a CPU). The server's
 * model; an org's own provider uses its row's timeout and retries.
 */
const CHUNK_BATCH_TIMEOUT_MS = 120_000;

export type EmbedChunksResult =
  | { status: 'done'; embedded: number }
  | { status: 'disabled'; embedded: 0; reason: string }
  | { status: 'failed'; embedded: number; reason: string };

/** What is embedded for a chunk: what a reader sees of it — title, heading path and text. */
export function embeddingText(chunk: { title: string; headingPath: string; content: string }): string {
  return [chunk.title, chunk.headingPath, chunk.content]
    .filter((part) => part.trim() !== '')
    .join('\n\n')
    .slice(0, MAX_EMBEDDING_CHARS);
}

/**
 * Embeds the given chunks (typically a version's chunks right after they are written; `text` is
 * embeddingText(chunk)) and stores the vectors. A no-op ('disabled') when the org has no active
 * embedding model or the database has no pgvector.
 */
export async function embedChunks(
  deps: EmbeddingDeps,
  orgId: string,
  chunks: { id: string; text: string }[],
  signal?: AbortSignal,
): Promise<EmbedChunksResult> {
  const active = await usableEmbedding(deps, orgId);
  if (typeof active === 'string') return { status: 'disabled', embedded: 0, reason: active };
  let embedded = 0;
  for (let start = 0; start < chunks.length; start += EMBEDDING_BATCH_SIZE) {
    const batch = chunks.slice(start, start + EMBEDDING_BATCH_SIZE);
    const outcome = await embedBatch(deps, orgId, active, batch, signal);
    if (outcome !== 'ok') return { status: 'failed', embedded, reason: outcome };
    embedded += batch.length;
  }
  return { status: 'done', embedded };
}

/**
 * Embeds the org's searchable chunks (current version; one source when `sourceId` is given) that
 * have no vector for the org's active model yet. Safe to run at any time and repeatedly; the
 * model is resolved again for every batch, so a change of model mid-run continues with the new
 * one.
 */
export async function embedMissingChunks(
  deps: EmbeddingDeps,
  orgId: string,
  options: { sourceId?: string; signal?: AbortSignal } = {},
): Promise<EmbedChunksResult> {
  let embedded = 0;
  for (;;) {
    const active = await usableEmbedding(deps, orgId);
    if (typeof active === 'string') {
      return embedded === 0
        ? { status: 'disabled', embedded: 0, reason: active }
        : { status: 'done', embedded };
    }
    const batch = await withTenant(deps.database, [orgId], (tx) =>
      chunksWithoutEmbedding(tx, orgId, active.vectorModel, options.sourceId),
    );
    if (batch.length === 0) return { status: 'done', embedded };
    const outcome = await embedBatch(deps, orgId, active, batch, options.signal);
    if (outcome !== 'ok') return { status: 'failed', embedded, reason: outcome };
    embedded += batch.length;
  }
}

type UsableEmbedding = { provider: EmbeddingProvider; vectorModel: string };

/** The org's active embedding model when vectors can be stored and searched, else why not. */
export async function usableEmbedding(deps: EmbeddingDeps, orgId: string): Promise<UsableEmbedding | string> {
  const active = await activeEmbedding(deps, orgId);
  if (!active.provider) return active.reason;
  const capabilities = await detectCapabilities(deps.database);
  if (!capabilities.vector) return capabilities.vectorMissingReason ?? 'pgvector is not available';
  return active;
}

async function chunksWithoutEmbedding(
  tx: Tx,
  orgId: string,
  vectorModel: string,
  sourceId: string | undefined,
): Promise<{ id: string; text: string }[]> {
  const rows = await queryRows<{ id: string; title: string; heading_path: string; content: string }>(
    tx,
    sql`select c.id, c.title, c.heading_path, c.content
        from knowledge_chunks c
        join knowledge_sources s on s.org_id = c.org_id and s.id = c.source_id and c.version = s.version
        where c.org_id = ${orgId}
          ${sourceId ? sql`and c.source_id = ${sourceId}` : sql``}
          and not exists (
            select 1 from knowledge_embeddings e
            where e.org_id = c.org_id and e.chunk_id = c.id and e.model = ${vectorModel}
          )
        order by c.id
        limit ${EMBEDDING_BATCH_SIZE}`,
  );
  return rows.map((r) => ({
    id: r.id,
    text: embeddingText({ title: r.title, headingPath: r.heading_path, content: r.content }),
  }));
}

/** One provider call and one write; 'ok' or the reason it failed (aborts throw). */
async function embedBatch(
  deps: EmbeddingDeps,
  orgId: string,
  { provider, vectorModel }: UsableEmbedding,
  batch: { id: string; text: string }[],
  signal: AbortSignal | undefined,
): Promise<string> {
  let vectors: number[][];
  try {
    vectors = await embedTexts(deps.database, {
      orgId,
      provider,
      texts: batch.map((chunk) => chunk.text),
      timeoutMs: provider.timeoutMs ?? CHUNK_BATCH_TIMEOUT_MS,
      maxRetries: provider.maxRetries ?? 2,
      ...(signal ? { signal } : {}),
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    return error instanceof Error ? error.message : 'The embedding provider failed';
  }
  await withTenant(deps.database, [orgId], (tx) =>
    writeEmbeddings(
      tx,
      orgId,
      vectorModel,
      batch.map((chunk, i) => ({ chunkId: chunk.id, embedding: vectors[i]! })),
    ),
  );
  return 'ok';
}

/**
 * Upserts vectors. Chunks deleted meanwhile (source deleted or re-indexed while the provider was
 * answering) are skipped by the join instead of failing the foreign key.
 */
export async function writeEmbeddings(
  tx: Tx,
  orgId: string,
  model: string,
  rows: { chunkId: string; embedding: number[] }[],
): Promise<void> {
  if (rows.length === 0) return;
  // Each vector travels as a PostgreSQL array literal ('{0.1,-0.2}') and is parsed by the
  // server's real[] input function: far cheaper than one parameter per number.
  const payload = rows.map((r) => ({ id: r.chunkId, v: `{${r.embedding.join(',')}}` }));
  await tx.execute(
    sql`insert into knowledge_embeddings (org_id, chunk_id, model, dimensions, embedding)
        select c.org_id, c.id, ${model}, cardinality(r.v::real[]), r.v::real[]
        from jsonb_to_recordset(${JSON.stringify(payload)}::jsonb) as r(id uuid, v text)
        join knowledge_chunks c on c.org_id = ${orgId} and c.id = r.id
        on conflict (org_id, chunk_id, model)
        do update set dimensions = excluded.dimensions, embedding = excluded.embedding, created_at = now()`,
  );
}
