import { capabilitiesIn, detectCapabilities } from '../../../platform/db/capabilities.js';
import type { Tx } from '../../../platform/db/client.js';
import { embedTexts } from '../../models/gateway.js';
import { embeddingProvider } from '../../models/resolve-provider.js';
import {
  loadQueryTerms,
  type SearchHit,
  type SearchHitWithSnippet,
  type SearchScope,
  searchChunks,
  searchChunksWithSnippets,
} from '../search/search.js';
import { selectSnippets } from '../search/snippet.js';
import type { EmbeddingDeps } from './settings.js';
import { type QueryVector, searchVectors } from './vector-search.js';

/**
 * Hybrid retrieval: reciprocal rank fusion (RRF, k = 60) of the lexical ranking (search.ts) and
 * the vector ranking (vector-search.ts). Lexical alone when no embedding model is configured,
 * the database has no pgvector, or the query could not be embedded (provider down or slow):
 * search never fails because of embeddings.
 *
 * Embed the query BEFORE opening the transaction (embedQuery) and pass it as `queryVector`:
 * otherwise hybridSearch embeds it inside the caller's transaction, which then stays open for
 * the provider's round trip (on PGlite, that blocks every other query meanwhile).
 */
export const RRF_K = 60;
/** Each side contributes this many candidates (at least k): fusion needs depth beyond the top k. */
const candidateCount = (k: number) => Math.min(100, Math.max(3 * k, 30));
/** A visitor is waiting: one quick attempt, then lexical only. */
const QUERY_TIMEOUT_MS = 5000;

export type HybridSearchOptions = {
  sourceIds?: readonly string[];
  /** The query's embedding from embedQuery; null = lexical only; absent = embed it here. */
  queryVector?: QueryVector | null;
};

/**
 * The query's embedding, or null when embeddings are off, pgvector is absent or the provider
 * fails (metered as an error; search goes on lexically). Throws only when `signal` aborts.
 * Pass `tx` only when already inside a transaction of this org.
 */
export async function embedQuery(
  deps: EmbeddingDeps,
  orgId: string,
  query: string,
  options: { signal?: AbortSignal; tx?: Tx } = {},
): Promise<QueryVector | null> {
  const provider = embeddingProvider(deps.config);
  if (!provider || query.trim() === '') return null;
  const capabilities = options.tx
    ? await capabilitiesIn(deps.database, options.tx)
    : await detectCapabilities(deps.database);
  if (!capabilities.vector) return null;
  try {
    const [embedding] = await embedTexts(deps.database, {
      orgId,
      provider,
      texts: [query],
      timeoutMs: QUERY_TIMEOUT_MS,
      maxRetries: 0,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.tx ? { tx: options.tx } : {}),
    });
    if (!embedding || embedding.every((x) => x === 0)) return null;
    return { model: provider.model, embedding };
  } catch (error) {
    if (options.signal?.aborted) throw error;
    return null;
  }
}

/** The k best chunks for the query: RRF of lexical and vector rankings, or lexical alone. */
export async function hybridSearch(
  deps: EmbeddingDeps,
  tx: Tx,
  orgId: string,
  query: string,
  k: number,
  options: HybridSearchOptions = {},
): Promise<SearchHit[]> {
  const scope: SearchScope = options.sourceIds ? { sourceIds: options.sourceIds } : {};
  const queryVector =
    options.queryVector !== undefined ? options.queryVector : await embedQuery(deps, orgId, query, { tx });
  if (!queryVector) return searchChunks(tx, orgId, query, k, scope);
  const depth = candidateCount(k);
  const lexical = await searchChunks(tx, orgId, query, depth, scope);
  const vector = await searchVectors(tx, orgId, queryVector, depth, scope);
  return fuseRankings([lexical, vector]).slice(0, k);
}

/** hybridSearch plus a snippet per hit (its passage's best-matching sentence, else its start). */
export async function hybridSearchWithSnippets(
  deps: EmbeddingDeps,
  tx: Tx,
  orgId: string,
  query: string,
  k: number,
  options: HybridSearchOptions = {},
): Promise<SearchHitWithSnippet[]> {
  const scope: SearchScope = options.sourceIds ? { sourceIds: options.sourceIds } : {};
  const queryVector =
    options.queryVector !== undefined ? options.queryVector : await embedQuery(deps, orgId, query, { tx });
  if (!queryVector) return searchChunksWithSnippets(tx, orgId, query, k, scope);
  const hits = await hybridSearch(deps, tx, orgId, query, k, { ...scope, queryVector });
  const snippets = await selectSnippets(tx, await loadQueryTerms(tx, orgId, query), hits);
  return hits.map((hit, i) => ({ ...hit, snippet: snippets[i] ?? '' }));
}

/**
 * Reciprocal rank fusion: each list gives a hit 1 / (RRF_K + rank) (rank from 1); the sums
 * order the result. `score` is that sum divided by its maximum (first in every list), so it stays
 * in (0, 1] like the lexical score. Ties: better best rank, then earlier list, then chunk id.
 * Pure; the first list's copy of a hit is kept.
 */
export function fuseRankings(lists: readonly (readonly SearchHit[])[]): SearchHit[] {
  const fused = new Map<string, { hit: SearchHit; sum: number; bestRank: number; firstList: number }>();
  lists.forEach((list, listIndex) => {
    list.forEach((hit, i) => {
      const rank = i + 1;
      const entry = fused.get(hit.chunkId);
      if (entry) {
        entry.sum += 1 / (RRF_K + rank);
        entry.bestRank = Math.min(entry.bestRank, rank);
      } else {
        fused.set(hit.chunkId, { hit, sum: 1 / (RRF_K + rank), bestRank: rank, firstList: listIndex });
      }
    });
  });
  const max = lists.length / (RRF_K + 1);
  return [...fused.values()]
    .sort(
      (a, b) =>
        b.sum - a.sum ||
        a.bestRank - b.bestRank ||
        a.firstList - b.firstList ||
        (a.hit.chunkId < b.hit.chunkId ? -1 : a.hit.chunkId > b.hit.chunkId ? 1 : 0),
    )
    .map((entry) => ({ ...entry.hit, score: max > 0 ? entry.sum / max : 0 }));
}
