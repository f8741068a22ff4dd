import { and, desc, eq } from 'drizzle-orm';
import { encryptSecret } from '../../../platform/crypto/envelope.js';
import type { Keyring } from '../../../platform/crypto/keyring.js';
import type { Tx } from '../../../platform/db/client.js';
import { type PrivacyRequestType, privacyRequests } from '../../../platform/db/schema/index.js';
import { AppError, notFound } from '../../../platform/errors.js';
import { type Actor, recordAudit } from '../../audit/service.js';
import { subjectHash } from '../subjects/subject-hash.js';
import { maskSubject, type Subject } from './subject.js';

/**
 * Data-subject requests: recorded with the keyed hash and a masked hint of the subject (never
 * the identifier in clear, except sealed while the job runs), due 30 days after receipt
 * (GDPR art. 12(3)), and audited with the hash only.
 */
export const DUE_DAYS = 30;
export type PrivacyRequestRow = typeof privacyRequests.$inferSelect;

export const subjectLocation = (orgId: string, requestId: string) => ({
  orgId,
  table: 'privacy_requests',
  column: 'subject_ciphertext',
  rowId: requestId,
});

export async function createPrivacyRequest(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  actor: Actor,
  input: { type: PrivacyRequestType; subject: Subject; note?: string | undefined; id: string },
): Promise<PrivacyRequestRow> {
  const now = new Date();
  const hash = subjectHash(keyring, orgId, input.subject.kind, input.subject.value);
  const [row] = await tx
    .insert(privacyRequests)
    .values({
      orgId,
      id: input.id,
      type: input.type,
      subjectKind: input.subject.kind,
      subjectHash: hash,
      subjectMasked: maskSubject(input.subject),
      subjectCiphertext: encryptSecret(keyring, input.subject.value, subjectLocation(orgId, input.id)),
      note: input.note ?? null,
      requestedByType: actor.type,
      requestedById: actor.id,
      createdAt: now,
      dueAt: new Date(now.getTime() + DUE_DAYS * 86_400_000),
    })
    .returning();
  await recordAudit(tx, keyring, orgId, actor, {
    action: 'privacy.request_received',
    targetType: 'privacy_request',
    targetId: input.id,
    metadata: { type: input.type, subjectKind: input.subject.kind, subjectHash: hash },
  });
  return row!;
}

export async function listPrivacyRequests(tx: Tx, orgId: string): Promise<PrivacyRequestRow[]> {
  return tx
    .select()
    .from(privacyRequests)
    .where(eq(privacyRequests.orgId, orgId))
    .orderBy(desc(privacyRequests.createdAt), desc(privacyRequests.id))
    .limit(200);
}

export async function getPrivacyRequest(tx: Tx, orgId: string, id: string): Promise<PrivacyRequestRow> {
  const [row] = await tx
    .select()
    .from(privacyRequests)
    .where(and(eq(privacyRequests.orgId, orgId), eq(privacyRequests.id, id)));
  if (!row) throw notFound('Privacy request');
  return row;
}

/** The stored export of a finished export request, or a 409/410 problem saying why not. */
export function downloadableExport(row: PrivacyRequestRow, now = new Date()) {
  if (row.type !== 'export') throw new AppError('conflict', 'Only export requests have a download');
  if (row.status !== 'completed') throw new AppError('conflict', 'The export is not ready yet');
  if (
    !row.exportBlobHash ||
    !row.exportKeyCiphertext ||
    (row.exportExpiresAt && row.exportExpiresAt <= now)
  ) {
    throw new AppError('gone', 'The export file has expired or was erased; start a new export');
  }
  return { blobHash: row.exportBlobHash, keyCiphertext: row.exportKeyCiphertext };
}

export function requestJson(row: PrivacyRequestRow, now = new Date()) {
  const available =
    row.type === 'export' &&
    row.status === 'completed' &&
    !!row.exportBlobHash &&
    !!row.exportExpiresAt &&
    row.exportExpiresAt > now;
  return {
    id: row.id,
    type: row.type,
    subject: { kind: row.subjectKind, masked: row.subjectMasked },
    note: row.note,
    status: row.status,
    progress: row.progress,
    counts: row.counts,
    errorCode: row.errorCode,
    createdAt: row.createdAt.toISOString(),
    dueAt: row.dueAt.toISOString(),
    completedAt: row.completedAt?.toISOString() ?? null,
    download: available
      ? { url: `/v1/privacy/requests/${row.id}/download`, expiresAt: row.exportExpiresAt!.toISOString() }
      : null,
  };
}
