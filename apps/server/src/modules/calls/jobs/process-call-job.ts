import { z } from 'zod';
import type { JobQueue, WorkContext } from '../../../platform/jobs/queue.js';
import { readOrgStatus } from '../../orgs/deletion/org-status.js';
import {
  CallFailure,
  type CallPipelineDeps,
  failCall,
  GENERIC_CALL_FAILURE,
  processCall,
} from '../pipeline/process-call.js';

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

/**
 * Runs the pipeline for one call. A CallFailure (the org can act on it) fails the call at once and
 * ends the job; any other error is retried by the queue, and fails the call with a generic
 * message on the last attempt. An org scheduled for deletion processes nothing.
 */
export async function handleProcessCall(deps: CallPipelineDeps, data: unknown, context: WorkContext) {
  const { orgId, callId } = processCallPayload.parse(data);
  const org = await readOrgStatus(deps.database, orgId);
  if (!org || org.deletedAt) return;
  try {
    await processCall(deps, orgId, callId, context.signal);
  } catch (error) {
    if (error instanceof CallFailure) {
      await failCall(deps, orgId, callId, error.message);
      return;
    }
    if (context.retryCount >= context.retryLimit) {
      await failCall(deps, orgId, callId, GENERIC_CALL_FAILURE).catch(() => {});
    } else {
      deps.log?.warn(
        { callId, attempt: context.retryCount + 1, errorName: (error as Error)?.name },
        'call processing attempt failed; retrying',
      );
    }
    throw error;
  }
}
