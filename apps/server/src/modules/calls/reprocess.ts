import type { CallSummary } from '@confidant/contract';
import { and, eq } from 'drizzle-orm';
import type { Keyring } from '../../platform/crypto/keyring.js';
import type { Database } from '../../platform/db/client.js';
import { calls } from '../../platform/db/schema/index.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { AppError, notFound } from '../../platform/errors.js';
import type { JobQueue } from '../../platform/jobs/queue.js';
import { type Actor, recordAudit } from '../audit/service.js';
import { enqueueCallProcessing } from './jobs/process-call-job.js';
import { findRubric } from './rubrics.js';
import { summaryOf } from './service.js';

/**
 * Queues a call to be processed again: the transcript is kept when there is one (the pipeline
 * skips transcription), metrics, scores and coaching are redone. A call still being processed
 * is a 409. `metricsOnly` (a new rep speaker) does not count as a user request to audit.
 */
export async function requestReprocess(
  deps: { database: Database; keyring: Keyring; jobs: JobQueue },
  orgId: string,
  callId: string,
  options: { rubricId?: string; actor?: Actor; metricsOnly?: boolean },
): Promise<CallSummary> {
  const summary = await withTenant(deps.database, [orgId], async (tx) => {
    const [row] = await tx
      .select()
      .from(calls)
      .where(and(eq(calls.orgId, orgId), eq(calls.id, callId)));
    if (!row) throw notFound('Call');
    if (options.rubricId && !(await findRubric(tx, orgId, options.rubricId))) {
      throw new AppError('validation_failed', 'The request does not match the expected shape', [
        { path: 'body.rubricId', message: 'is not a rubric of this organization' },
      ]);
    }
    if (!options.metricsOnly && (row.status === 'transcribing' || row.status === 'analyzing')) {
      throw new AppError('conflict', 'The call is being processed; try again when it is ready or failed');
    }
    if (options.metricsOnly && row.status !== 'ready') return summaryOf(row);
    const [updated] = await tx
      .update(calls)
      .set({
        status: 'queued',
        progress: 0,
        error: null,
        ...(options.rubricId ? { rubricId: options.rubricId } : {}),
        updatedAt: new Date(),
      })
      .where(and(eq(calls.orgId, orgId), eq(calls.id, callId)))
      .returning();
    if (options.actor) {
      await recordAudit(tx, deps.keyring, orgId, options.actor, {
        action: 'calls.reprocessed',
        targetType: 'call',
        targetId: callId,
      });
    }
    return summaryOf(updated!);
  });
  if (summary.status === 'queued') await enqueueCallProcessing(deps, orgId, callId);
  return summary;
}
