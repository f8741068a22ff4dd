import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../../../platform/db/client.js';
import { calls } from '../../../platform/db/schema/index.js';
import { withTenant } from '../../../platform/db/tenancy.js';
import type { JobQueue, WorkContext } from '../../../platform/jobs/queue.js';
import { readOrgStatus } from '../../orgs/deletion/org-status.js';
import {
  CALL_PAUSED,
  CallFailure,
  CallPaused,
  type CallPipelineDeps,
  failCall,
  GENERIC_CALL_FAILURE,
  pauseCall,
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

/**
 * How long a call paused by the org's monthly usage limit waits before its job looks again (a
 * new month, usage that was corrected). Raising the limits resumes paused calls at once
 * (resumePausedCalls).
 */
export const PAUSED_RECHECK_SECONDS = 15 * 60;

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
 * Re-queues, now, the org's calls paused by its monthly usage limit: called after the limits
 * change (usage/routes.ts). Each call's waiting re-check is cancelled and a new job sent; a job
 * that still finds the org past its limit pauses the call again. Returns how many were queued.
 */
export async function resumePausedCalls(
  deps: { database: Database; jobs: JobQueue },
  orgId: string,
): Promise<number> {
  const paused = await withTenant(deps.database, [orgId], (tx) =>
    tx
      .select({ id: calls.id })
      .from(calls)
      .where(and(eq(calls.orgId, orgId), eq(calls.status, 'queued'), eq(calls.error, CALL_PAUSED))),
  );
  for (const { id } of paused) {
    await cancelCallProcessing(deps, orgId, id);
    await enqueueCallProcessing(deps, orgId, id);
  }
  return paused.length;
}

/**
 * Runs the pipeline for one call. A CallFailure (the org can act on it) fails the call at once and
 * ends the job; CallPaused (the org is past its monthly usage limit) leaves the call `queued` with
 * CALL_PAUSED and sends a new job for PAUSED_RECHECK_SECONDS later (this one ends: a pause uses
 * none of the retries, which are for failures); any other error is retried by the queue, and
 * fails the call with a generic message on the last attempt. An org scheduled for deletion
 * processes nothing.
 */
export async function handleProcessCall(
  deps: CallPipelineDeps & { jobs: JobQueue },
  data: unknown,
  context: WorkContext,
) {
  const { orgId, callId } = processCallPayload.parse(data);
  const org = await readOrgStatus(deps.database, orgId);
  if (!org || org.deletedAt) return;
  try {
    await processCall(deps, orgId, callId, context.signal);
  } catch (error) {
    if (error instanceof CallPaused) {
      await pauseCall(deps, orgId, callId);
      // One waiting re-check per call, whatever asked for this run (a reprocess, a resume).
      await cancelCallProcessing(deps, orgId, callId);
      await deps.jobs.send(PROCESS_CALL, { orgId, callId } satisfies ProcessCallPayload, {
        singletonKey: callId,
        startAfter: PAUSED_RECHECK_SECONDS,
      });
      deps.log?.info({ callId }, 'call processing paused: the organization is past its monthly usage limit');
      return;
    }
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
