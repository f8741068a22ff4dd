/**
 * The knowledge module's public surface. Other modules, the composition root (app.ts, worker.ts),
 * the CLI, the tests outside this folder and the benchmarks import knowledge only from here;
 * test helpers under a `testing/` folder excepted (module-boundaries.test.ts checks both, and that
 * knowledge never imports answers: answers uses knowledge's search, never the other way round).
 *
 * Inside: sources/ (adding, extracting, crawling, chunking and indexing sources: the pipeline and
 * its jobs), search/ (the one search() and what it is made of: query terms, lexicon, typo repair,
 * synonyms, ranking, snippets), text/ (language detection, sentences, Markdown to plain text),
 * embeddings/ (chunk and query vectors, vector search, rank fusion).
 */

// Jobs the worker registers.
export { EMBED_CHUNKS, embedQueueOptions, handleEmbedChunks } from './embeddings/embed-job.js';
// Search: one door. Embed the query before the transaction (embedQuery), then search().
export { embedQuery } from './embeddings/embed-query.js';
// HTTP routes the app registers.
export { embeddingModelRoutes } from './embeddings/routes.js';
export { type EmbeddingDeps, type SearchMode, searchMode } from './embeddings/settings.js';
export type { QueryVector } from './embeddings/vector-search.js';
export { knowledgeRoutes } from './routes.js';
export { type SearchOptions, search } from './search/search.js';
export type {
  HitTerm,
  SearchHit,
  SearchHitWithSnippet,
  SearchHitWithTerms,
  SearchScope,
} from './search/search-hit.js';
export { plainSentences, SNIPPET_MAX } from './search/snippet.js';
export { synonymRoutes } from './search/synonyms-routes.js';
export { matchTermsInTexts } from './search/term-matches.js';
export { chunkMarkdown } from './sources/chunk-markdown.js';
// Sources: adding and indexing knowledge (the API, the CLI and the demo seed).
export { CrawlError } from './sources/crawler/types.js';
export { checkUrlSource, createUrlSource, urlSourceBody } from './sources/crawler/url-source.js';
export { ExtractionError } from './sources/extractors/types.js';
export { createFileSource } from './sources/file-source.js';
export { handleIngestSource, INGEST_SOURCE, ingestQueueOptions } from './sources/jobs/ingest-source.js';
export { REFRESH_CRON, REFRESH_SOURCES, sweepSources } from './sources/jobs/refresh-sources.js';
export { GENERIC_FAILURE } from './sources/pipeline/errors.js';
export { failSource, type PipelineDeps, processSource } from './sources/pipeline/process-source.js';
export { createSource, getSource, type SourceView } from './sources/service.js';
