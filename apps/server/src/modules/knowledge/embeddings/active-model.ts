import { and, eq } from 'drizzle-orm';
import { hotCacheOf } from '../../../platform/cache/hot-cache.js';
import { decryptSecret } from '../../../platform/crypto/envelope.js';
import type { Tx } from '../../../platform/db/client.js';
import { modelProviders } from '../../../platform/db/schema/index.js';
import { withTenant } from '../../../platform/db/tenancy.js';
import { apiKeyLocation } from '../../model-providers/service.js';
import type { EmbeddingProvider } from '../../models/gateway.js';
import { embeddingProvider, orgEmbeddingProvider } from '../../models/resolve-provider.js';
import { type EmbeddingChoice, readEmbeddingChoice } from './embedding-choice.js';
import { type EmbeddingDeps, NO_EMBEDDING_MODEL } from './settings.js';

/**
 * Which embedding model an org's knowledge is embedded and searched with, right now:
 *
 * - the org chose one of its own providers' embedding models → that provider (its own key,
 *   the guarded fetch, its timeout and retries, metered with its id); when that provider or
 *   model is gone, or the caller passed no keyring and address policy to call it with,
 *   embeddings are off for the org — never another provider;
 * - no choice → the server's CONFIDANT_EMBEDDING_* model, else off.
 *
 * `vectorModel` is what its vectors are stored under (knowledge_embeddings.model) and the only
 * vectors a query embedded with it is compared to: the server's model by name (as before org
 * choices existed), an org provider's as `<model>@<provider id>` — a model name means something
 * only at its provider (two OpenAI-compatible servers may both call theirs "embed"), so
 * choosing another provider re-embeds rather than mixing vectors of different models.
 */
export type ActiveEmbedding =
  | { provider: EmbeddingProvider; vectorModel: string }
  | { provider: null; reason: string };

export const CHOSEN_PROVIDER_GONE =
  "the organization's chosen embedding provider or model no longer exists; search is lexical until another is chosen";
const CHOSEN_PROVIDER_UNREACHABLE =
  "the organization's embedding provider cannot be called from this process";

export const vectorModelOf = (provider: EmbeddingProvider): string =>
  provider.providerId ? `${provider.model}@${provider.providerId}` : provider.model;

/**
 * The org's active embedding model. Pass `tx` only when already inside a transaction of this
 * org (the read then happens there). Cached with the org's providers (any write to them or to
 * the choice drops it).
 */
export async function activeEmbedding(deps: EmbeddingDeps, orgId: string, tx?: Tx): Promise<ActiveEmbedding> {
  const cache = tx ? null : hotCacheOf(deps.database);
  if (!cache) return loadActiveEmbedding(deps, orgId, tx);
  const found = await cache.get('providers', `embedding:${orgId}`, async () => ({
    orgId,
    value: await loadActiveEmbedding(deps, orgId),
  }));
  return found ?? { provider: null, reason: NO_EMBEDDING_MODEL };
}

async function loadActiveEmbedding(deps: EmbeddingDeps, orgId: string, tx?: Tx): Promise<ActiveEmbedding> {
  const read = <T>(fn: (t: Tx) => Promise<T>) => (tx ? fn(tx) : withTenant(deps.database, [orgId], fn));
  const loaded = await read(async (t) => {
    const choice = await readEmbeddingChoice(t, orgId);
    if (!choice?.providerId) return { choice, row: undefined };
    const [row] = await t
      .select()
      .from(modelProviders)
      .where(and(eq(modelProviders.orgId, orgId), eq(modelProviders.id, choice.providerId)));
    return { choice, row };
  });
  return resolveChoice(deps, orgId, loaded.choice, loaded.row);
}

function resolveChoice(
  deps: EmbeddingDeps,
  orgId: string,
  choice: EmbeddingChoice,
  row: typeof modelProviders.$inferSelect | undefined,
): ActiveEmbedding {
  if (choice === null) {
    const server = embeddingProvider(deps.config);
    return server
      ? { provider: server, vectorModel: vectorModelOf(server) }
      : { provider: null, reason: NO_EMBEDDING_MODEL };
  }
  if (!row?.models.some((m) => m.id === choice.model && m.type === 'embedding')) {
    return { provider: null, reason: CHOSEN_PROVIDER_GONE };
  }
  if (!deps.keyring || !deps.net) return { provider: null, reason: CHOSEN_PROVIDER_UNREACHABLE };
  const provider = orgEmbeddingProvider(
    { net: deps.net },
    {
      providerId: row.id,
      kind: row.kind,
      timeoutMs: row.timeoutMs,
      maxRetries: row.maxRetries,
      models: row.models,
      ...(row.baseUrl ? { baseUrl: row.baseUrl } : {}),
      ...(row.region ? { region: row.region } : {}),
      // Decrypted right before use, like the chat providers' keys (model-providers/service.ts);
      // a key that cannot be decrypted is an operator problem and throws.
      ...(row.apiKeyCiphertext !== null
        ? { apiKey: decryptSecret(deps.keyring, row.apiKeyCiphertext, apiKeyLocation(orgId, row.id)) }
        : {}),
    },
    choice.model,
  );
  return { provider, vectorModel: vectorModelOf(provider) };
}
