import { z } from 'zod';
import type { JobQueue, WorkContext } from '../../../../platform/jobs/queue.js';
import { readOrgStatus } from '../../../orgs/deletion/org-status.js';
import { enqueueEmbeddingRetry } from '../../embeddings/index.js';
import { GENERIC_FAILURE } from '../pipeline/errors.js';
import { failSource, type PipelineDeps, processSource } from '../pipeline/process-source.js';
import { endSourceRun } from '../pipeline/source-run.js';

/**
 * `knowledge.ingest`: index one knowledge source (processSource). One job per request; at most
 * one runs per source at a time (singleton per source id), so two runs never write the same
 * version. Transient failures are retried with exponential backoff; failures the owner can act
 * on (an unreadable file, an unreachable site) fail the source at once with their message. A
 * job whose source was deleted meanwhile ends quietly.
 */
export const INGEST_SOURCE = 'knowledge.ingest';

export const ingestQueueOptions = {
  policy: 'singleton',
  retryLimit: 4,
  retryDelay: 5,
  retryBackoff: true,
  retryDelayMax: 600,
  // Large crawls take a while; a dead worker is detected by its missing heartbeat, not this.
  expireInSeconds: 4 * 3600,
  heartbeatSeconds: 15,
  deleteAfterSeconds: 7 * 24 * 3600,
} as const;

/** Ids only: payloads are kept by the queue after the job ran. */
export const ingestPayload = z.strictObject({ orgId: z.uuid(), sourceId: z.uuid() });
export type IngestPayload = z.infer<typeof ingestPayload>;

/** Enqueues indexing of a source (already recorded as `queued`, committed). */
export async function enqueueSourceIngestion(
  deps: { jobs: JobQueue },
  orgId: string,
  sourceId: string,
): Promise<void> {
  await deps.jobs.send(INGEST_SOURCE, { orgId, sourceId } satisfies IngestPayload, {
    singletonKey: sourceId,
  });
}

/** Cancels a source's jobs that have not started (its deletion); a running one ends by itself. */
export async function cancelSourceIngestion(deps: { jobs: JobQueue }, orgId: string, sourceId: string) {
  const jobs = await deps.jobs.findJobs(INGEST_SOURCE, { orgId, sourceId });
  const waiting = jobs.filter((j) => j.state === 'created' || j.state === 'retry').map((j) => j.id);
  await deps.jobs.cancel(INGEST_SOURCE, waiting);
}

export async function handleIngestSource(
  deps: PipelineDeps & { jobs?: JobQueue },
  data: unknown,
  context: WorkContext,
) {
  const { orgId, sourceId } = ingestPayload.parse(data);
  // An org scheduled for deletion indexes (and crawls) nothing: the source stays queued, and the
  // refresh sweep's repair queues it again if the org is restored.
  const org = await readOrgStatus(deps.database, orgId);
  if (!org || org.deletedAt) return;
  let embeddingFailed = false;
  try {
    await processSource(
      {
        ...deps,
        onEmbeddingFailed: () => {
          embeddingFailed = true;
        },
      },
      orgId,
      sourceId,
      context.signal,
    );
    // The source is ready and searchable lexically; its missing vectors are retried later.
    if (embeddingFailed && deps.jobs) await enqueueEmbeddingRetry({ jobs: deps.jobs }, orgId);
  } catch (error) {
    if (context.retryCount >= context.retryLimit) {
      await failSource(deps, orgId, sourceId, GENERIC_FAILURE, error);
    } else {
      deps.log?.warn(
        { sourceId, attempt: context.retryCount + 1, errorName: (error as Error)?.name },
        'knowledge indexing attempt failed; retrying',
      );
      // Waiting for the retry: shown as queued, with the partial version already removed.
      await endSourceRun(deps.database, orgId, sourceId, { status: 'queued' }).catch(() => {});
    }
    throw error;
  }
}
