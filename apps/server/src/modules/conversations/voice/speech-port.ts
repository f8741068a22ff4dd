import type { AppDeps } from '../../../deps.js';
import type { AgentVoiceSettings } from '../../../platform/db/schema/index.js';
import { resolveSpeechModel, synthesizeSpeech, transcribeAudio } from '../../models/speech/index.js';

/**
 * The two speech calls a voice turn makes, through the models module's speech layer
 * (modules/models/speech/: the org's own providers only, metered in model_calls with purpose
 * 'voice'). This file is the only place the voice turn code touches it.
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

export async function transcribeTurn(deps: AppDeps, input: TranscribeTurnInput): Promise<string> {
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
  });
  return transcript.text;
}

/** One sentence read aloud: MP3, which every browser plays, streamed as the provider sends it. */
export async function synthesizeSentence(
  deps: AppDeps,
  input: SynthesizeSentenceInput,
): Promise<{ mimeType: string; stream: ReadableStream<Uint8Array> }> {
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
  });
  return { mimeType: spoken.mediaType, stream: spoken.stream };
}
