import type { AppDeps } from '../../../deps.js';
import type { AgentVoiceSettings } from '../../../platform/db/schema/index.js';
import { AppError } from '../../../platform/errors.js';

/**
 * The two speech calls a voice turn makes, through the models module's speech layer
 * (modules/models/speech/: the org's own providers only, metered like chat calls). This file is
 * the only place the voice turn code touches it.
 */
export type TranscribeInput = {
  orgId: string;
  agentId: string;
  choice: NonNullable<AgentVoiceSettings['transcription']>;
  audio: Uint8Array;
  mimeType: string;
  signal: AbortSignal;
};

export type SynthesizeInput = {
  orgId: string;
  agentId: string;
  choice: NonNullable<AgentVoiceSettings['speech']>;
  text: string;
  signal: AbortSignal;
};

export type SpokenAudio = { mimeType: string; chunks: AsyncIterable<Uint8Array> };

export async function transcribeTurn(_deps: AppDeps, _input: TranscribeInput): Promise<string> {
  throw new AppError('unavailable', 'Speech is not available on this server yet');
}

export async function synthesizeSentence(_deps: AppDeps, _input: SynthesizeInput): Promise<SpokenAudio> {
  throw new AppError('unavailable', 'Speech is not available on this server yet');
}
