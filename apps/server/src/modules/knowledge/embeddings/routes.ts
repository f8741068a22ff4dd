import type { EmbeddingModelSettings } from '@confidant/contract';
import { z } from 'zod';
import type { AppDeps } from '../../../deps.js';
import { withTenant } from '../../../platform/db/tenancy.js';
import { errorResponses, nonBlank } from '../../../platform/http/schemas.js';
import type { ZodApp } from '../../../platform/http/types.js';
import { actorOf, requireRole } from '../../auth/principal.js';
import { usableEmbedding } from './embed-chunks.js';
import { enqueueEmbedding } from './embed-job.js';
import { embeddingProgress, readEmbeddingChoice, saveEmbeddingChoice } from './embedding-choice.js';

const modelRef = z.object({ providerId: z.uuid().nullable(), model: z.string() });

const settingsSchema = z
  .object({
    choice: modelRef.nullable(),
    active: modelRef.nullable(),
    serverModel: z.string().nullable(),
    reason: z.string().nullable(),
    progress: z.object({ embedded: z.number().int(), total: z.number().int() }),
  })
  .meta({ id: 'EmbeddingModelSettings' });

const putBody = z.strictObject({
  choice: z
    .strictObject({
      providerId: z.uuid({ message: 'must be a UUID' }),
      model: nonBlank(200),
    })
    .nullable(),
});

/** The org's choice of embedding model for its knowledge base (embedding-choice.ts): admins only. */
export async function embeddingModelRoutes(app: ZodApp, deps: AppDeps) {
  const view = async (orgId: string): Promise<EmbeddingModelSettings> => {
    // Resolved outside the read transaction (it has its own, and may be cached).
    const usable = await usableEmbedding(deps, orgId);
    const active = typeof usable === 'string' ? null : usable;
    return withTenant(deps.database, [orgId], async (tx) => ({
      choice: await readEmbeddingChoice(tx, orgId),
      active: active
        ? { providerId: active.provider.providerId ?? null, model: active.provider.model }
        : null,
      serverModel: deps.config.embedding?.model ?? null,
      reason: typeof usable === 'string' ? usable : null,
      progress: await embeddingProgress(tx, orgId, active?.vectorModel ?? null),
    }));
  };

  app.get(
    '/v1/knowledge/embedding-model',
    {
      schema: {
        tags: ['knowledge'],
        summary: 'The embedding model knowledge search uses',
        description:
          "`choice`: the organization's own choice (null: the server's model, `serverModel`, when its operator configured one). `active`: the model chunks and queries are embedded with now (null: search is lexical only, `reason` says why — no model, pgvector missing, or the chosen provider or model was removed). `progress`: how many of the searchable chunks have a vector of the active model (re-embedding runs in the background after a change).",
        response: { 200: settingsSchema, ...errorResponses },
      },
    },
    async (request) => {
      const p = requireRole(request, 'admin');
      return view(p.orgId);
    },
  );

  app.put(
    '/v1/knowledge/embedding-model',
    {
      schema: {
        tags: ['knowledge'],
        summary: 'Choose the embedding model knowledge search uses',
        description:
          "`choice`: one of the organization's model providers and an embedding model it lists (`type: 'embedding'`), or null for the server's model. Knowledge is then embedded through that provider (its key, its timeout and retries, text redacted, metered as `embedding`); a change queues re-embedding of every chunk (saving again fills in chunks an outage left without a vector), and search stays lexical plus whatever vectors of the new model exist until it is done. 400 when the provider is not the organization's, does not list the model as an embedding model, or is of a kind without embedding models.",
        body: putBody,
        response: { 200: settingsSchema, ...errorResponses },
      },
    },
    async (request) => {
      const p = requireRole(request, 'admin');
      await withTenant(deps.database, [p.orgId], (tx) =>
        saveEmbeddingChoice(tx, deps.keyring, p.orgId, actorOf(p), request.body.choice),
      );
      // Also when unchanged: saving again retries chunks a provider outage left without a vector
      // (a no-op when none is missing).
      await enqueueEmbedding(deps, p.orgId);
      return view(p.orgId);
    },
  );
}
