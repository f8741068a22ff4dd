import { z } from 'zod';
import type { JobQueue, WorkContext } from '../../../platform/jobs/queue.js';
import { readOrgStatus } from '../../orgs/deletion/org-status.js';
import { embedMissingChunks } from './embed-chunks.js';
import type { EmbeddingDeps } from './settings.js';

/**
 * `knowledge.embed`: embeds an org's chunks that have no vector for its active embedding model
 * yet (embedMissingChunks) — queued when the org chooses another model, so search gains the
 * new model's vectors while it keeps working lexically (and with whatever vectors of the new
 * model exist) meanwhile. At most one queued and one running per org ('stately' with the org
 * id as key): choosing twice in a row re-embeds once more at most, for the latest choice.
 *
 * Also queued, a few minutes later, after an ingestion whose provider failed
 * (enqueueEmbeddingRetry). A provider failure fails the attempt, retried with backoff (the chunks
 * embedded so far are kept); the job ends quietly when embeddings are off or the org is being
 * deleted.
 */
export const EMBED_CHUNKS = 'knowledge.embed';

export const embedQueueOptions = {
  policy: 'stately',
  retryLimit: 5,
  retryDelay: 30,
  retryBackoff: true,
  retryDelayMax: 1800,
  expireInSeconds: 4 * 3600,
  heartbeatSeconds: 15,
  deleteAfterSeconds: 7 * 24 * 3600,
} as const;

/** Ids only: payloads are kept by the queue after the job ran. */
const embedPayload = z.strictObject({ orgId: z.uuid() });

export async function enqueueEmbedding(deps: { jobs: JobQueue }, orgId: string): Promise<void> {
  await deps.jobs.send(EMBED_CHUNKS, { orgId } satisfies z.infer<typeof embedPayload>, {
    singletonKey: orgId,
  });
}

/** How long after a failed embedding during ingestion the missing vectors are tried again. */
export const EMBEDDING_RETRY_DELAY_SECONDS = 300;

/**
 * Queues a later embedding of what an ingestion left without vectors (the provider failed).
 * Its own singleton key, so a waiting retry never holds back the re-embedding a change of model
 * queues (should both run at once, they upsert the same vectors).
 */
export async function enqueueEmbeddingRetry(deps: { jobs: JobQueue }, orgId: string): Promise<void> {
  await deps.jobs.send(EMBED_CHUNKS, { orgId } satisfies z.infer<typeof embedPayload>, {
    singletonKey: `retry:${orgId}`,
    startAfter: EMBEDDING_RETRY_DELAY_SECONDS,
  });
}

export async function handleEmbedChunks(deps: EmbeddingDeps, data: unknown, context: WorkContext) {
  const { orgId } = embedPayload.parse(data);
  const org = await readOrgStatus(deps.database, orgId);
  if (!org || org.deletedAt) return;
  const result = await embedMissingChunks(deps, orgId, { signal: context.signal });
  // The reason is the gateway's generic message (never the provider's text or a URL).
  if (result.status === 'failed') throw new Error(`embedding stopped: ${result.reason}`);
}
