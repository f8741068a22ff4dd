import { capabilitiesIn, detectCapabilities } from '../../../platform/db/capabilities.js';
import type { Tx } from '../../../platform/db/client.js';
import { embedTexts } from '../../models/gateway.js';
import { activeEmbedding } from './active-model.js';
import type { EmbeddingDeps } from './settings.js';
import type { QueryVector } from './vector-search.js';

/**
 * A visitor is waiting: one quick attempt, then lexical only (an org's provider with a shorter
 * timeout of its own uses that).
 */
const QUERY_TIMEOUT_MS = 5000;

/**
 * The query's embedding with the org's active model (active-model.ts), tagged with that model's
 * vector key so only chunk vectors of the same model are compared; null when embeddings are off
 * for the org, pgvector is absent or the provider fails (metered as an error; search goes on
 * lexically). Throws only when `signal` aborts.
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
  if (query.trim() === '') return null;
  const active = await activeEmbedding(deps, orgId, options.tx);
  if (!active.provider) return null;
  const { provider } = active;
  const capabilities = options.tx
    ? await capabilitiesIn(deps.database, options.tx)
    : await detectCapabilities(deps.database);
  if (!capabilities.vector) return null;
  try {
    const [embedding] = await embedTexts(deps.database, {
      orgId,
      provider,
      texts: [query],
      timeoutMs: Math.min(provider.timeoutMs ?? QUERY_TIMEOUT_MS, QUERY_TIMEOUT_MS),
      maxRetries: 0,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.tx ? { tx: options.tx } : {}),
    });
    if (!embedding || embedding.every((x) => x === 0)) return null;
    return { model: active.vectorModel, embedding };
  } catch (error) {
    if (options.signal?.aborted) throw error;
    return null;
  }
}
