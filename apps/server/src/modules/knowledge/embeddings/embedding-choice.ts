import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { noteCacheChange } from '../../../platform/cache/hot-cache.js';
import type { Keyring } from '../../../platform/crypto/keyring.js';
import type { Tx } from '../../../platform/db/client.js';
import { queryRows } from '../../../platform/db/query-rows.js';
import { knowledgeSettings, modelProviders } from '../../../platform/db/schema/index.js';
import { AppError } from '../../../platform/errors.js';
import { type Actor, recordAudit } from '../../audit/service.js';
import { embeddingModelFor, ProviderConfigurationError } from '../../models/provider-registry.js';

/**
 * The org's choice of embedding model for its knowledge base (knowledge_settings):
 *
 * - `null`: the server's model (CONFIDANT_EMBEDDING_*) when the operator configured one, else
 *   lexical search only;
 * - `{ providerId, model }`: one of the org's own providers and an embedding model it lists.
 *   `providerId` reads null once that provider was deleted (the foreign key nulls it): the choice
 *   is then unavailable and search stays lexical (active-model.ts) — never a silent switch to a
 *   provider the org did not choose.
 *
 * Saving validates the choice against the org's providers (its own only: another org's provider
 * id is simply not found) and is audited with ids only.
 */
export type EmbeddingChoice = { providerId: string | null; model: string } | null;
export type EmbeddingChoiceInput = { providerId: string; model: string } | null;

export async function readEmbeddingChoice(tx: Tx, orgId: string): Promise<EmbeddingChoice> {
  const [row] = await tx
    .select({ providerId: knowledgeSettings.embeddingProviderId, model: knowledgeSettings.embeddingModel })
    .from(knowledgeSettings)
    .where(eq(knowledgeSettings.orgId, orgId));
  if (!row?.model) return null;
  return { providerId: row.providerId, model: row.model };
}

/** Saves the choice (audited only when it changed); returns whether it changed. */
export async function saveEmbeddingChoice(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  actor: Actor,
  choice: EmbeddingChoiceInput,
): Promise<boolean> {
  if (choice) await checkChoice(tx, orgId, choice);
  const before = await readEmbeddingChoice(tx, orgId);
  const same =
    before === null
      ? choice === null
      : choice !== null && before.providerId === choice.providerId && before.model === choice.model;
  if (same) return false;
  const values = { embeddingProviderId: choice?.providerId ?? null, embeddingModel: choice?.model ?? null };
  await tx
    .insert(knowledgeSettings)
    .values({ orgId, id: randomUUID(), ...values })
    .onConflictDoUpdate({ target: knowledgeSettings.orgId, set: { ...values, updatedAt: new Date() } });
  // The resolved embedding provider is cached with the org's providers (active-model.ts).
  noteCacheChange(tx, 'providers', orgId);
  await recordAudit(tx, keyring, orgId, actor, {
    action: 'knowledge.embedding_model.updated',
    targetType: 'knowledge_settings',
    targetId: orgId,
    // Ids only: the provider row, never its name, URL or key. The model id is configuration the
    // org typed, like an agent's model choice, not content.
    metadata: choice ? { providerId: choice.providerId, model: choice.model } : { providerId: null },
  });
  return true;
}

async function checkChoice(tx: Tx, orgId: string, choice: { providerId: string; model: string }) {
  const [row] = await tx
    .select({ kind: modelProviders.kind, models: modelProviders.models })
    .from(modelProviders)
    .where(and(eq(modelProviders.orgId, orgId), eq(modelProviders.id, choice.providerId)));
  if (!row) {
    throw invalid('providerId', "is not one of this organization's model providers");
  }
  if (!row.models.some((m) => m.id === choice.model && m.type === 'embedding')) {
    throw invalid('model', 'is not an embedding model of this provider (add it to the provider first)');
  }
  try {
    // Building the model object makes no request; it refuses kinds without embedding models.
    embeddingModelFor({ kind: row.kind, baseUrl: 'http://127.0.0.1', region: 'x' }, choice.model);
  } catch (error) {
    if (error instanceof ProviderConfigurationError) {
      throw invalid('providerId', `is a ${row.kind} provider, which has no embedding models`);
    }
    throw error;
  }
}

const invalid = (path: string, message: string) =>
  new AppError('validation_failed', `choice.${path}: ${message}`, [{ path: `body.choice.${path}`, message }]);

/**
 * How far the org's searchable chunks (current versions) are embedded with `vectorModel`: the
 * console's "N of M chunks" while re-embedding runs.
 */
export async function embeddingProgress(
  tx: Tx,
  orgId: string,
  vectorModel: string | null,
): Promise<{ embedded: number; total: number }> {
  const [row] = await queryRows<{ total: number; embedded: number }>(
    tx,
    sql`select count(*)::int as total,
               count(*) filter (where exists (
                 select 1 from knowledge_embeddings e
                 where e.org_id = c.org_id and e.chunk_id = c.id and e.model = ${vectorModel ?? ''}
               ))::int as embedded
        from knowledge_chunks c
        join knowledge_sources s on s.org_id = c.org_id and s.id = c.source_id and c.version = s.version
        where c.org_id = ${orgId}`,
  );
  return { embedded: vectorModel ? Number(row?.embedded ?? 0) : 0, total: Number(row?.total ?? 0) };
}
