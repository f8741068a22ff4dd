import type { FetchFunction } from '../../../platform/net/guarded-fetch.js';
import { DEFAULT_BASE_URLS, ProviderConfigurationError } from '../provider-registry.js';
import { UnusableResponseError } from './speech-errors.js';
import type { ResolvedSpeechModel, SpeechFormat, TranscriptSegment } from './types.js';

/** What every protocol client gets: how to reach the provider and when to stop. */
export type ProtocolContext = { fetch: FetchFunction; signal: AbortSignal };

export type TranscriptionRequest = { audio: Uint8Array; mediaType: string; language?: string };

/** A transcript as one provider reported it; speakers still the provider's labels. */
export type ProviderTranscript = {
  text: string;
  language?: string;
  durationSeconds?: number;
  segments: (Omit<TranscriptSegment, 'speaker'> & { speaker?: string | number })[];
  diarized: boolean;
};

export type SpeechRequest = { text: string; voice?: string; format: SpeechFormat };

/** The provider's audio response (status checked), and how to turn its body into the format asked for. */
export type ProviderSpeech = { body: ReadableStream<Uint8Array>; prefix?: Uint8Array };

/** The endpoint of a model: its configured base URL, else the kind's public one (no trailing slash). */
export function baseUrlOf(model: ResolvedSpeechModel): string {
  const base = model.baseUrl ?? DEFAULT_BASE_URLS[model.kind];
  if (!base) throw new ProviderConfigurationError(`Provider kind ${model.kind} needs a base URL`);
  return base.replace(/\/+$/, '');
}

/** A file name whose extension tells the provider the container (some read only the name). */
export function audioFileName(mediaType: string): string {
  const type = mediaType.split(';')[0]!.trim().toLowerCase();
  const ext: Record<string, string> = {
    'audio/wav': 'wav',
    'audio/x-wav': 'wav',
    'audio/wave': 'wav',
    'audio/mpeg': 'mp3',
    'audio/mp3': 'mp3',
    'audio/mp4': 'm4a',
    'audio/m4a': 'm4a',
    'audio/x-m4a': 'm4a',
    'audio/ogg': 'ogg',
    'audio/opus': 'ogg',
    'audio/webm': 'webm',
    'video/webm': 'webm',
    'audio/flac': 'flac',
    'audio/x-flac': 'flac',
  };
  return `audio.${ext[type] ?? 'bin'}`;
}

/** The JSON body of a 2xx answer, or UnusableResponseError. */
export async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch (error) {
    if (error instanceof DOMException || (error instanceof Error && error.name === 'AbortError')) throw error;
    throw new UnusableResponseError('The provider answered with something that is not JSON.');
  }
}

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
export const num = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : undefined;
export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
