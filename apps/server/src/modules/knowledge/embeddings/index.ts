/**
 * Embeddings and hybrid retrieval — the module's public surface.
 *
 * - embeddingsEnabled / searchMode: whether retrieval is hybrid, and why not.
 * - embedChunks: embed a version's chunks after they are written (pipeline); embedMissingChunks
 *   fills gaps (provider outage, model change). Neither fails a source.
 * - embedQuery + hybridSearch / hybridSearchWithSnippets: RRF of lexical and vector rankings.
 */
export {
  EMBEDDING_BATCH_SIZE,
  type EmbedChunksResult,
  embedChunks,
  embeddingText,
  embedMissingChunks,
} from './embed-chunks.js';
export {
  embedQuery,
  fuseRankings,
  type HybridSearchOptions,
  hybridSearch,
  hybridSearchWithSnippets,
  RRF_K,
} from './hybrid-search.js';
export { type EmbeddingDeps, embeddingsEnabled, type SearchMode, searchMode } from './settings.js';
export { type QueryVector, searchVectors } from './vector-search.js';
