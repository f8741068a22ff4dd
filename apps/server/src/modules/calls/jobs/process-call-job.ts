import { z } from 'zod';
import type { JobQueue } from '../../../platform/jobs/queue.js';

/**
 * `calls.process`: transcribe, redact, measure and score one call (pipeline/process-call.ts).
 * One job per request; at most one runs per call at a time (singleton per call id). Payloads
 * hold ids only.
 */
export const PROCESS_CALL = 'calls.process';

export const processCallQueueOptions = {
  policy: 'singleton',
  retryLimit: 2,
  retryDelay: 10,
  retryBackoff: true,
  retryDelayMax: 600,
  // Long recordings take a provider minutes; a dead worker is found by its missing heartbeat.
  expireInSeconds: 2 * 3600,
  heartbeatSeconds: 15,
  deleteAfterSeconds: 7 * 24 * 3600,
} as const;

export const processCallPayload = z.strictObject({ orgId: z.uuid(), callId: z.uuid() });
export type ProcessCallPayload = z.infer<typeof processCallPayload>;

/** Enqueues processing of a call (already committed as `queued`). */
export async function enqueueCallProcessing(deps: { jobs: JobQueue }, orgId: string, callId: string) {
  await deps.jobs.send(PROCESS_CALL, { orgId, callId } satisfies ProcessCallPayload, {
    singletonKey: callId,
  });
}

/** Cancels a call's jobs that have not started (its deletion); a running one ends by itself. */
export async function cancelCallProcessing(deps: { jobs: JobQueue }, orgId: string, callId: string) {
  const jobs = await deps.jobs.findJobs(PROCESS_CALL, { orgId, callId });
  const waiting = jobs.filter((j) => j.state === 'created' || j.state === 'retry').map((j) => j.id);
  await deps.jobs.cancel(PROCESS_CALL, waiting);
}
