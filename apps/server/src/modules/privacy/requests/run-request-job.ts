import { and, eq } from 'drizzle-orm';
import type { BaseLogger } from 'pino';
import type { BlobStore } from '../../../platform/blobs/blob-store.js';
import { decryptSecret } from '../../../platform/crypto/envelope.js';
import type { Keyring } from '../../../platform/crypto/keyring.js';
import type { Database } from '../../../platform/db/client.js';
import { privacyRequests } from '../../../platform/db/schema/index.js';
import { withTenant } from '../../../platform/db/tenancy.js';
import type { WorkContext } from '../../../platform/jobs/queue.js';
import { errorForLog } from '../../../platform/logger.js';
import { recordAudit } from '../../audit/service.js';
import { collectSubjectCalls, eraseSubjectCalls, findSubjectCalls } from '../../calls/privacy.js';
import { emitWebhookEvent } from '../../webhooks/dispatch.js';
import { eraseSubject } from './erase-subject.js';
import { EXPORT_TTL_DAYS, expireOrgExports, storeExportFile } from './export-file.js';
import { buildExportZip, collectSubjectRows } from './export-subject.js';
import { findSubjectConversations } from './find-subject-conversations.js';
import { subjectLocation } from './service.js';

/**
 * `privacy.request`: runs one export or erasure as a durable job (payload: ids only). Progress and
 * per-table counts are written to the request row as it goes. Idempotent: a completed request is
 * a no-op; an erasure interrupted half-way is finished by the retry (each step deletes what is
 * left). The sealed identifier is shredded when the request ends, either way; the receipt goes
 * into the audit chain with the subject's keyed hash and counts, never the identifier.
 */
export const PRIVACY_REQUEST = 'privacy.request';
export const privacyQueueOptions = { retryLimit: 3, retryDelay: 5, expireInSeconds: 3600 } as const;
export const EXPIRE_EXPORTS = 'privacy.expire-exports';
export const EXPIRE_EXPORTS_CRON = '23 * * * *';

export type PrivacyJobDeps = {
  database: Database;
  keyring: Keyring;
  blobStore: BlobStore;
  log?: BaseLogger | undefined;
};
export type PrivacyJobData = { orgId: string; requestId: string };

export async function handlePrivacyRequest(
  deps: PrivacyJobDeps,
  data: PrivacyJobData,
  context: Pick<WorkContext, 'retryCount' | 'retryLimit'>,
): Promise<void> {
  const { database, keyring } = deps;
  const { orgId, requestId } = data;
  const where = and(eq(privacyRequests.orgId, orgId), eq(privacyRequests.id, requestId));
  const update = (values: Partial<typeof privacyRequests.$inferInsert>) =>
    withTenant(database, [orgId], (tx) => tx.update(privacyRequests).set(values).where(where));
  const [request] = await withTenant(database, [orgId], (tx) =>
    tx.select().from(privacyRequests).where(where),
  );
  if (!request || request.status === 'completed' || request.status === 'failed') return;
  if (!request.subjectCiphertext) return;
  await expireOrgExports(deps, orgId);
  await update({ status: 'running' });
  try {
    const subject = {
      kind: request.subjectKind,
      value: decryptSecret(keyring, request.subjectCiphertext, subjectLocation(orgId, requestId)),
    };
    // Found once and kept: a retry works on the same set even after erasure removed what led to it.
    let conversationIds = request.conversationIds;
    if (!conversationIds) {
      conversationIds = await withTenant(database, [orgId], (tx) =>
        findSubjectConversations(tx, keyring, orgId, subject),
      );
      await update({ conversationIds, progress: 5 });
    }
    // Uploaded calls whose customer is the subject (by the keyed hash of the email/phone given).
    const callIds = await withTenant(database, [orgId], (tx) =>
      findSubjectCalls(tx, keyring, orgId, subject),
    );
    let counts: Record<string, number>;
    let zip: Uint8Array | null = null;
    if (request.type === 'erasure') {
      counts = await eraseSubject(
        deps,
        orgId,
        { hash: request.subjectHash, conversationIds },
        async (done, total) => {
          await update({ progress: 5 + Math.floor((90 * done) / total) });
        },
      );
      Object.assign(counts, await eraseSubjectCalls(deps, orgId, callIds));
    } else {
      const tables = {
        ...(await collectSubjectRows(deps, orgId, conversationIds)),
        ...(await collectSubjectCalls(deps, orgId, callIds)),
      };
      await update({ progress: 60 });
      counts = Object.fromEntries(Object.entries(tables).map(([t, rows]) => [t, rows.length]));
      zip = buildExportZip({ id: requestId, createdAt: request.createdAt.toISOString() }, tables, new Date());
    }
    const rows = Object.values(counts).reduce((a, b) => a + b, 0);
    await withTenant(database, [orgId], async (tx) => {
      // The file and the row that holds its key commit together: no orphaned export on a retry.
      const file = zip ? await storeExportFile(tx, deps, orgId, requestId, zip) : null;
      await tx
        .update(privacyRequests)
        .set({
          ...(file
            ? {
                exportBlobHash: file.blobHash,
                exportKeyCiphertext: file.keyCiphertext,
                exportExpiresAt: new Date(Date.now() + EXPORT_TTL_DAYS * 86_400_000),
              }
            : {}),
          status: 'completed',
          progress: 100,
          counts,
          subjectCiphertext: null,
          conversationIds: null,
          completedAt: new Date(),
        })
        .where(where);
      await recordAudit(
        tx,
        keyring,
        orgId,
        { type: 'system', id: null },
        {
          action: request.type === 'erasure' ? 'privacy.erasure_completed' : 'privacy.export_completed',
          targetType: 'privacy_request',
          targetId: requestId,
          metadata: {
            subjectHash: request.subjectHash,
            conversations: conversationIds.length,
            calls: callIds.length,
            rows,
          },
        },
      );
      await emitWebhookEvent(tx, orgId, {
        type: 'privacy.request.completed',
        data: { requestId, requestType: request.type },
      });
    });
  } catch (error) {
    deps.log?.error({ err: errorForLog(error), requestId }, 'privacy request failed');
    if (context.retryCount >= context.retryLimit) {
      await withTenant(database, [orgId], async (tx) => {
        await tx
          .update(privacyRequests)
          .set({ status: 'failed', errorCode: 'internal', subjectCiphertext: null, conversationIds: null })
          .where(where);
        await recordAudit(
          tx,
          keyring,
          orgId,
          { type: 'system', id: null },
          {
            action: 'privacy.request_failed',
            targetType: 'privacy_request',
            targetId: requestId,
            metadata: { subjectHash: request.subjectHash },
          },
        );
      });
    }
    throw error;
  }
}
