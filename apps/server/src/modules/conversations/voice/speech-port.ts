import type { AppDeps } from '../../../deps.js';
import type { AgentVoiceSettings } from '../../../platform/db/schema/index.js';
import { AppError } from '../../../platform/errors.js';
import { resolveSpeechModel, synthesizeSpeech, transcribeAudio } from '../../models/speech/index.js';
import { checkModelQuota } from '../../usage/model-quota.js';
import { noteModelUsage } from '../../usage/quota-watch.js';

/**
 * The two speech calls a voice turn makes, through the models module's speech layer
 * (modules/models/speech/: the org's own providers only, metered in model_calls with purpose
 * 'voice'). This file is the only place the voice turn code touches it.
 *
 * Both obey the org's monthly limits (usage/model-quota.ts): past 100% neither calls the provider
 * (429 quota_exceeded), and what each call costs is added to the process's running total of the
 * month (quota-watch.ts), so the call that crosses a limit is noticed at once.
 */
export type TranscribeTurnInput = {
  orgId: string;
  conversationId: string;
  choice: NonNullable<AgentVoiceSettings['transcription']>;
  audio: Uint8Array;
  mimeType: string;
  signal: AbortSignal;
};

export type SynthesizeSentenceInput = {
  orgId: string;
  conversationId: string;
  choice: NonNullable<AgentVoiceSettings['speech']>;
  text: string;
  signal: AbortSignal;
};

/**
 * What the visitor is told past the org's monthly limit. It says nothing of the business's usage
 * or billing: the visitor only needs to know that typing still works.
 */
export const VOICE_PAUSED = 'Voice is not available right now; please type your question';

/** Whether the org's month is past 100% of a limit: then no speech call is made. */
export async function speechOverQuota(deps: AppDeps, orgId: string): Promise<boolean> {
  return (await checkModelQuota(deps, orgId)).exceeded;
}

async function refuseOverQuota(deps: AppDeps, orgId: string): Promise<void> {
  if (await speechOverQuota(deps, orgId)) throw new AppError('quota_exceeded', VOICE_PAUSED);
}

/** Throws AppError quota_exceeded (429) past the org's monthly limit, before any provider call. */
export async function transcribeTurn(deps: AppDeps, input: TranscribeTurnInput): Promise<string> {
  await refuseOverQuota(deps, input.orgId);
  const model = await resolveSpeechModel(deps, input.orgId, input.choice, 'transcription');
  const transcript = await transcribeAudio(deps, {
    orgId: input.orgId,
    model,
    audio: input.audio,
    // The provider wants the container type, not the codec parameter.
    mediaType: input.mimeType.split(';')[0]!,
    purpose: 'voice',
    conversationId: input.conversationId,
    signal: input.signal,
    onMetered: (usage) => noteModelUsage(input.orgId, usage),
  });
  return transcript.text;
}

/**
 * One sentence read aloud: MP3, which every browser plays, streamed as the provider sends it.
 * Throws AppError quota_exceeded (429) past the org's monthly limit, before any provider call.
 */
export async function synthesizeSentence(
  deps: AppDeps,
  input: SynthesizeSentenceInput,
): Promise<{ mimeType: string; stream: ReadableStream<Uint8Array> }> {
  await refuseOverQuota(deps, input.orgId);
  const model = await resolveSpeechModel(deps, input.orgId, input.choice, 'speech');
  const spoken = await synthesizeSpeech(deps, {
    orgId: input.orgId,
    model,
    text: input.text,
    ...(input.choice.voice ? { voice: input.choice.voice } : {}),
    format: 'mp3',
    purpose: 'voice',
    conversationId: input.conversationId,
    signal: input.signal,
    onMetered: (usage) => noteModelUsage(input.orgId, usage),
  });
  return { mimeType: spoken.mediaType, stream: spoken.stream };
}
