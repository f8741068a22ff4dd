import { languageCode } from './languages.js';
import {
  audioFileName,
  baseUrlOf,
  isRecord,
  num,
  type ProtocolContext,
  type ProviderSpeech,
  type ProviderTranscript,
  readJson,
  type SpeechRequest,
  str,
  type TranscriptionRequest,
} from './protocol.js';
import { ensureOk, UnusableResponseError } from './speech-errors.js';
import type { ResolvedSpeechModel, SpeechFormat } from './types.js';
import { wavHeader } from './wav.js';

/**
 * ElevenLabs, with `xi-api-key`:
 * - speech to text: POST {base}/speech-to-text, multipart: model_id, file, diarize=true,
 *   language_code. The answer is words with times and speaker_id; segments are runs of words of
 *   one speaker, split at sentence ends.
 * - text to speech: POST {base}/text-to-speech/{voice_id}/stream?output_format=…, JSON
 *   {text, model_id}: the body streams. WAV is asked for as raw PCM and given a streaming WAV
 *   header here (ElevenLabs' own WAV formats are not on every plan).
 */
export async function elevenLabsTranscribe(
  model: ResolvedSpeechModel,
  ctx: ProtocolContext,
  request: TranscriptionRequest,
): Promise<ProviderTranscript> {
  const url = `${baseUrlOf(model)}/speech-to-text`;
  const form = new FormData();
  form.append('model_id', model.model);
  form.append(
    'file',
    new Blob([request.audio as Uint8Array<ArrayBuffer>], { type: request.mediaType }),
    audioFileName(request.mediaType),
  );
  form.append('diarize', 'true');
  form.append('timestamps_granularity', 'word');
  if (request.language) form.append('language_code', request.language);
  const response = await ctx.fetch(url, {
    method: 'POST',
    headers: apiKey(model),
    body: form,
    signal: ctx.signal,
  });
  await ensureOk(response, url);
  const body = await readJson(response);
  if (!isRecord(body) || typeof body.text !== 'string') {
    throw new UnusableResponseError('The provider answered without a transcript.');
  }
  const words = (Array.isArray(body.words) ? body.words.filter(isRecord) : []).flatMap((w) => {
    const text = str(w.text);
    const start = num(w.start);
    const end = num(w.end);
    if (text === undefined || start === undefined || end === undefined || w.type === 'audio_event') return [];
    return [{ text, start, end, spacing: w.type === 'spacing', speaker: str(w.speaker_id) }];
  });
  const segments: ProviderTranscript['segments'] = [];
  let current: (typeof segments)[number] | null = null;
  for (const word of words) {
    if (word.spacing) {
      if (current) current.text += word.text;
      continue;
    }
    const sameSpeaker = current && current.speaker === word.speaker;
    if (!current || !sameSpeaker || /[.!?]$/.test(current.text.trim())) {
      if (current) segments.push(current);
      current = {
        start: word.start,
        end: word.end,
        text: word.text,
        ...(word.speaker ? { speaker: word.speaker } : {}),
      };
    } else {
      current.text += word.text;
      current.end = word.end;
    }
  }
  if (current) segments.push(current);
  for (const s of segments) s.text = s.text.trim();
  const language = str(body.language_code);
  return {
    text: body.text.trim(),
    ...(language ? { language: languageCode(language) } : {}),
    segments,
    diarized: segments.some((s) => s.speaker !== undefined),
  };
}

export async function elevenLabsSpeak(
  model: ResolvedSpeechModel,
  ctx: ProtocolContext,
  request: SpeechRequest,
): Promise<ProviderSpeech> {
  const voice = encodeURIComponent(request.voice ?? DEFAULT_ELEVENLABS_VOICE);
  const url = `${baseUrlOf(model)}/text-to-speech/${voice}/stream?output_format=${OUTPUT_FORMATS[request.format]}`;
  const response = await ctx.fetch(url, {
    method: 'POST',
    headers: { ...apiKey(model), 'content-type': 'application/json' },
    body: JSON.stringify({ text: request.text, model_id: model.model }),
    signal: ctx.signal,
  });
  await ensureOk(response, url);
  if (!response.body) throw new UnusableResponseError('The provider answered without audio.');
  return { body: response.body, ...(request.format === 'wav' ? { prefix: wavHeader(24_000) } : {}) };
}

/** A premade ElevenLabs voice ("Rachel"), used when the caller names none. */
export const DEFAULT_ELEVENLABS_VOICE = '21m00Tcm4TlvDq8ikWAM';

const OUTPUT_FORMATS: Record<SpeechFormat, string> = {
  mp3: 'mp3_44100_128',
  opus: 'opus_48000_64',
  wav: 'pcm_24000',
  pcm: 'pcm_24000',
};

const apiKey = (model: ResolvedSpeechModel): Record<string, string> =>
  model.apiKey ? { 'xi-api-key': model.apiKey } : {};
