import type { ProviderKind } from '../provider-registry.js';

/** The two speech model types of a provider (ProviderModel.type). */
export type SpeechModelType = 'transcription' | 'speech';

/** Why speech is used, recorded as model_calls.purpose: the widget's voice, an uploaded call, a connection test. */
export type SpeechPurpose = 'voice' | 'call' | 'test';

/** Audio formats speech can be asked for (the provider's nearest format; WAV may be wrapped here). */
export type SpeechFormat = 'mp3' | 'opus' | 'wav' | 'pcm';

/** The media type of each format: pcm is raw signed 16-bit little-endian mono at 24 kHz (no header). */
export const SPEECH_MEDIA_TYPES: Record<SpeechFormat, string> = {
  mp3: 'audio/mpeg',
  opus: 'audio/ogg',
  wav: 'audio/wav',
  pcm: 'audio/pcm;rate=24000;channels=1',
};

/**
 * A transcription or speech model of one of the org's providers, key decrypted (kept in memory
 * for the call only), as resolveSpeechModel found it. Only ever built from the org's own
 * provider rows: never the server's, never another org's.
 */
export type ResolvedSpeechModel = {
  providerId: string;
  kind: ProviderKind;
  type: SpeechModelType;
  model: string;
  /** Absent: the kind's public endpoint (provider-registry.ts DEFAULT_BASE_URLS). */
  baseUrl?: string;
  apiKey?: string;
  /** How long one attempt may wait for the provider's first byte (the provider row's timeoutMs). */
  timeoutMs: number;
  /** Retries after a retryable failure before anything arrived (the provider row's maxRetries). */
  maxRetries: number;
};

/** One stretch of a transcript; times in seconds from the start of the audio. */
export type TranscriptSegment = {
  start: number;
  end: number;
  text: string;
  /** 'A', 'B', … in order of first appearance, when the provider told speakers apart. */
  speaker?: string;
};

export type Transcript = {
  text: string;
  /** ISO 639-1 code when the provider reported a language (OpenAI's names mapped: languages.ts). */
  language?: string;
  /** Length of the audio in seconds (the provider's figure, else the WAV header's, else the last segment's end). */
  durationSeconds: number;
  segments: TranscriptSegment[];
  /** Whether segments carry speaker labels. */
  diarized: boolean;
};

export type SynthesizedSpeech = {
  mediaType: string;
  /** The audio as the provider sends it; cancel it to stop the provider (metered as aborted). */
  stream: ReadableStream<Uint8Array>;
};
