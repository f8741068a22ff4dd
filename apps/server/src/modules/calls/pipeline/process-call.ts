import { randomUUID } from 'node:crypto';
import type { CallMetrics, CallScore, CallSegment } from '@confidant/contract';
import { and, eq } from 'drizzle-orm';
import type { BaseLogger } from 'pino';
import type { BlobStore } from '../../../platform/blobs/blob-store.js';
import type { Config } from '../../../platform/config.js';
import { encryptSecret } from '../../../platform/crypto/envelope.js';
import type { Keyring } from '../../../platform/crypto/keyring.js';
import type { Database } from '../../../platform/db/client.js';
import {
  callCoaching,
  callMetrics,
  callScores,
  callSegments,
  calls,
  type StoredCriterionScore,
} from '../../../platform/db/schema/index.js';
import { withTenant } from '../../../platform/db/tenancy.js';
import { AppError } from '../../../platform/errors.js';
import type { OutboundPolicy } from '../../../platform/net/outbound-policy.js';
import { resolveSpeechModel, SpeechProviderError, transcribeAudio } from '../../models/speech/index.js';
import { checkModelQuota } from '../../usage/model-quota.js';
import { noteModelUsage } from '../../usage/quota-watch.js';
import { computeCallMetrics } from '../metrics/index.js';
import { defaultRubric, findRubric } from '../rubrics.js';
import { coachCall, scoreCall } from '../scoring/index.js';
import { coachingLocation, readCallAudio, readSegments, scoreLocation, segmentLocation } from '../service.js';
import { readCallSettings } from '../settings.js';

/**
 * Processing one call, in idempotent steps, each committed before the next starts, so a run that
 * dies part-way (a crash, a lost worker) is resumed by the job's retry from the last step done:
 *
 * 1. transcribe (status `transcribing`): skipped when the call already has segments (a
 *    reprocess keeps the transcript). The audio goes only to the org's chosen transcription
 *    model; segments are stored with their text envelope-encrypted (one speaker 'A' when the
 *    provider gives no speakers);
 * 2. measure (status `analyzing`): local metrics, no model;
 * 3. score and coach, when the org chose a scoring model and has a rubric: through the
 *    structured-output gateway, which redacts the transcript (names, emails, phone numbers…)
 *    before the model sees it and restores placeholders in what comes back; evidence is checked
 *    against the stored transcript. A new score replaces the call's earlier one for that rubric;
 * 4. `ready`, `processed_at` set.
 *
 * Failures the org can act on (no transcription model, a provider refusing) fail the call at
 * once with words for it; anything else is retried by the queue and, on the last attempt, fails
 * the call with a generic message (never a provider's raw response).
 *
 * The org's monthly usage limits (usage/model-quota.ts) are checked, fresh from the database,
 * before each step that calls a model (1 and 3): past 100% the step throws CallPaused and nothing
 * is sent to a provider; the job leaves the call `queued` with CALL_PAUSED as its error and checks
 * again later (jobs/process-call-job.ts), resuming from the last step done.
 */
export type CallPipelineDeps = {
  config: Config;
  database: Database;
  keyring: Keyring;
  blobStore: BlobStore;
  net: OutboundPolicy;
  log?: BaseLogger;
};

export const GENERIC_CALL_FAILURE =
  'Processing failed after several attempts. Try again later (Reprocess), or check the models chosen in the call settings.';

/** A failure to show on the call as it is: the org can act on it; retrying would not help. */
export class CallFailure extends Error {}

/** What a call paused by the org's monthly usage limit shows (status `queued`). */
export const CALL_PAUSED =
  "Paused: the organization's monthly usage limit is reached. Processing resumes by itself when the limit allows (next month, or as soon as an admin raises the limit).";

/** The org is past 100% of its monthly limits: the call waits; no provider was called. */
export class CallPaused extends Error {
  constructor() {
    super(CALL_PAUSED);
    this.name = 'CallPaused';
  }
}

async function refuseOverQuota(deps: CallPipelineDeps, orgId: string): Promise<void> {
  // Fresh: the limits may have been raised in another process a moment ago (resumePausedCalls).
  if ((await checkModelQuota(deps, orgId, new Date(), { fresh: true })).exceeded) throw new CallPaused();
}

/** Shows the call as paused (queued, with CALL_PAUSED), keeping whatever steps are done. */
export async function pauseCall(deps: CallPipelineDeps, orgId: string, callId: string) {
  await setStatus(deps, orgId, callId, { status: 'queued', error: CALL_PAUSED, progress: 0 });
}

const progressOf = { transcribing: 0.1, transcribed: 0.5, measured: 0.6, scored: 0.85 } as const;

async function setStatus(
  deps: CallPipelineDeps,
  orgId: string,
  callId: string,
  values: Partial<typeof calls.$inferInsert>,
) {
  await withTenant(deps.database, [orgId], (tx) =>
    tx
      .update(calls)
      .set({ ...values, updatedAt: new Date() })
      .where(and(eq(calls.orgId, orgId), eq(calls.id, callId))),
  );
}

export async function failCall(deps: CallPipelineDeps, orgId: string, callId: string, message: string) {
  await setStatus(deps, orgId, callId, { status: 'failed', error: message, progress: 0 });
}

/** Speech failures in words (the reason, never the provider's body). */
function transcriptionFailure(error: unknown): CallFailure | null {
  if (error instanceof SpeechProviderError) {
    const why =
      error.reason === 'timeout'
        ? 'did not answer in time'
        : error.reason === 'refused'
          ? 'refused the recording (check the provider’s key, model and the recording’s format)'
          : 'was unavailable';
    return error.reason === 'refused' ? new CallFailure(`The transcription provider ${why}.`) : null;
  }
  if (error instanceof AppError && error.code === 'not_found') {
    return new CallFailure(
      'The recording is no longer kept (its retention period ended), so it cannot be transcribed.',
    );
  }
  if (error instanceof AppError && error.code === 'validation_failed') {
    return new CallFailure(
      'The transcription model chosen in the call settings is no longer available (choose another one).',
    );
  }
  return null;
}

export async function processCall(
  deps: CallPipelineDeps,
  orgId: string,
  callId: string,
  signal: AbortSignal,
): Promise<void> {
  const loaded = await withTenant(deps.database, [orgId], async (tx) => {
    const [call] = await tx
      .select()
      .from(calls)
      .where(and(eq(calls.orgId, orgId), eq(calls.id, callId)));
    if (!call) return null;
    return {
      call,
      settings: await readCallSettings(tx, orgId),
      segments: await readSegments(tx, deps.keyring, orgId, callId),
    };
  });
  if (!loaded) return; // deleted meanwhile
  const { call, settings } = loaded;
  // Every request to process a call sets it `queued` first (upload, reprocess, resume): a call
  // already ready or failed has nothing left to do here (a duplicate job, e.g. a paused call's
  // re-check that raced the resume after the limits were raised).
  if (call.status === 'ready' || call.status === 'failed') return;
  let segments = loaded.segments;

  // 1. Transcribe.
  if (segments.length === 0) {
    if (!settings.transcription) {
      throw new CallFailure(
        'No transcription model is chosen for calls: an admin sets one in the call settings, then reprocess the call.',
      );
    }
    await refuseOverQuota(deps, orgId);
    await setStatus(deps, orgId, callId, {
      status: 'transcribing',
      progress: progressOf.transcribing,
      error: null,
    });
    let transcript: Awaited<ReturnType<typeof transcribeAudio>>;
    try {
      const model = await resolveSpeechModel(
        deps,
        orgId,
        settings.transcription,
        'transcription',
        'transcription',
      );
      const audio = await readCallAudio(deps, orgId, callId);
      transcript = await transcribeAudio(deps, {
        orgId,
        model,
        audio: audio.bytes,
        mediaType: audio.mediaType,
        ...(call.language ? { language: call.language } : {}),
        purpose: 'call',
        signal,
        onMetered: (usage) => noteModelUsage(orgId, usage),
      });
    } catch (error) {
      throw transcriptionFailure(error) ?? error;
    }
    segments = transcript.segments
      .filter((s) => s.text.trim().length > 0)
      .map((s, index) => ({
        index,
        start: s.start,
        end: Math.max(s.end, s.start),
        speaker: transcript.diarized && s.speaker ? s.speaker : 'A',
        text: s.text.trim(),
      }));
    if (segments.length === 0) throw new CallFailure('No speech was found in the recording.');
    await storeTranscript(deps, orgId, callId, segments, {
      diarized: transcript.diarized,
      language: call.language ?? normaliseLanguage(transcript.language),
      durationSeconds: transcript.durationSeconds || call.durationSeconds,
    });
  }

  // 2. Measure (local, no model). Scoring's quota is checked first, so a call that will pause
  // does not flash `analyzing` (its metrics are redone when it resumes: they are cheap).
  if (settings.scoring) await refuseOverQuota(deps, orgId);
  await setStatus(deps, orgId, callId, {
    status: 'analyzing',
    progress: progressOf.transcribed,
    error: null,
  });
  const repSpeaker = segments.some((s) => s.speaker === call.repSpeaker)
    ? call.repSpeaker
    : segments[0]!.speaker;
  const metrics = computeCallMetrics(segments, repSpeaker);
  await withTenant(deps.database, [orgId], (tx) =>
    tx
      .insert(callMetrics)
      .values({ orgId, callId, metrics: metrics as unknown as Record<string, unknown> })
      .onConflictDoUpdate({
        target: [callMetrics.orgId, callMetrics.callId],
        set: { metrics: metrics as unknown as Record<string, unknown>, createdAt: new Date() },
      }),
  );
  await setStatus(deps, orgId, callId, { progress: progressOf.measured });

  // 3. Score and coach (the gateway redacts before the model sees anything).
  const rubric = await withTenant(deps.database, [orgId], async (tx) =>
    call.rubricId ? findRubric(tx, orgId, call.rubricId) : defaultRubric(tx, orgId),
  );
  let total: number | null = null;
  if (settings.scoring) {
    const modelDeps = { config: deps.config, database: deps.database, keyring: deps.keyring, net: deps.net };
    let score: CallScore | null = null;
    if (rubric) {
      score = await scoreCall({
        deps: modelDeps,
        orgId,
        model: settings.scoring,
        rubric,
        segments,
        repSpeaker,
        signal,
      });
      await storeScore(deps, orgId, callId, score);
      total = score.total;
      await setStatus(deps, orgId, callId, {
        progress: progressOf.scored,
        rubricId: rubric.id,
        score: total,
      });
    }
    const coaching = await coachCall({
      deps: modelDeps,
      orgId,
      model: settings.scoring,
      segments,
      repSpeaker,
      metrics,
      score,
      signal,
    });
    await storeCoaching(
      deps,
      orgId,
      callId,
      coaching,
      score?.providerId ?? null,
      score?.model ?? settings.scoring.model,
    );
  }

  // 4. Done.
  await setStatus(deps, orgId, callId, {
    status: 'ready',
    progress: 1,
    error: null,
    processedAt: new Date(),
    ...(rubric && !call.rubricId ? { rubricId: rubric.id } : {}),
  });
}

const normaliseLanguage = (language: string | undefined) => {
  if (!language) return null;
  const code = language.trim().toLowerCase();
  if (/^[a-z]{2,3}(-[a-z]{2,4})?$/.test(code)) return code;
  const names: Record<string, string> = {
    english: 'en',
    german: 'de',
    french: 'fr',
    spanish: 'es',
    italian: 'it',
  };
  return names[code] ?? null;
};

async function storeTranscript(
  deps: CallPipelineDeps,
  orgId: string,
  callId: string,
  segments: CallSegment[],
  facts: { diarized: boolean; language: string | null; durationSeconds: number | null },
) {
  await withTenant(deps.database, [orgId], async (tx) => {
    await tx.delete(callSegments).where(and(eq(callSegments.orgId, orgId), eq(callSegments.callId, callId)));
    for (let i = 0; i < segments.length; i += 200) {
      await tx.insert(callSegments).values(
        segments.slice(i, i + 200).map((s) => {
          const id = randomUUID();
          return {
            orgId,
            id,
            callId,
            index: s.index,
            startSeconds: s.start,
            endSeconds: s.end,
            speaker: s.speaker,
            textCiphertext: encryptSecret(deps.keyring, s.text, segmentLocation(orgId, id)),
          };
        }),
      );
    }
    await tx
      .update(calls)
      .set({
        diarized: facts.diarized,
        language: facts.language,
        ...(facts.durationSeconds ? { durationSeconds: facts.durationSeconds } : {}),
        progress: progressOf.transcribed,
        updatedAt: new Date(),
      })
      .where(and(eq(calls.orgId, orgId), eq(calls.id, callId)));
  });
}

async function storeScore(deps: CallPipelineDeps, orgId: string, callId: string, score: CallScore) {
  const id = randomUUID();
  const criteria: StoredCriterionScore[] = score.criteria.map((c) => ({
    criterionId: c.criterionId,
    name: c.name,
    score: c.score,
    min: c.min,
    max: c.max,
    weight: c.weight,
  }));
  const details = JSON.stringify({
    criteria: score.criteria.map((c) => ({
      criterionId: c.criterionId,
      rationale: c.rationale,
      evidence: c.evidence,
    })),
  });
  await withTenant(deps.database, [orgId], async (tx) => {
    await tx
      .delete(callScores)
      .where(
        and(
          eq(callScores.orgId, orgId),
          eq(callScores.callId, callId),
          eq(callScores.rubricId, score.rubricId),
        ),
      );
    await tx.insert(callScores).values({
      orgId,
      id,
      callId,
      rubricId: score.rubricId,
      rubricName: score.rubricName,
      total: score.total,
      criteria,
      detailsCiphertext: encryptSecret(deps.keyring, details, scoreLocation(orgId, id)),
      providerId: score.providerId,
      model: score.model,
    });
  });
}

async function storeCoaching(
  deps: CallPipelineDeps,
  orgId: string,
  callId: string,
  coaching: { wentWell: string[]; tryNext: string[] },
  providerId: string | null,
  model: string,
) {
  const id = randomUUID();
  await withTenant(deps.database, [orgId], async (tx) => {
    await tx.delete(callCoaching).where(and(eq(callCoaching.orgId, orgId), eq(callCoaching.callId, callId)));
    await tx.insert(callCoaching).values({
      orgId,
      id,
      callId,
      coachingCiphertext: encryptSecret(deps.keyring, JSON.stringify(coaching), coachingLocation(orgId, id)),
      providerId,
      model,
    });
  });
}

export type { CallMetrics };
