/**
 * Embeddings — what the rest of knowledge uses of them (search/search.ts fuses the vector
 * ranking itself).
 *
 * - embeddingsEnabled / searchMode: whether retrieval is hybrid, and why not.
 * - embedChunks: embed a version's chunks after they are written (pipeline); embedMissingChunks
 *   fills gaps (provider outage, model change). Neither fails a source.
 * - embedQuery: the query's embedding, to pass to search() as `vector`.
 * - activeEmbedding: which model embeds an org's knowledge (its own choice, else the server's);
 *   embedding-choice.ts stores the choice, embed-job.ts re-embeds after it changes.
 */

export { type ActiveEmbedding, activeEmbedding, vectorModelOf } from './active-model.js';
export {
  EMBEDDING_BATCH_SIZE,
  type EmbedChunksResult,
  embedChunks,
  embeddingText,
  embedMissingChunks,
  usableEmbedding,
} from './embed-chunks.js';
export {
  EMBED_CHUNKS,
  embedQueueOptions,
  enqueueEmbedding,
  enqueueEmbeddingRetry,
  handleEmbedChunks,
} from './embed-job.js';
export { embedQuery } from './embed-query.js';
export { fuseRankings, fusionDepth, RRF_K } from './fuse-rankings.js';
export { type EmbeddingDeps, type SearchMode, searchMode } from './settings.js';
export { type QueryVector, searchVectors } from './vector-search.js';
