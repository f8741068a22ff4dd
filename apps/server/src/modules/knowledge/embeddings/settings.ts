import type { Config } from '../../../platform/config.js';
import { detectCapabilities, knownCapabilities } from '../../../platform/db/capabilities.js';
import type { Database } from '../../../platform/db/client.js';

/**
 * Whether retrieval uses embeddings: only when an embedding model is configured (env) AND the
 * database has pgvector. Without pgvector nothing is embedded at all — vectors that cannot be
 * searched would cost model calls and send knowledge to a provider for nothing.
 */
export type EmbeddingDeps = { config: Pick<Config, 'embedding'>; database: Database };

export type SearchMode = { mode: 'hybrid' } | { mode: 'lexical'; reason: string };

export const NO_EMBEDDING_MODEL = 'no embedding model is configured (CONFIDANT_EMBEDDING_BASE_URL)';

/**
 * Synchronous hint for callers deciding whether to embed: configured, and pgvector present as far
 * as detected (before detection it answers from the configuration alone; embedChunks checks the
 * database itself).
 */
export function embeddingsEnabled(deps: EmbeddingDeps): boolean {
  return deps.config.embedding !== undefined && (knownCapabilities(deps.database)?.vector ?? true);
}

/** The search mode and, when lexical, why (for /readyz). Detects capabilities on first use. */
export async function searchMode(deps: EmbeddingDeps): Promise<SearchMode> {
  if (!deps.config.embedding) return { mode: 'lexical', reason: NO_EMBEDDING_MODEL };
  const capabilities = await detectCapabilities(deps.database);
  if (!capabilities.vector) {
    return { mode: 'lexical', reason: capabilities.vectorMissingReason ?? 'pgvector is not available' };
  }
  return { mode: 'hybrid' };
}
