import { capabilitiesIn, detectCapabilities } from '../../../platform/db/capabilities.js';
import type { Tx } from '../../../platform/db/client.js';
import { embedTexts } from '../../models/gateway.js';
import { embeddingProvider } from '../../models/resolve-provider.js';
import type { EmbeddingDeps } from './settings.js';
import type { QueryVector } from './vector-search.js';

/** A visitor is waiting: one quick attempt, then lexical only. */
const QUERY_TIMEOUT_MS = 5000;

/**
 * The query's embedding, or null when embeddings are off, pgvector is absent or the provider
 * fails (metered as an error; search goes on lexically). Throws only when `signal` aborts.
 * Pass `tx` only when already inside a transaction of this org.
 *
 * Embed the query BEFORE opening the search's transaction and pass it to search() as `vector`:
 * embedding inside it keeps the transaction open for the provider's round trip (on PGlite, that
 * blocks every other query meanwhile).
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
