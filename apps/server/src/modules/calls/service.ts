import { randomUUID } from 'node:crypto';
import type {
  CallCoaching,
  CallCriterionScore,
  CallDetail,
  CallMetrics,
  CallPage,
  CallScore,
  CallSegment,
  CallStatus,
  CallSummary,
} from '@confidant/contract';
import { and, asc, desc, eq, gte, ilike, lte, sql } from 'drizzle-orm';
import type { BlobStore } from '../../platform/blobs/blob-store.js';
import { createEncryptedBlobs } from '../../platform/blobs/encrypted-blob-store.js';
import { decryptSecret, encryptSecret } from '../../platform/crypto/envelope.js';
import type { Keyring } from '../../platform/crypto/keyring.js';
import type { Database, Tx } from '../../platform/db/client.js';
import {
  callCoaching,
  callMetrics,
  callRecordings,
  callScores,
  callSegments,
  calls,
} from '../../platform/db/schema/index.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { AppError, notFound } from '../../platform/errors.js';
import { decodeTimeCursor, encodeTimeCursor } from '../../platform/http/time-cursor.js';
import { type Actor, recordAudit } from '../audit/service.js';
import { subjectHash } from '../privacy/subjects/subject-hash.js';
import { sniffAudio } from './audio-file.js';
import { findRubric } from './rubrics.js';
import { readCallSettings } from './settings.js';

/**
 * Calls: upload (sniffed, limited, audio stored only encrypted), list, read, change, delete.
 * Invariant: a refused upload stores nothing (the checks run before the blob is written); a
 * blob whose row could not be committed is deleted again.
 */
export type CallDeps = { database: Database; keyring: Keyring; blobStore: BlobStore };

type CallRow = typeof calls.$inferSelect;

export const segmentLocation = (orgId: string, rowId: string) => ({
  orgId,
  table: 'call_segments',
  column: 'text_ciphertext',
  rowId,
});
export const scoreLocation = (orgId: string, rowId: string) => ({
  orgId,
  table: 'call_scores',
  column: 'details_ciphertext',
  rowId,
});
export const coachingLocation = (orgId: string, rowId: string) => ({
  orgId,
  table: 'call_coaching',
  column: 'coaching_ciphertext',
  rowId,
});
export const recordingOwner = (orgId: string, rowId: string) => ({
  orgId,
  table: 'call_recordings',
  column: 'wrapped_key',
  rowId,
});
const customerLocation = (orgId: string, callId: string, column: string) => ({
  orgId,
  table: 'calls',
  column,
  rowId: callId,
});

export const summaryOf = (row: CallRow): CallSummary => ({
  id: row.id,
  title: row.title,
  repName: row.repName,
  status: row.status as CallStatus,
  progress: row.progress,
  error: row.error,
  mediaType: row.mediaType,
  byteSize: row.byteSize,
  durationSeconds: row.durationSeconds,
  language: row.language,
  score: row.score === null ? null : Math.round(row.score * 10) / 10,
  rubricId: row.rubricId,
  createdAt: row.createdAt.toISOString(),
  processedAt: row.processedAt?.toISOString() ?? null,
});

export type NewCall = {
  bytes: Uint8Array;
  fileName: string;
  title?: string | undefined;
  repName?: string | undefined;
  rubricId?: string | undefined;
  language?: string | undefined;
  customerEmail?: string | undefined;
  customerPhone?: string | undefined;
};

const unknownRubric = () =>
  new AppError('validation_failed', 'The request does not match the expected shape', [
    { path: 'body.rubricId', message: 'is not a rubric of this organization' },
  ]);

/** The title of a call without one: the file name without its extension, else a date. */
const defaultTitle = (fileName: string) =>
  fileName.replace(/\.[A-Za-z0-9]{1,5}$/, '').trim() || `Call ${new Date().toISOString().slice(0, 16)}`;

export async function createCall(
  deps: CallDeps,
  orgId: string,
  actor: Actor,
  input: NewCall,
): Promise<CallSummary> {
  const { limits, rubricOk } = await withTenant(deps.database, [orgId], async (tx) => ({
    limits: await readCallSettings(tx, orgId),
    rubricOk: input.rubricId ? Boolean(await findRubric(tx, orgId, input.rubricId)) : true,
  }));
  if (!rubricOk) throw unknownRubric();
  const audio = await sniffAudio(input.bytes, limits);

  const callId = randomUUID();
  const recordingId = randomUUID();
  const blobs = createEncryptedBlobs(deps.blobStore, deps.keyring);
  const ref = await blobs.put(recordingOwner(orgId, recordingId), input.bytes);
  try {
    return await withTenant(deps.database, [orgId], async (tx) => {
      if (input.rubricId && !(await findRubric(tx, orgId, input.rubricId))) throw unknownRubric();
      const email = input.customerEmail?.trim();
      const phone = input.customerPhone?.trim();
      const [row] = await tx
        .insert(calls)
        .values({
          orgId,
          id: callId,
          title: input.title ?? defaultTitle(input.fileName),
          repName: input.repName ?? null,
          mediaType: audio.mediaType,
          byteSize: input.bytes.length,
          durationSeconds: audio.durationSeconds,
          language: input.language ?? null,
          rubricId: input.rubricId ?? null,
          createdBy: actor.type === 'user' ? actor.id : null,
          ...(email
            ? {
                customerEmailHash: subjectHash(deps.keyring, orgId, 'email', email),
                customerEmailCiphertext: encryptSecret(
                  deps.keyring,
                  email,
                  customerLocation(orgId, callId, 'customer_email_ciphertext'),
                ),
              }
            : {}),
          ...(phone
            ? {
                customerPhoneHash: subjectHash(deps.keyring, orgId, 'phone', phone),
                customerPhoneCiphertext: encryptSecret(
                  deps.keyring,
                  phone,
                  customerLocation(orgId, callId, 'customer_phone_ciphertext'),
                ),
              }
            : {}),
        })
        .returning();
      await tx.insert(callRecordings).values({
        orgId,
        id: recordingId,
        callId,
        blobKey: ref.blobKey,
        wrappedKey: ref.wrappedKey,
        keyVersion: ref.keyVersion,
        mediaType: audio.mediaType,
        byteSize: ref.byteSize,
      });
      await recordAudit(tx, deps.keyring, orgId, actor, {
        action: 'calls.uploaded',
        targetType: 'call',
        targetId: callId,
        metadata: { bytes: input.bytes.length, seconds: Math.round(audio.durationSeconds) },
      });
      return summaryOf(row!);
    });
  } catch (error) {
    await blobs.delete(orgId, ref.blobKey).catch(() => {});
    throw error;
  }
}

export type CallFilters = {
  status?: CallStatus | undefined;
  repName?: string | undefined;
  rubricId?: string | undefined;
  minScore?: number | undefined;
  maxScore?: number | undefined;
  from?: string | undefined;
  to?: string | undefined;
  q?: string | undefined;
  cursor?: string | undefined;
  limit: number;
};

const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export async function listCalls(tx: Tx, orgId: string, f: CallFilters): Promise<CallPage> {
  const cursor = f.cursor ? decodeTimeCursor(f.cursor) : null;
  const createdMs = sql`date_trunc('milliseconds', ${calls.createdAt})`;
  const rows = await tx
    .select()
    .from(calls)
    .where(
      and(
        eq(calls.orgId, orgId),
        f.status ? eq(calls.status, f.status) : undefined,
        f.repName !== undefined ? eq(calls.repName, f.repName) : undefined,
        f.rubricId ? eq(calls.rubricId, f.rubricId) : undefined,
        f.minScore !== undefined ? gte(calls.score, f.minScore) : undefined,
        f.maxScore !== undefined ? lte(calls.score, f.maxScore) : undefined,
        f.from ? gte(calls.createdAt, new Date(f.from)) : undefined,
        f.to ? lte(calls.createdAt, new Date(f.to)) : undefined,
        f.q ? ilike(calls.title, likePattern(f.q)) : undefined,
        cursor
          ? sql`(${createdMs}, ${calls.id}) < (${cursor.at}::timestamptz, ${cursor.id}::uuid)`
          : undefined,
      ),
    )
    .orderBy(desc(createdMs), desc(calls.id))
    .limit(f.limit + 1);
  const page = rows.slice(0, f.limit);
  const last = page.at(-1);
  return {
    calls: page.map(summaryOf),
    nextCursor:
      rows.length > f.limit && last
        ? encodeTimeCursor({ at: last.createdAt.toISOString(), id: last.id })
        : null,
  };
}

async function callRow(tx: Tx, orgId: string, id: string): Promise<CallRow> {
  const [row] = await tx
    .select()
    .from(calls)
    .where(and(eq(calls.orgId, orgId), eq(calls.id, id)));
  if (!row) throw notFound('Call');
  return row;
}

export async function readSegments(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  callId: string,
): Promise<CallSegment[]> {
  const rows = await tx
    .select()
    .from(callSegments)
    .where(and(eq(callSegments.orgId, orgId), eq(callSegments.callId, callId)))
    .orderBy(asc(callSegments.index));
  return rows.map((r) => ({
    index: r.index,
    start: r.startSeconds,
    end: r.endSeconds,
    speaker: r.speaker,
    text: decryptSecret(keyring, r.textCiphertext, segmentLocation(orgId, r.id)),
  }));
}

type ScoreDetails = {
  criteria: { criterionId: string; rationale: string; evidence: CallCriterionScore['evidence'] }[];
};

export async function readScores(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  callId: string,
): Promise<CallScore[]> {
  const rows = await tx
    .select()
    .from(callScores)
    .where(and(eq(callScores.orgId, orgId), eq(callScores.callId, callId)))
    .orderBy(desc(callScores.createdAt));
  return rows.map((r) => {
    const details = JSON.parse(
      decryptSecret(keyring, r.detailsCiphertext, scoreLocation(orgId, r.id)),
    ) as ScoreDetails;
    const byId = new Map(details.criteria.map((d) => [d.criterionId, d]));
    return {
      rubricId: r.rubricId,
      rubricName: r.rubricName,
      total: r.total,
      criteria: r.criteria.map((c) => ({
        ...c,
        rationale: byId.get(c.criterionId)?.rationale ?? '',
        evidence: byId.get(c.criterionId)?.evidence ?? [],
      })),
      providerId: r.providerId,
      model: r.model,
      scoredAt: r.createdAt.toISOString(),
    };
  });
}

export async function readCoaching(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  callId: string,
): Promise<CallCoaching | null> {
  const [row] = await tx
    .select()
    .from(callCoaching)
    .where(and(eq(callCoaching.orgId, orgId), eq(callCoaching.callId, callId)));
  if (!row) return null;
  return JSON.parse(
    decryptSecret(keyring, row.coachingCiphertext, coachingLocation(orgId, row.id)),
  ) as CallCoaching;
}

export async function getCall(tx: Tx, keyring: Keyring, orgId: string, id: string): Promise<CallDetail> {
  const row = await callRow(tx, orgId, id);
  const [metrics] = await tx
    .select()
    .from(callMetrics)
    .where(and(eq(callMetrics.orgId, orgId), eq(callMetrics.callId, id)));
  return {
    ...summaryOf(row),
    diarized: row.diarized,
    repSpeaker: row.repSpeaker,
    segments: await readSegments(tx, keyring, orgId, id),
    metrics: (metrics?.metrics as CallMetrics | undefined) ?? null,
    scores: await readScores(tx, keyring, orgId, id),
    coaching: await readCoaching(tx, keyring, orgId, id),
  };
}

export type CallChangesInput = {
  title?: string | undefined;
  repName?: string | null | undefined;
  repSpeaker?: string | undefined;
};

/** Changes title, rep or rep speaker. A new rep speaker needs the metrics recomputed (the caller). */
export async function updateCall(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  actor: Actor,
  id: string,
  changes: CallChangesInput,
): Promise<{ repSpeakerChanged: boolean }> {
  const row = await callRow(tx, orgId, id);
  if (changes.repSpeaker !== undefined) {
    const [found] = await tx
      .select({ speaker: callSegments.speaker })
      .from(callSegments)
      .where(
        and(
          eq(callSegments.orgId, orgId),
          eq(callSegments.callId, id),
          eq(callSegments.speaker, changes.repSpeaker),
        ),
      )
      .limit(1);
    if (!found && row.status === 'ready') {
      throw new AppError('validation_failed', 'The request does not match the expected shape', [
        { path: 'body.repSpeaker', message: 'is not a speaker of this call' },
      ]);
    }
  }
  await tx
    .update(calls)
    .set({
      ...(changes.title !== undefined ? { title: changes.title } : {}),
      ...(changes.repName !== undefined ? { repName: changes.repName } : {}),
      ...(changes.repSpeaker !== undefined ? { repSpeaker: changes.repSpeaker } : {}),
      updatedAt: new Date(),
    })
    .where(and(eq(calls.orgId, orgId), eq(calls.id, id)));
  await recordAudit(tx, keyring, orgId, actor, {
    action: 'calls.updated',
    targetType: 'call',
    targetId: id,
    metadata: { fields: Object.keys(changes).length },
  });
  return { repSpeakerChanged: changes.repSpeaker !== undefined && changes.repSpeaker !== row.repSpeaker };
}

/**
 * Deletes calls (rows of every call table, by cascade) and then their audio files. Used by the
 * API delete, erasure and the org's call purge. Returns the blob keys it deleted.
 */
export async function deleteCallsAndAudio(
  deps: CallDeps,
  orgId: string,
  callIds: string[],
  inTx: (tx: Tx) => Promise<void> = async () => {},
): Promise<number> {
  if (callIds.length === 0) return 0;
  const blobKeys = await withTenant(deps.database, [orgId], async (tx) => {
    const recordings = await tx
      .select({ blobKey: callRecordings.blobKey })
      .from(callRecordings)
      .where(
        and(
          eq(callRecordings.orgId, orgId),
          sql`${callRecordings.callId} = any(${`{${callIds.join(',')}}`}::uuid[])`,
        ),
      );
    await tx
      .delete(calls)
      .where(and(eq(calls.orgId, orgId), sql`${calls.id} = any(${`{${callIds.join(',')}}`}::uuid[])`));
    await inTx(tx);
    return recordings.map((r) => r.blobKey);
  });
  for (const key of blobKeys) await deps.blobStore.delete(orgId, key);
  return blobKeys.length;
}

export async function deleteCall(deps: CallDeps, orgId: string, actor: Actor, id: string): Promise<void> {
  await withTenant(deps.database, [orgId], (tx) => callRow(tx, orgId, id));
  await deleteCallsAndAudio(deps, orgId, [id], (tx) =>
    recordAudit(tx, deps.keyring, orgId, actor, {
      action: 'calls.deleted',
      targetType: 'call',
      targetId: id,
    }),
  );
}

/** The decrypted audio of a call, with its media type. */
export async function readCallAudio(
  deps: CallDeps,
  orgId: string,
  callId: string,
): Promise<{ bytes: Buffer; mediaType: string }> {
  const recording = await withTenant(deps.database, [orgId], async (tx) => {
    await callRow(tx, orgId, callId);
    const [r] = await tx
      .select()
      .from(callRecordings)
      .where(and(eq(callRecordings.orgId, orgId), eq(callRecordings.callId, callId)));
    return r;
  });
  if (!recording) throw new AppError('not_found', 'The recording of this call is no longer kept');
  const blobs = createEncryptedBlobs(deps.blobStore, deps.keyring);
  const bytes = await blobs.get(recordingOwner(orgId, recording.id), recording);
  return { bytes, mediaType: recording.mediaType };
}
