import type { Config } from '../../../platform/config.js';
import type { Keyring } from '../../../platform/crypto/keyring.js';
import { detectCapabilities } from '../../../platform/db/capabilities.js';
import type { Database } from '../../../platform/db/client.js';
import type { OutboundPolicy } from '../../../platform/net/outbound-policy.js';

/**
 * Whether retrieval uses embeddings: only when an embedding model is active for the org (its own
 * choice, else the server's env model: active-model.ts) AND the database has pgvector. Without
 * pgvector nothing is embedded at all — vectors that cannot be searched would cost model calls
 * and send knowledge to a provider for nothing.
 *
 * `keyring` and `net` are needed to call an org's own provider (its encrypted key, the guarded
 * fetch); a caller without them embeds nothing for an org that chose its own provider.
 */
export type EmbeddingDeps = {
  config: Pick<Config, 'embedding'>;
  database: Database;
  keyring?: Keyring;
  net?: OutboundPolicy;
};

export type SearchMode = { mode: 'hybrid' } | { mode: 'lexical'; reason: string };

export const NO_EMBEDDING_MODEL = 'no embedding model is configured (CONFIDANT_EMBEDDING_BASE_URL)';

/**
 * The server-wide search mode (the operator's model; an org may choose its own: active-model.ts)
 * and, when lexical, why (for /readyz). Detects capabilities on first use.
 */
export async function searchMode(deps: EmbeddingDeps): Promise<SearchMode> {
  if (!deps.config.embedding) return { mode: 'lexical', reason: NO_EMBEDDING_MODEL };
  const capabilities = await detectCapabilities(deps.database);
  if (!capabilities.vector) {
    return { mode: 'lexical', reason: capabilities.vectorMissingReason ?? 'pgvector is not available' };
  }
  return { mode: 'hybrid' };
}
