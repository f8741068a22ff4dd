import { randomUUID } from 'node:crypto';
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { BlobStore } from '../../../platform/blobs/blob-store.js';
import { createEncryptedBlobs } from '../../../platform/blobs/encrypted-blob-store.js';
import type { Keyring } from '../../../platform/crypto/keyring.js';
import type { Database, Tx } from '../../../platform/db/client.js';
import {
  type AgentRow,
  consentRecords,
  messages,
  voiceRecordings,
} from '../../../platform/db/schema/index.js';
import { withTenant } from '../../../platform/db/tenancy.js';
import { AppError } from '../../../platform/errors.js';
import { recordAudit } from '../../audit/service.js';
import { noticeHash } from '../../privacy/consent/service.js';
import { effectivePeriods } from '../../privacy/retention/retention-policy.js';
import { visitorActor } from '../service.js';
import { lockConversation } from '../state.js';

/**
 * Kept voice messages (docs/ARCHITECTURE.md, "Voice in the widget"). The rule, decided here on
 * the server and never by the widget: a voice turn's audio is kept only when
 *   1. the agent records (`voice.recordAudio`, which needs voice on and `storeTranscripts`), and
 *   2. the conversation holds a consent record for the purpose `voice_recording` that is
 *      `granted` and not withdrawn (the visitor ticked "Keep a recording of my voice messages").
 * Otherwise the audio lives in memory for its turn only (voice-turns.ts).
 *
 * A kept recording is envelope-encrypted in the blob store (one data key per file, wrapped and
 * bound to its `voice_recordings` row), follows the `recordings` retention period and goes with
 * its conversation. Withdrawing the consent (unticking, or "Forget my details") deletes every
 * recording of the conversation: rows in the transaction, files right after it committed.
 */
export const VOICE_RECORDING_PURPOSE = 'voice_recording';
/** consent_records.step_id of the voice checkbox (it is not a flow step). */
export const VOICE_RECORDING_STEP = 'voice';

/** The exact text next to the checkbox; its SHA-256 is what the consent record holds. */
export const voiceConsentText = (days: number) =>
  `Keep a recording of my voice messages (encrypted, deleted after ${days === 1 ? '1 day' : `${days} days`} or as soon as I withdraw).`;

export type RecordingDeps = { database: Database; keyring: Keyring; blobStore: BlobStore };

export const voiceRecordingOwner = (orgId: string, rowId: string) => ({
  orgId,
  table: 'voice_recordings',
  column: 'wrapped_key',
  rowId,
});

/** The enforced `recordings` period of the org (days; the category cannot be "keep"). */
export async function recordingDays(tx: Tx, orgId: string): Promise<number> {
  return (await effectivePeriods(tx, orgId)).recordings ?? 90;
}

/** Whether the agent offers recording: voice on, recordAudio on, and transcripts stored. */
export const agentRecords = (agent: Pick<AgentRow, 'voice' | 'storeTranscripts'>) =>
  agent.voice.enabled && agent.voice.recordAudio && agent.storeTranscripts;

async function activeRecordingConsents(tx: Tx, orgId: string, conversationId: string) {
  return tx
    .select({ id: consentRecords.id })
    .from(consentRecords)
    .where(
      and(
        eq(consentRecords.orgId, orgId),
        eq(consentRecords.conversationId, conversationId),
        eq(consentRecords.purpose, VOICE_RECORDING_PURPOSE),
        eq(consentRecords.outcome, 'granted'),
        isNull(consentRecords.withdrawnAt),
      ),
    );
}

/** True when the conversation has a granted, not withdrawn voice-recording consent. */
export async function hasRecordingConsent(tx: Tx, orgId: string, conversationId: string): Promise<boolean> {
  return (await activeRecordingConsents(tx, orgId, conversationId)).length > 0;
}

/**
 * Deletes the conversation's recording rows (in the caller's transaction) and returns their blob
 * keys: the caller deletes the files once the transaction committed.
 */
export async function deleteRecordingRows(
  tx: Tx,
  orgId: string,
  conversationIds: string[],
): Promise<string[]> {
  if (conversationIds.length === 0) return [];
  const rows = await tx
    .delete(voiceRecordings)
    .where(and(eq(voiceRecordings.orgId, orgId), inArray(voiceRecordings.conversationId, conversationIds)))
    .returning({ blobKey: voiceRecordings.blobKey });
  return rows.map((r) => r.blobKey);
}

/** Blob keys of the conversations' recordings (read before rows go by another path). */
export async function recordingBlobKeys(tx: Tx, orgId: string, conversationIds: string[]): Promise<string[]> {
  if (conversationIds.length === 0) return [];
  const rows = await tx
    .select({ blobKey: voiceRecordings.blobKey })
    .from(voiceRecordings)
    .where(and(eq(voiceRecordings.orgId, orgId), inArray(voiceRecordings.conversationId, conversationIds)));
  return rows.map((r) => r.blobKey);
}

export async function deleteBlobFiles(blobStore: BlobStore, orgId: string, keys: string[]): Promise<void> {
  // A file whose deletion fails is unreadable anyway: its wrapped key went with the row.
  for (const key of new Set(keys)) await blobStore.delete(orgId, key).catch(() => {});
}

/**
 * Marks the conversation's voice-recording consents withdrawn and deletes its recordings' rows.
 * Returns the blob keys to delete after commit. Audit: ids and counts.
 */
export async function withdrawRecordingConsent(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  conversationId: string,
): Promise<{ withdrawn: number; blobKeys: string[] }> {
  const active = await activeRecordingConsents(tx, orgId, conversationId);
  if (active.length > 0)
    await tx
      .update(consentRecords)
      .set({ withdrawnAt: sql`now()` })
      .where(
        and(
          eq(consentRecords.orgId, orgId),
          inArray(
            consentRecords.id,
            active.map((a) => a.id),
          ),
        ),
      );
  const blobKeys = await deleteRecordingRows(tx, orgId, [conversationId]);
  if (active.length > 0 || blobKeys.length > 0)
    await recordAudit(tx, keyring, orgId, visitorActor(conversationId), {
      action: 'voice_recordings.consent_withdrawn',
      targetType: 'conversation',
      targetId: conversationId,
      metadata: { consents: active.length, deletedRecordings: blobKeys.length },
    });
  return { withdrawn: active.length, blobKeys };
}

/**
 * The visitor's answer to the checkbox. Granted: a `granted` record (unless one is active
 * already). Declined: a `declined` record, and any earlier grant is withdrawn, deleting the
 * recordings. The notice hash is of the server's own text (voiceConsentText), never the client's.
 */
export async function recordVoiceConsent(
  deps: RecordingDeps,
  agent: AgentRow,
  conversationId: string,
  granted: boolean,
): Promise<{ granted: boolean; deletedRecordings: number }> {
  const orgId = agent.orgId;
  if (!agentRecords(agent)) throw new AppError('conflict', 'This agent does not keep voice recordings');
  const { blobKeys, granted: now } = await withTenant(deps.database, [orgId], async (tx) => {
    const conversation = await lockConversation(tx, orgId, conversationId);
    if (conversation.ephemeral) throw new AppError('conflict', 'This conversation keeps nothing');
    const active = await hasRecordingConsent(tx, orgId, conversationId);
    if (granted && active) return { blobKeys: [] as string[], granted: true };
    let blobKeys: string[] = [];
    if (!granted)
      blobKeys = (await withdrawRecordingConsent(tx, deps.keyring, orgId, conversationId)).blobKeys;
    const days = await recordingDays(tx, orgId);
    await tx.insert(consentRecords).values({
      orgId,
      conversationId,
      agentId: agent.id,
      stepId: VOICE_RECORDING_STEP,
      purpose: VOICE_RECORDING_PURPOSE,
      noticeHash: noticeHash(voiceConsentText(days)),
      noticeVersion: 1,
      method: 'checkbox',
      outcome: granted ? 'granted' : 'declined',
    });
    await recordAudit(tx, deps.keyring, orgId, visitorActor(conversationId), {
      action: 'consent.recorded',
      targetType: 'conversation',
      targetId: conversationId,
      metadata: { stepId: VOICE_RECORDING_STEP, granted: granted ? 1 : 0, declined: granted ? 0 : 1 },
    });
    return { blobKeys, granted };
  });
  await deleteBlobFiles(deps.blobStore, orgId, blobKeys);
  return { granted: now, deletedRecordings: blobKeys.length };
}

/**
 * Keeps a turn's audio if (and only if) the rule above holds; returns the recording id or null.
 * The file is written first, then the row in a transaction that checks the consent again under
 * the conversation's lock: a withdrawal racing the upload leaves no row, and the file is deleted.
 */
export async function keepTurnAudio(
  deps: RecordingDeps,
  agent: AgentRow,
  input: { conversationId: string; audio: Uint8Array; mediaType: string; durationSeconds: number | null },
): Promise<string | null> {
  const orgId = agent.orgId;
  if (!agentRecords(agent)) return null;
  const consented = await withTenant(deps.database, [orgId], (tx) =>
    hasRecordingConsent(tx, orgId, input.conversationId),
  );
  if (!consented) return null;
  const id = randomUUID();
  const blobs = createEncryptedBlobs(deps.blobStore, deps.keyring);
  const ref = await blobs.put(voiceRecordingOwner(orgId, id), input.audio);
  let kept = false;
  try {
    kept = await withTenant(deps.database, [orgId], async (tx) => {
      const conversation = await lockConversation(tx, orgId, input.conversationId);
      // An ephemeral conversation (started while the agent stored no transcripts) keeps nothing.
      if (conversation.ephemeral) return false;
      if (!(await hasRecordingConsent(tx, orgId, input.conversationId))) return false;
      await tx.insert(voiceRecordings).values({
        orgId,
        id,
        conversationId: input.conversationId,
        blobKey: ref.blobKey,
        wrappedKey: ref.wrappedKey,
        keyVersion: ref.keyVersion,
        mediaType: input.mediaType.split(';')[0]!.trim(),
        byteSize: ref.byteSize,
        durationSeconds: input.durationSeconds,
      });
      return true;
    });
  } finally {
    if (!kept) await deleteBlobFiles(deps.blobStore, orgId, [ref.blobKey]);
  }
  return kept ? id : null;
}

/** Links a kept recording to the visitor message its turn became (by the client's message id). */
export async function linkRecordingToMessage(
  database: Database,
  orgId: string,
  conversationId: string,
  recordingId: string,
  clientMessageId: string,
): Promise<void> {
  await withTenant(database, [orgId], async (tx) => {
    const [message] = await tx
      .select({ id: messages.id })
      .from(messages)
      .where(
        and(
          eq(messages.orgId, orgId),
          eq(messages.conversationId, conversationId),
          eq(messages.clientMessageId, clientMessageId),
        ),
      );
    if (!message) return;
    await tx
      .update(voiceRecordings)
      .set({ messageId: message.id })
      .where(and(eq(voiceRecordings.orgId, orgId), eq(voiceRecordings.id, recordingId)));
  });
}

export type VoiceRecordingView = {
  id: string;
  messageId: string | null;
  mediaType: string;
  byteSize: number;
  durationSeconds: number | null;
  createdAt: string;
};

/** The conversation's kept recordings (metadata only), oldest first. */
export async function listRecordings(
  tx: Tx,
  orgId: string,
  conversationId: string,
): Promise<VoiceRecordingView[]> {
  const rows = await tx
    .select()
    .from(voiceRecordings)
    .where(and(eq(voiceRecordings.orgId, orgId), eq(voiceRecordings.conversationId, conversationId)))
    .orderBy(asc(voiceRecordings.createdAt));
  return rows.map((r) => ({
    id: r.id,
    messageId: r.messageId,
    mediaType: r.mediaType,
    byteSize: r.byteSize,
    durationSeconds: r.durationSeconds,
    createdAt: r.createdAt.toISOString(),
  }));
}

/** One recording's audio, decrypted (404 when it is not this conversation's, or gone). */
export async function readRecording(
  deps: RecordingDeps,
  orgId: string,
  conversationId: string,
  recordingId: string,
): Promise<{ bytes: Buffer; mediaType: string }> {
  const [row] = await withTenant(deps.database, [orgId], (tx) =>
    tx
      .select()
      .from(voiceRecordings)
      .where(
        and(
          eq(voiceRecordings.orgId, orgId),
          eq(voiceRecordings.conversationId, conversationId),
          eq(voiceRecordings.id, recordingId),
        ),
      ),
  );
  if (!row) throw new AppError('not_found', 'Recording not found');
  const blobs = createEncryptedBlobs(deps.blobStore, deps.keyring);
  const bytes = await blobs.get(voiceRecordingOwner(orgId, row.id), row);
  return { bytes, mediaType: row.mediaType };
}
