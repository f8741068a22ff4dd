import type { BaseLogger } from 'pino';
import { z } from 'zod';
import type { BlobStore } from '../../../platform/blobs/blob-store.js';
import type { Keyring } from '../../../platform/crypto/keyring.js';
import type { Database } from '../../../platform/db/client.js';
import { organizations } from '../../../platform/db/schema/index.js';
import type { WorkContext } from '../../../platform/jobs/queue.js';
import { purgeOrganization } from './purge.js';

/**
 * `privacy.retention.purge`: hourly over every organization, or one organization on demand
 * (POST /v1/privacy/retention/run; the job id is the run id). Durable and resumable: each org's
 * purge works in short batches (purge.ts), so a retry or the next hour continues where a killed
 * run stopped. Logs counts only.
 */
export const PURGE_RETENTION = 'privacy.retention.purge';
export const PURGE_RETENTION_CRON = '41 * * * *';
export const purgeQueueOptions = { retryLimit: 3, retryDelay: 60, expireInSeconds: 3600 } as const;

export const purgePayload = z.object({ orgId: z.uuid().optional() });
export type PurgePayload = z.infer<typeof purgePayload>;

export type PurgeJobDeps = { database: Database; keyring: Keyring; blobStore?: BlobStore; log?: BaseLogger };

export async function handlePurgeRetention(
  deps: PurgeJobDeps,
  data: unknown,
  context: Pick<WorkContext, 'jobId' | 'signal'>,
): Promise<void> {
  const payload = purgePayload.parse(data ?? {});
  // The registry has no RLS; each org is then purged under its own tenant scope.
  const orgIds = payload.orgId
    ? [payload.orgId]
    : (await deps.database.db.select({ id: organizations.id }).from(organizations)).map((o) => o.id);
  for (const orgId of orgIds) {
    context.signal.throwIfAborted();
    const result = await purgeOrganization(deps, orgId, { runId: context.jobId });
    const total = Object.values(result.counts).reduce((a, b) => a + b, 0);
    if (total > 0) deps.log?.info({ orgId, counts: result.counts }, 'retention purge removed expired rows');
  }
}
