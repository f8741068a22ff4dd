import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '../../../platform/errors.js';
import { createGuardedFetch } from '../../../platform/net/guarded-fetch.js';
import { type MeteredUsage, type ModelCallOutcome, meterModelCall } from '../gateway.js';
import { ProviderConfigurationError } from '../provider-registry.js';
import { AttemptTimeoutError, retryDelayMs } from '../retry-policy.js';
import { elevenLabsSpeak } from './elevenlabs.js';
import { openAiSpeak } from './openai-audio.js';
import type { ProtocolContext, ProviderSpeech, SpeechRequest } from './protocol.js';
import { toSpeechProviderError, UnusableResponseError } from './speech-errors.js';
import { abortReason, type SpeechDeps } from './transcribe-audio.js';
import {
  type ResolvedSpeechModel,
  SPEECH_MEDIA_TYPES,
  type SpeechFormat,
  type SpeechPurpose,
  type SynthesizedSpeech,
} from './types.js';

export type SynthesizeInput = {
  orgId: string;
  model: ResolvedSpeechModel;
  text: string;
  /** The provider's voice (OpenAI: alloy, nova…; ElevenLabs: a voice id); absent: a default. */
  voice?: string;
  format: SpeechFormat;
  purpose: SpeechPurpose;
  conversationId?: string | null;
  /** Aborting stops the provider, before or during the stream. */
  signal?: AbortSignal /** Called after each attempt is metered (usage/quota-watch.ts keeps the month's running cost). */;
  onMetered?: (usage: MeteredUsage) => void;
};

/** The most text one call may speak (OpenAI's limit is 4096): callers speak long replies sentence by sentence. */
export const MAX_SPEECH_CHARACTERS = 4096;
/** One reply's audio: minutes of it, far below this. */
const MAX_AUDIO_BYTES = 64 * 1024 * 1024;
/** How long the whole audio may take to arrive once it started. */
const SPEECH_STREAM_TIMEOUT_MS = 5 * 60_000;

/**
 * Text to speech with one of the org's speech models, streamed: resolves as soon as the
 * provider's first audio bytes arrived (the provider's timeoutMs is the deadline for them),
 * with a stream that hands on each chunk as the provider sends it. Before the first byte a
 * retryable failure is retried (up to the provider's maxRetries); after it, a failure errors the
 * stream with a SpeechProviderError. Each attempt is metered in model_calls with the characters
 * spoken (0 when nothing was delivered) when it ends: stream finished, failed or cancelled.
 * The text is sent as it is: it is what the visitor will hear, already written for them.
 *
 * Throws SpeechProviderError (reason timeout / unavailable / refused) when no attempt delivered
 * audio, and the signal's reason when aborted.
 */
export async function synthesizeSpeech(deps: SpeechDeps, input: SynthesizeInput): Promise<SynthesizedSpeech> {
  if (input.model.type !== 'speech') throw new AppError('validation_failed', 'model: not a speech model');
  if (!input.text.trim()) throw new AppError('validation_failed', 'text: nothing to speak');
  if (input.text.length > MAX_SPEECH_CHARACTERS) {
    throw new AppError('validation_failed', `text: at most ${MAX_SPEECH_CHARACTERS} characters per call`);
  }
  for (let attempt = 0; ; attempt++) {
    const result = await speechAttempt(deps, input);
    if ('stream' in result) return { mediaType: SPEECH_MEDIA_TYPES[input.format], stream: result.stream };
    const wait = attempt < input.model.maxRetries ? retryDelayMs(result.error, attempt) : null;
    if (wait === null) throw toSpeechProviderError(result.error, input.model.timeoutMs);
    try {
      await sleep(wait, undefined, input.signal ? { signal: input.signal } : {});
    } catch {
      throw abortReason(input.signal);
    }
  }
}

async function speechAttempt(
  deps: SpeechDeps,
  input: SynthesizeInput,
): Promise<{ stream: ReadableStream<Uint8Array> } | { error: unknown }> {
  const started = performance.now();
  const timeoutMs = input.model.timeoutMs;
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new AttemptTimeoutError(timeoutMs)), timeoutMs);
  const signal = input.signal ? AbortSignal.any([input.signal, deadline.signal]) : deadline.signal;
  const ctx: ProtocolContext = {
    fetch: createGuardedFetch(deps.net, {
      timeoutMs: SPEECH_STREAM_TIMEOUT_MS,
      maxResponseBytes: MAX_AUDIO_BYTES,
    }),
    signal,
  };
  let metered = false;
  const meter = async (outcome: ModelCallOutcome, delivered: boolean) => {
    if (metered) return;
    metered = true;
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
        characters: delivered ? input.text.length : 0,
      },
    );
    input.onMetered?.({ inputTokens: 0, outputTokens: 0, costUsd });
  };

  let reader: ReadableStreamDefaultReader<Uint8Array>;
  let first: Uint8Array;
  let prefix: Uint8Array | undefined;
  try {
    const request: SpeechRequest = {
      text: input.text,
      format: input.format,
      ...(input.voice ? { voice: input.voice } : {}),
    };
    const speech = await PROTOCOLS[input.model.kind](input.model, ctx, request);
    prefix = speech.prefix;
    reader = speech.body.getReader();
    let chunk = await reader.read();
    while (!chunk.done && chunk.value.length === 0) chunk = await reader.read();
    if (chunk.done) throw new UnusableResponseError('The provider answered without audio.');
    first = chunk.value;
  } catch (error) {
    clearTimeout(timer);
    if (input.signal?.aborted) {
      await meter('aborted', false);
      throw abortReason(input.signal);
    }
    const timedOut = deadline.signal.aborted;
    await meter(timedOut ? 'timeout' : 'error', false);
    return { error: timedOut ? deadline.signal.reason : error };
  }
  // The first byte is here: from now on only the caller's signal (or the stream's end) stops it.
  clearTimeout(timer);

  // Set when the caller cancels: a read in flight then ends too, and must not meter it as an error.
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      if (prefix) controller.enqueue(prefix);
      controller.enqueue(first);
    },
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (cancelled) return;
        if (done) {
          // Metered before the stream ends, so whoever read it all finds the call recorded (every
          // byte has been delivered by now; only the end waits for the write).
          try {
            await meter('ok', true);
          } finally {
            controller.close();
          }
        } else controller.enqueue(value);
      } catch (error) {
        if (cancelled) return;
        if (input.signal?.aborted) {
          await meter('aborted', true);
          controller.error(abortReason(input.signal));
        } else {
          await meter('error', true);
          controller.error(toSpeechProviderError(error, timeoutMs));
        }
      }
    },
    async cancel() {
      cancelled = true;
      await reader.cancel().catch(() => {});
      await meter('aborted', true);
    },
  });
  return { stream };
}

type Speaker = (
  model: ResolvedSpeechModel,
  ctx: ProtocolContext,
  request: SpeechRequest,
) => Promise<ProviderSpeech>;

const refuseKind: Speaker = async (model) => {
  throw new ProviderConfigurationError(`Provider kind ${model.kind} has no speech models`);
};

const PROTOCOLS: Record<ResolvedSpeechModel['kind'], Speaker> = {
  openai: openAiSpeak,
  'openai-compatible': openAiSpeak,
  elevenlabs: elevenLabsSpeak,
  deepgram: refuseKind,
  anthropic: refuseKind,
  google: refuseKind,
  xai: refuseKind,
  perplexity: refuseKind,
  mistral: refuseKind,
  azure: refuseKind,
  'amazon-bedrock': refuseKind,
};
