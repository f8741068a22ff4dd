import { languageCode } from './languages.js';
import {
  baseUrlOf,
  isRecord,
  num,
  type ProtocolContext,
  type ProviderTranscript,
  readJson,
  str,
  type TranscriptionRequest,
} from './protocol.js';
import { ensureOk, UnusableResponseError } from './speech-errors.js';
import type { ResolvedSpeechModel } from './types.js';

/**
 * Deepgram's pre-recorded transcription: POST {base}/listen?model=…&utterances=true&diarize=true
 * with the audio as the raw body (Content-Type: its media type) and `Authorization: Token KEY`.
 * Segments are Deepgram's utterances, each with its speaker number; without a language the
 * model detects it (detect_language).
 */
export async function deepgramTranscribe(
  model: ResolvedSpeechModel,
  ctx: ProtocolContext,
  request: TranscriptionRequest,
): Promise<ProviderTranscript> {
  const query = new URLSearchParams({
    model: model.model,
    smart_format: 'true',
    punctuate: 'true',
    utterances: 'true',
    diarize: 'true',
  });
  if (request.language) query.set('language', request.language);
  else query.set('detect_language', 'true');
  const url = `${baseUrlOf(model)}/listen?${query}`;
  const response = await ctx.fetch(url, {
    method: 'POST',
    headers: {
      'content-type': request.mediaType,
      ...(model.apiKey ? { authorization: `Token ${model.apiKey}` } : {}),
    },
    body: request.audio as Uint8Array<ArrayBuffer>,
    signal: ctx.signal,
  });
  await ensureOk(response, url);
  const body = await readJson(response);
  const results = isRecord(body) && isRecord(body.results) ? body.results : undefined;
  const channel =
    Array.isArray(results?.channels) && isRecord(results.channels[0]) ? results.channels[0] : undefined;
  const alternative =
    channel && Array.isArray(channel.alternatives) && isRecord(channel.alternatives[0])
      ? channel.alternatives[0]
      : undefined;
  const transcript = str(alternative?.transcript);
  if (!results || transcript === undefined) {
    throw new UnusableResponseError('The provider answered without a transcript.');
  }
  const utterances = Array.isArray(results.utterances) ? results.utterances.filter(isRecord) : [];
  const segments = utterances.flatMap((u) => {
    const start = num(u.start);
    const end = num(u.end);
    const text = str(u.transcript);
    if (start === undefined || end === undefined || text === undefined) return [];
    const speaker = num(u.speaker);
    return [{ start, end, text: text.trim(), ...(speaker !== undefined ? { speaker } : {}) }];
  });
  const metadata = isRecord(body) && isRecord(body.metadata) ? body.metadata : undefined;
  const duration = num(metadata?.duration);
  const language = request.language ?? str(channel?.detected_language);
  return {
    text: transcript.trim(),
    ...(language ? { language: languageCode(language) } : {}),
    ...(duration !== undefined ? { durationSeconds: duration } : {}),
    segments,
    diarized: segments.some((s) => s.speaker !== undefined),
  };
}
