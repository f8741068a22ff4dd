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
import type { ResolvedSpeechModel } from './types.js';

/**
 * OpenAI's audio API, also spoken by OpenAI-compatible servers (speaches, faster-whisper-server,
 * LocalAI, vLLM…), called directly rather than through the AI SDK: the SDK's transcription
 * result has no speaker labels and its speech result is the whole file, while a voice reply
 * must start playing at the provider's first byte.
 *
 * - POST {base}/audio/transcriptions, multipart: file, model, response_format (verbose_json
 *   with segments for whisper-style models; json for gpt-4o(-mini)-transcribe, which have no
 *   segments; diarized_json with speakers for *-diarize models), language.
 * - POST {base}/audio/speech, JSON {model, input, voice, response_format}: the body streams.
 * No Authorization header without a key (keyless local servers).
 */
export async function openAiTranscribe(
  model: ResolvedSpeechModel,
  ctx: ProtocolContext,
  request: TranscriptionRequest,
): Promise<ProviderTranscript> {
  const url = `${baseUrlOf(model)}/audio/transcriptions`;
  const format = responseFormat(model.model);
  const form = new FormData();
  form.append(
    'file',
    new Blob([request.audio as Uint8Array<ArrayBuffer>], { type: request.mediaType }),
    audioFileName(request.mediaType),
  );
  form.append('model', model.model);
  form.append('response_format', format);
  if (format === 'verbose_json') form.append('timestamp_granularities[]', 'segment');
  if (format === 'diarized_json') form.append('chunking_strategy', 'auto');
  if (request.language) form.append('language', request.language);
  const response = await ctx.fetch(url, {
    method: 'POST',
    headers: authorization(model),
    body: form,
    signal: ctx.signal,
  });
  await ensureOk(response, url);
  const body = await readJson(response);
  if (!isRecord(body) || typeof body.text !== 'string') {
    throw new UnusableResponseError('The provider answered without a transcript.');
  }
  const rawSegments = Array.isArray(body.segments) ? body.segments.filter(isRecord) : [];
  const segments = rawSegments.flatMap((s) => {
    const start = num(s.start);
    const end = num(s.end);
    const text = str(s.text);
    if (start === undefined || end === undefined || text === undefined) return [];
    const speaker = str(s.speaker);
    return [{ start, end, text: text.trim(), ...(speaker !== undefined ? { speaker } : {}) }];
  });
  const usage = isRecord(body.usage) ? body.usage : undefined;
  const duration = num(body.duration) ?? (usage?.type === 'duration' ? num(usage.seconds) : undefined);
  const language = str(body.language);
  return {
    text: body.text.trim(),
    ...(language ? { language: languageCode(language) } : {}),
    ...(duration !== undefined ? { durationSeconds: duration } : {}),
    segments,
    diarized: format === 'diarized_json' && segments.some((s) => s.speaker !== undefined),
  };
}

export async function openAiSpeak(
  model: ResolvedSpeechModel,
  ctx: ProtocolContext,
  request: SpeechRequest,
): Promise<ProviderSpeech> {
  const url = `${baseUrlOf(model)}/audio/speech`;
  const response = await ctx.fetch(url, {
    method: 'POST',
    headers: { ...authorization(model), 'content-type': 'application/json' },
    body: JSON.stringify({
      model: model.model,
      input: request.text,
      voice: request.voice ?? DEFAULT_VOICE,
      response_format: request.format,
    }),
    signal: ctx.signal,
  });
  await ensureOk(response, url);
  if (!response.body) throw new UnusableResponseError('The provider answered without audio.');
  return { body: response.body };
}

/** OpenAI's voice when the caller names none. */
export const DEFAULT_VOICE = 'alloy';

function responseFormat(model: string): 'verbose_json' | 'json' | 'diarized_json' {
  const id = model.toLowerCase();
  if (id.includes('diarize')) return 'diarized_json';
  // gpt-4o-transcribe and gpt-4o-mini-transcribe accept json or text only.
  if (id.startsWith('gpt-4o')) return 'json';
  return 'verbose_json';
}

const authorization = (model: ResolvedSpeechModel): Record<string, string> =>
  model.apiKey ? { authorization: `Bearer ${model.apiKey}` } : {};
