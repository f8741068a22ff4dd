import { setTimeout as sleep } from 'node:timers/promises';
import type { Database } from '../../../platform/db/client.js';
import { AppError } from '../../../platform/errors.js';
import { createGuardedFetch } from '../../../platform/net/guarded-fetch.js';
import type { OutboundPolicy } from '../../../platform/net/outbound-policy.js';
import { type MeteredUsage, type ModelCallOutcome, meterModelCall } from '../gateway.js';
import { ProviderConfigurationError } from '../provider-registry.js';
import { AttemptTimeoutError, retryDelayMs } from '../retry-policy.js';
import { deepgramTranscribe } from './deepgram.js';
import { elevenLabsTranscribe } from './elevenlabs.js';
import { openAiTranscribe } from './openai-audio.js';
import type { ProtocolContext, ProviderTranscript, TranscriptionRequest } from './protocol.js';
import { createSpeakerLabeler } from './speakers.js';
import { toSpeechProviderError } from './speech-errors.js';
import type { ResolvedSpeechModel, SpeechPurpose, Transcript } from './types.js';
import { wavDurationSeconds } from './wav.js';

/** What speech calls need: the database (metering) and the outbound policy (tenant URLs). */
export type SpeechDeps = { database: Database; net: OutboundPolicy };

export type TranscribeInput = {
  orgId: string;
  model: ResolvedSpeechModel;
  audio: Uint8Array;
  /** The audio's media type as uploaded (audio/wav, audio/webm, audio/mpeg…). */
  mediaType: string;
  /** ISO 639-1 code; absent: the provider detects it. */
  language?: string;
  purpose: SpeechPurpose;
  conversationId?: string | null;
  signal?: AbortSignal;
  /**
   * How long one attempt may take in all (audio up, transcript back). Default: the provider's
   * timeoutMs for 'voice' and 'test'; CALL_TRANSCRIPTION_TIMEOUT_MS for 'call' (long recordings).
   */
  timeoutMs?: number;
  /** Called after each attempt is metered (usage/quota-watch.ts keeps the month's running cost). */
  onMetered?: (usage: MeteredUsage) => void;
};

/** A long call takes a provider minutes; the provider row's 1–120 s first-token deadline is too short. */
export const CALL_TRANSCRIPTION_TIMEOUT_MS = 10 * 60_000;
/** A transcript's JSON (with word timings) of hours of audio stays far below this. */
const MAX_TRANSCRIPT_BYTES = 32 * 1024 * 1024;

/**
 * Speech to text with one of the org's transcription models: the audio goes to the provider as
 * it is (no redaction is possible on audio: the org chose this provider for it), the transcript
 * comes back with segments in seconds and, when the provider tells speakers apart, labels 'A',
 * 'B'… Each attempt (the first and up to the provider's maxRetries, for retryable failures:
 * retry-policy.ts) is metered in model_calls with the audio's seconds and its cost; ids and
 * counts only, never audio or text.
 *
 * Throws SpeechProviderError (reason timeout / unavailable / refused) when the provider fails
 * for good, and the signal's reason when aborted.
 */
export async function transcribeAudio(deps: SpeechDeps, input: TranscribeInput): Promise<Transcript> {
  if (input.model.type !== 'transcription') {
    throw new AppError('validation_failed', 'model: not a transcription model');
  }
  if (input.audio.length === 0) throw new AppError('validation_failed', 'audio: empty');
  const timeoutMs =
    input.timeoutMs ?? (input.purpose === 'call' ? CALL_TRANSCRIPTION_TIMEOUT_MS : input.model.timeoutMs);
  for (let attempt = 0; ; attempt++) {
    const result = await transcribeAttempt(deps, input, timeoutMs);
    if ('transcript' in result) return result.transcript;
    const wait = attempt < input.model.maxRetries ? retryDelayMs(result.error, attempt) : null;
    if (wait === null) throw toSpeechProviderError(result.error, timeoutMs);
    try {
      await sleep(wait, undefined, input.signal ? { signal: input.signal } : {});
    } catch {
      throw abortReason(input.signal);
    }
  }
}

async function transcribeAttempt(
  deps: SpeechDeps,
  input: TranscribeInput,
  timeoutMs: number,
): Promise<{ transcript: Transcript } | { error: unknown }> {
  const started = performance.now();
  let outcome: ModelCallOutcome = 'error';
  let audioSeconds = 0;
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new AttemptTimeoutError(timeoutMs)), timeoutMs);
  const signal = input.signal ? AbortSignal.any([input.signal, deadline.signal]) : deadline.signal;
  const ctx: ProtocolContext = {
    // The guard's own deadline is a backstop behind the attempt's.
    fetch: createGuardedFetch(deps.net, {
      timeoutMs: timeoutMs + 5_000,
      maxResponseBytes: MAX_TRANSCRIPT_BYTES,
    }),
    signal,
  };
  try {
    const request: TranscriptionRequest = {
      audio: input.audio,
      mediaType: input.mediaType,
      ...(input.language ? { language: input.language } : {}),
    };
    const raw = await PROTOCOLS[input.model.kind](input.model, ctx, request);
    const transcript = normalise(raw, input.audio);
    audioSeconds = transcript.durationSeconds;
    outcome = 'ok';
    return { transcript };
  } catch (error) {
    if (input.signal?.aborted) {
      outcome = 'aborted';
      throw abortReason(input.signal);
    }
    if (deadline.signal.aborted) {
      outcome = 'timeout';
      return { error: deadline.signal.reason };
    }
    return { error };
  } finally {
    clearTimeout(timer);
    const costUsd = await meterModelCall(
      deps.database,
      {
        orgId: input.orgId,
        conversationId: input.conversationId ?? null,
        purpose: input.purpose,
        model: input.model.model,
        provider: input.model,
      },
      {
        outcome,
        redactions: 0,
        inputTokens: 0,
        outputTokens: 0,
        durationMs: Math.round(performance.now() - started),
        audioSeconds,
      },
    );
    input.onMetered?.({ inputTokens: 0, outputTokens: 0, costUsd });
  }
}

type Transcriber = (
  model: ResolvedSpeechModel,
  ctx: ProtocolContext,
  request: TranscriptionRequest,
) => Promise<ProviderTranscript>;

const refuseKind: Transcriber = async (model) => {
  throw new ProviderConfigurationError(`Provider kind ${model.kind} has no transcription models`);
};

const PROTOCOLS: Record<ResolvedSpeechModel['kind'], Transcriber> = {
  openai: openAiTranscribe,
  'openai-compatible': openAiTranscribe,
  deepgram: deepgramTranscribe,
  elevenlabs: elevenLabsTranscribe,
  anthropic: refuseKind,
  google: refuseKind,
  xai: refuseKind,
  perplexity: refuseKind,
  mistral: refuseKind,
  azure: refuseKind,
  'amazon-bedrock': refuseKind,
};

/** Speakers relabelled 'A', 'B'…; a duration always (provider's, WAV header's, last segment's end). */
function normalise(raw: ProviderTranscript, audio: Uint8Array): Transcript {
  const label = createSpeakerLabeler();
  const segments = raw.segments.map((s) => ({
    start: s.start,
    end: s.end,
    text: s.text,
    ...(raw.diarized && s.speaker !== undefined ? { speaker: label(s.speaker) } : {}),
  }));
  const durationSeconds =
    raw.durationSeconds ?? wavDurationSeconds(audio) ?? segments.reduce((end, s) => Math.max(end, s.end), 0);
  return {
    text: raw.text,
    ...(raw.language ? { language: raw.language } : {}),
    durationSeconds: Math.round(durationSeconds * 1000) / 1000,
    segments,
    diarized: raw.diarized,
  };
}

export function abortReason(signal: AbortSignal | undefined): unknown {
  return signal?.reason ?? new DOMException('The operation was aborted', 'AbortError');
}
