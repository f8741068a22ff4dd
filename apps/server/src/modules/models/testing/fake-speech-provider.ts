import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { LANGUAGE_CODES } from '../speech/languages.js';
import { parseWav, toneWav, wavHeader, wavSamples } from '../speech/wav.js';
import { TONE_MP3, TONE_OGG_OPUS } from './speech-audio-fixtures.js';

/**
 * Test helper: one real local HTTP server speaking the speech protocols Confidant calls, all
 * under `${baseUrl}` (= http://127.0.0.1:{port}/v1):
 * - OpenAI (and compatible): POST /audio/transcriptions (multipart; response_format json,
 *   verbose_json with segments, diarized_json with speakers), POST /audio/speech (JSON; the
 *   audio streams in chunks);
 * - Deepgram: POST /listen?model=…&utterances=true&diarize=true (raw audio body; utterances with
 *   speaker numbers);
 * - ElevenLabs: POST /speech-to-text (multipart; words with speaker_id), POST
 *   /text-to-speech/{voice}(/stream)?output_format=… (JSON; the audio streams).
 *
 * Transcription: the words come from `script` (what the test says was spoken); the timing comes
 * from the audio. The fake checks it really received audio of the declared media type (magic
 * bytes: WAV, MP3, Ogg, WebM, FLAC, MP4; 400 otherwise) and, for a 16-bit PCM WAV, finds the
 * stretches with sound (20 ms frames above an energy threshold, gaps under 300 ms merged):
 * turn i of the script is spoken in region i (extra regions join the last turn, extra turns
 * share the last region). Without a WAV, turns are spread evenly over `script.durationSeconds`.
 * Speakers are given in each protocol's own form (OpenAI: the script's names; Deepgram: 0, 1…;
 * ElevenLabs: speaker_0…) so callers' normalisation is exercised.
 *
 * Speech: real audio (a generated WAV/PCM tone of 60 ms per character, or an MP3/Ogg-Opus
 * fixture; `speechMp3` replaces the MP3) in `latency.chunkBytes` chunks, after
 * `latency.firstByteMs`, `latency.chunkMs` between chunks; `holdAfterFirstChunk` keeps the rest
 * until the test resolves it, so a test can observe the first chunk arriving before the fake
 * finished (no wall-clock assertions).
 *
 * Every request is recorded (path, query, headers, multipart fields, the audio received with its
 * type and size, JSON body). `apiKey`, when set, is required in each protocol's header (401
 * otherwise). `queue` scripts failures for the next requests; an entry with `only` is taken by
 * the next request of that kind alone. Latencies are fixed numbers (a bench uses them).
 */
export type ScriptTurn = { speaker?: string; text: string };

export type FakeSpeechScript = {
  /** What was said, in order; a plain string is one turn by one speaker. */
  turns: ScriptTurn[] | string;
  /** ISO 639-1 code reported back (default 'en'). */
  language?: string;
  /** The audio's length when it is not a WAV the fake can measure (default 2 s per turn). */
  durationSeconds?: number;
};

export type FakeSpeechLatency = {
  /** Before a transcription answer. */
  transcriptionMs: number;
  /** Before the first audio byte of speech. */
  firstByteMs: number;
  /** Between audio chunks. */
  chunkMs: number;
  chunkBytes: number;
};

/**
 * A scripted failure for the next request: an HTTP status with an error body, or no answer at all.
 * With `only`, the next request of that kind takes it, and requests of the other kind pass it by
 * (so a speech request in flight cannot take a failure meant for a transcription).
 */
export type FakeSpeechFailure = ({ status: number; headers?: Record<string, string> } | { hang: true }) & {
  only?: 'transcription' | 'speech';
};

export type RecordedSpeechRequest = {
  method: string;
  /** Path without the query, e.g. /v1/audio/transcriptions. */
  path: string;
  query: Record<string, string>;
  headers: IncomingMessage['headers'];
  /** Multipart text fields (model, response_format, language, diarize…). */
  fields: Record<string, string>;
  /** The uploaded audio (multipart `file` or a raw body): declared type, detected type, size, bytes. */
  file?: { name?: string; declaredType: string; detectedType: string | null; bytes: number; data: Buffer };
  /** A JSON body (speech requests). */
  json?: Record<string, unknown>;
};

export type FakeSpeechProvider = {
  /** http://127.0.0.1:{port}/v1: the base URL for every kind. */
  baseUrl: string;
  script: FakeSpeechScript;
  latency: FakeSpeechLatency;
  /** Required key (OpenAI: Bearer, Deepgram: Token, ElevenLabs: xi-api-key); absent: any. */
  apiKey?: string;
  requests: RecordedSpeechRequest[];
  /** Failures for the next requests, one each. */
  queue: FakeSpeechFailure[];
  /** The audio of an MP3 speech answer (default: TONE_MP3, a 0.6 s tone). */
  speechMp3: Uint8Array;
  /** When set, speech responses send their first chunk, then wait for this before the rest. */
  holdAfterFirstChunk?: Promise<void>;
  /** Speech responses sent to the end. */
  speechResponsesFinished: number;
  /**
   * The fake's own time per answered request, arrival to the response's first byte (ms; the fixed
   * latency included): what a benchmark subtracts as the provider's time.
   */
  timings: { kind: 'transcription' | 'speech'; ms: number }[];
  close(): Promise<void>;
};

export const DEFAULT_SPEECH_LATENCY: FakeSpeechLatency = {
  transcriptionMs: 0,
  firstByteMs: 0,
  chunkMs: 0,
  chunkBytes: 4096,
};

export async function startFakeSpeechProvider(
  options: {
    script?: FakeSpeechScript;
    latency?: Partial<FakeSpeechLatency>;
    apiKey?: string;
    speechMp3?: Uint8Array;
  } = {},
): Promise<FakeSpeechProvider> {
  const open = new Set<ServerResponse>();
  const fake: FakeSpeechProvider = {
    baseUrl: '',
    script: options.script ?? { turns: 'Hello, this is a test.' },
    latency: { ...DEFAULT_SPEECH_LATENCY, ...options.latency },
    ...(options.apiKey ? { apiKey: options.apiKey } : {}),
    requests: [],
    queue: [],
    speechMp3: options.speechMp3 ?? TONE_MP3,
    speechResponsesFinished: 0,
    timings: [],
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of open) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer((req, res) => {
    open.add(res);
    res.on('close', () => open.delete(res));
    handle(fake, req, res).catch(() => {
      if (!res.headersSent) json(res, 500, { error: 'fake failed' });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return fake;
}

async function handle(fake: FakeSpeechProvider, req: IncomingMessage, res: ServerResponse) {
  const arrived = performance.now();
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  const url = new URL(req.url ?? '/', 'http://fake');
  const recorded: RecordedSpeechRequest = {
    method: req.method ?? '',
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: req.headers,
    fields: {},
  };
  fake.requests.push(recorded);
  const contentType = req.headers['content-type'] ?? '';
  let audio: Buffer | null = null;
  if (contentType.startsWith('multipart/form-data')) {
    const form = await new Request('http://fake', {
      method: 'POST',
      headers: { 'content-type': contentType },
      body,
    }).formData();
    for (const [name, value] of form) {
      if (typeof value === 'string') recorded.fields[name] = value;
      else if (name === 'file') {
        audio = Buffer.from(await value.arrayBuffer());
        recorded.file = {
          name: value.name,
          declaredType: value.type,
          detectedType: sniffAudio(audio),
          bytes: audio.length,
          data: audio,
        };
      }
    }
  } else if (contentType.startsWith('application/json')) {
    try {
      recorded.json = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    } catch {
      return json(res, 400, { error: 'invalid JSON' });
    }
  } else if (body.length > 0) {
    audio = body;
    recorded.file = {
      declaredType: contentType,
      detectedType: sniffAudio(body),
      bytes: body.length,
      data: body,
    };
  }

  const path = url.pathname;
  const elevenSpeech = /^\/v1\/text-to-speech\/[^/]+(\/stream)?$/.test(path);
  const kind =
    req.method !== 'POST'
      ? undefined
      : path === '/v1/audio/transcriptions' || path === '/v1/speech-to-text' || path === '/v1/listen'
        ? 'transcription'
        : path === '/v1/audio/speech' || elevenSpeech
          ? 'speech'
          : undefined;
  const next = fake.queue.findIndex((f) => !f.only || f.only === kind);
  const failure = next < 0 ? undefined : fake.queue.splice(next, 1)[0];
  if (failure && 'hang' in failure) return; // never answers; closed with the server
  if (failure) return json(res, failure.status, { error: { message: 'scripted failure' } }, failure.headers);

  const protocol =
    path === '/v1/listen' ? 'deepgram' : path.startsWith('/v1/audio/') ? 'openai' : 'elevenlabs';
  if (fake.apiKey && !authorized(fake.apiKey, protocol, req.headers)) {
    return json(res, 401, { error: { message: 'invalid api key' } });
  }

  if (kind === 'transcription') {
    const model =
      protocol === 'deepgram'
        ? recorded.query.model
        : protocol === 'openai'
          ? recorded.fields.model
          : recorded.fields.model_id;
    if (!model) return json(res, 400, { error: { message: 'model is required' } });
    if (!audio || !recorded.file) return json(res, 400, { error: { message: 'no audio file' } });
    const declared = baseType(recorded.file.declaredType);
    if (!recorded.file.detectedType || !sameAudioType(declared, recorded.file.detectedType)) {
      return json(res, 400, { error: { message: 'the file is not audio of the declared type' } });
    }
    await sleep(fake.latency.transcriptionMs);
    const timed = timeTurns(fake.script, audio);
    fake.timings.push({ kind: 'transcription', ms: performance.now() - arrived });
    if (protocol === 'openai') return json(res, 200, openAiTranscript(fake.script, timed, recorded.fields));
    if (protocol === 'deepgram')
      return json(res, 200, deepgramTranscript(fake.script, timed, recorded.query));
    return json(res, 200, elevenLabsTranscript(fake.script, timed));
  }

  if (kind === 'speech') {
    const input = recorded.json;
    const text =
      typeof input?.input === 'string' ? input.input : typeof input?.text === 'string' ? input.text : '';
    const model = elevenSpeech ? input?.model_id : input?.model;
    if (!text || typeof model !== 'string')
      return json(res, 400, { error: { message: 'model and text are required' } });
    const format = elevenSpeech
      ? elevenLabsFormat(recorded.query.output_format ?? 'mp3_44100_128')
      : typeof input?.response_format === 'string'
        ? input.response_format
        : 'mp3';
    const audioOut = speechAudio(format, text, fake.speechMp3);
    if (!audioOut) return json(res, 400, { error: { message: `unsupported format ${format}` } });
    await sleep(fake.latency.firstByteMs);
    fake.timings.push({ kind: 'speech', ms: performance.now() - arrived });
    res.writeHead(200, { 'content-type': audioOut.mediaType });
    const size = Math.max(1, fake.latency.chunkBytes);
    for (let offset = 0; offset < audioOut.bytes.length; offset += size) {
      if (res.destroyed) return;
      if (offset > 0) {
        if (offset === size && fake.holdAfterFirstChunk) await fake.holdAfterFirstChunk;
        await sleep(fake.latency.chunkMs);
      }
      res.write(audioOut.bytes.subarray(offset, offset + size));
    }
    res.end();
    fake.speechResponsesFinished++;
    return;
  }
  return json(res, 404, { error: { message: 'not found' } });
}

function authorized(key: string, protocol: string, headers: IncomingMessage['headers']): boolean {
  if (protocol === 'openai') return headers.authorization === `Bearer ${key}`;
  if (protocol === 'deepgram') return headers.authorization === `Token ${key}`;
  return headers['xi-api-key'] === key;
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

const baseType = (mediaType: string) => mediaType.split(';')[0]!.trim().toLowerCase();

/** The container the bytes are, by magic number: wav, mp3, ogg, webm, flac, mp4; null: none of these. */
export function sniffAudio(bytes: Uint8Array): string | null {
  const text = (from: number, length: number) => String.fromCharCode(...bytes.subarray(from, from + length));
  if (text(0, 4) === 'RIFF' && text(8, 4) === 'WAVE') return 'wav';
  if (text(0, 3) === 'ID3' || (bytes[0] === 0xff && ((bytes[1] ?? 0) & 0xe0) === 0xe0)) return 'mp3';
  if (text(0, 4) === 'OggS') return 'ogg';
  if (bytes[0] === 0x1a && bytes[1] === 0x45 && bytes[2] === 0xdf && bytes[3] === 0xa3) return 'webm';
  if (text(0, 4) === 'fLaC') return 'flac';
  if (text(4, 4) === 'ftyp') return 'mp4';
  return null;
}

const TYPE_CONTAINERS: Record<string, string> = {
  'audio/wav': 'wav',
  'audio/x-wav': 'wav',
  'audio/wave': 'wav',
  'audio/mpeg': 'mp3',
  'audio/mp3': 'mp3',
  'audio/ogg': 'ogg',
  'audio/opus': 'ogg',
  'audio/webm': 'webm',
  'video/webm': 'webm',
  'audio/flac': 'flac',
  'audio/x-flac': 'flac',
  'audio/mp4': 'mp4',
  'audio/m4a': 'mp4',
  'audio/x-m4a': 'mp4',
};
const sameAudioType = (declared: string, detected: string) => TYPE_CONTAINERS[declared] === detected;

type TimedTurn = ScriptTurn & { start: number; end: number };

/** The script's turns placed on the audio's sound regions (see the module comment); and the audio's length. */
export function timeTurns(
  script: FakeSpeechScript,
  audio: Uint8Array,
): { turns: TimedTurn[]; duration: number } {
  const turns = typeof script.turns === 'string' ? [{ text: script.turns }] : script.turns;
  const wav = parseWav(audio);
  const regions = wav ? soundRegions(audio) : [];
  const duration = wav?.durationSeconds ?? script.durationSeconds ?? turns.length * 2;
  if (regions.length === 0) {
    const each = duration / Math.max(1, turns.length);
    return {
      turns: turns.map((t, i) => ({ ...t, start: round(i * each), end: round((i + 1) * each) })),
      duration,
    };
  }
  return {
    turns: turns.map((t, i) => {
      const first = regions[Math.min(i, regions.length - 1)]!;
      const last = i === turns.length - 1 ? regions[regions.length - 1]! : first;
      return { ...t, start: round(first.start), end: round(last.end) };
    }),
    duration,
  };
}

/** Stretches of a 16-bit WAV with sound: 20 ms frames with RMS above 0.02, gaps under 300 ms merged, blips under 100 ms dropped. */
export function soundRegions(audio: Uint8Array): { start: number; end: number }[] {
  const decoded = wavSamples(audio);
  if (!decoded) return [];
  const frame = Math.max(1, Math.round(decoded.sampleRate * 0.02));
  const regions: { start: number; end: number }[] = [];
  for (let i = 0; i < decoded.samples.length; i += frame) {
    let sum = 0;
    const end = Math.min(decoded.samples.length, i + frame);
    for (let j = i; j < end; j++) sum += decoded.samples[j]! ** 2;
    if (Math.sqrt(sum / (end - i)) < 0.02) continue;
    const start = i / decoded.sampleRate;
    const stop = end / decoded.sampleRate;
    const previous = regions[regions.length - 1];
    if (previous && start - previous.end < 0.3) previous.end = stop;
    else regions.push({ start, end: stop });
  }
  return regions.filter((r) => r.end - r.start >= 0.1);
}

const round = (n: number) => Math.round(n * 1000) / 1000;
const languageName = (code: string) =>
  Object.entries(LANGUAGE_CODES).find(([, c]) => c === code)?.[0] ?? code;
const fullText = (turns: ScriptTurn[]) => turns.map((t) => t.text).join(' ');

function openAiTranscript(
  script: FakeSpeechScript,
  timed: ReturnType<typeof timeTurns>,
  fields: Record<string, string>,
) {
  const text = fullText(timed.turns);
  const format = fields.response_format ?? 'json';
  if (format === 'verbose_json') {
    return {
      task: 'transcribe',
      // OpenAI names the language in words here ("english").
      language: languageName(script.language ?? 'en'),
      duration: timed.duration,
      text,
      segments: timed.turns.map((t, id) => ({
        id,
        seek: 0,
        start: t.start,
        end: t.end,
        text: ` ${t.text}`,
        tokens: [],
        temperature: 0,
      })),
    };
  }
  if (format === 'diarized_json') {
    return {
      text,
      duration: timed.duration,
      segments: timed.turns.map((t, i) => ({
        id: `seg_${i}`,
        type: 'transcript.text.segment',
        start: t.start,
        end: t.end,
        text: t.text,
        speaker: t.speaker ?? 'A',
      })),
    };
  }
  return { text, usage: { type: 'duration', seconds: Math.ceil(timed.duration) } };
}

function speakerNumbers(turns: ScriptTurn[]): (turn: ScriptTurn) => number {
  const numbers = new Map<string, number>();
  for (const t of turns) if (!numbers.has(t.speaker ?? '')) numbers.set(t.speaker ?? '', numbers.size);
  return (t) => numbers.get(t.speaker ?? '') ?? 0;
}

function deepgramTranscript(
  script: FakeSpeechScript,
  timed: ReturnType<typeof timeTurns>,
  query: Record<string, string>,
) {
  const speaker = speakerNumbers(timed.turns);
  const diarize = query.diarize === 'true';
  return {
    metadata: { request_id: 'fake', duration: timed.duration, channels: 1, models: [query.model] },
    results: {
      channels: [
        {
          ...(query.detect_language === 'true' ? { detected_language: script.language ?? 'en' } : {}),
          alternatives: [{ transcript: fullText(timed.turns), confidence: 0.99, words: [] }],
        },
      ],
      ...(query.utterances === 'true'
        ? {
            utterances: timed.turns.map((t, i) => ({
              id: `utt-${i}`,
              start: t.start,
              end: t.end,
              confidence: 0.99,
              channel: 0,
              transcript: t.text,
              ...(diarize ? { speaker: speaker(t) } : {}),
              words: [],
            })),
          }
        : {}),
    },
  };
}

function elevenLabsTranscript(script: FakeSpeechScript, timed: ReturnType<typeof timeTurns>) {
  const speaker = speakerNumbers(timed.turns);
  const words: Record<string, unknown>[] = [];
  for (const t of timed.turns) {
    const parts = t.text.split(/\s+/).filter(Boolean);
    const each = (t.end - t.start) / Math.max(1, parts.length);
    parts.forEach((word, i) => {
      if (words.length > 0)
        words.push({
          text: ' ',
          start: t.start + i * each,
          end: t.start + i * each,
          type: 'spacing',
          speaker_id: `speaker_${speaker(t)}`,
        });
      words.push({
        text: word,
        start: round(t.start + i * each),
        end: round(t.start + (i + 1) * each),
        type: 'word',
        speaker_id: `speaker_${speaker(t)}`,
      });
    });
  }
  return {
    language_code: script.language ?? 'en',
    language_probability: 0.98,
    text: fullText(timed.turns),
    words,
  };
}

function elevenLabsFormat(outputFormat: string): string {
  if (outputFormat.startsWith('mp3_')) return 'mp3';
  if (outputFormat.startsWith('pcm_')) return 'pcm';
  if (outputFormat.startsWith('opus_')) return 'opus';
  return outputFormat;
}

/** The audio a speech request gets: a tone of 60 ms per character (WAV/PCM, 24 kHz) or an encoded fixture. */
function speechAudio(
  format: string,
  text: string,
  mp3: Uint8Array,
): { mediaType: string; bytes: Uint8Array } | null {
  if (format === 'mp3') return { mediaType: 'audio/mpeg', bytes: mp3 };
  if (format === 'opus') return { mediaType: 'audio/ogg', bytes: TONE_OGG_OPUS };
  const seconds = Math.min(30, Math.max(0.2, text.length * 0.06));
  const wav = toneWav({
    durationSeconds: seconds,
    regions: [{ start: 0, end: seconds }],
    sampleRate: 24_000,
  });
  if (format === 'wav') return { mediaType: 'audio/wav', bytes: wav };
  if (format === 'pcm') return { mediaType: 'audio/pcm', bytes: wav.subarray(wavHeader(24_000).length) };
  return null;
}
