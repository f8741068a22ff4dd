import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A local server speaking OpenAI's audio protocol (as OpenAI-compatible servers such as a local
 * Whisper do): POST /v1/audio/transcriptions (multipart: file, model, response_format) answers
 * `{ text }` with the configured transcript; POST /v1/audio/speech (JSON { model, input, voice })
 * streams a short MP3. Fixed latencies (before the transcript, before the first audio byte) make
 * benchmarks subtract the provider's own time exactly. It records what it heard (the audio
 * bytes and their type) and every sentence it was asked to speak.
 */
export const QUESTION_WEBM = readFileSync(new URL('./question.webm', import.meta.url));
export const ANSWER_MP3 = readFileSync(new URL('./answer-sentence.mp3', import.meta.url));

export type FakeSpeechServer = {
  /** The provider base URL (…/v1). */
  baseUrl: string;
  heard: { bytes: Buffer; mediaType: string; model: string }[];
  spoken: { text: string; voice: string; model: string }[];
  /**
   * The server's own time per request, arrival to the response's first byte (ms; the fixed
   * latency included): what a benchmark subtracts as the provider's time.
   */
  timings: { kind: 'transcription' | 'speech'; ms: number }[];
  /** Next transcription answers (default: the configured transcript). */
  setTranscript(text: string): void;
  /** Next transcription fails with this HTTP status (once). */
  failNextTranscription(status: number): void;
  close(): Promise<void>;
};

export async function startFakeSpeechServer(
  options: { transcript?: string; transcriptionMs?: number; speechMs?: number; audio?: Buffer } = {},
): Promise<FakeSpeechServer> {
  let transcript = options.transcript ?? 'How long does shipping take?';
  let failNext: number | undefined;
  const heard: FakeSpeechServer['heard'] = [];
  const spoken: FakeSpeechServer['spoken'] = [];
  const timings: FakeSpeechServer['timings'] = [];
  const audio = options.audio ?? ANSWER_MP3;
  const bodyOf = async (req: IncomingMessage) => {
    const parts: Buffer[] = [];
    for await (const part of req) parts.push(part as Buffer);
    return Buffer.concat(parts);
  };
  const server = createServer(async (req, res) => {
    const arrived = performance.now();
    try {
      const body = await bodyOf(req);
      if (req.method === 'POST' && req.url === '/v1/audio/transcriptions') {
        const form = await new Request('http://fake/', {
          method: 'POST',
          headers: { 'content-type': String(req.headers['content-type']) },
          body,
        }).formData();
        const file = form.get('file') as File;
        heard.push({
          bytes: Buffer.from(await file.arrayBuffer()),
          mediaType: file.type,
          model: String(form.get('model')),
        });
        await sleep(options.transcriptionMs ?? 0);
        if (failNext) {
          res.writeHead(failNext, { 'content-type': 'application/json' });
          failNext = undefined;
          res.end(JSON.stringify({ error: { message: 'fake failure' } }));
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        timings.push({ kind: 'transcription', ms: performance.now() - arrived });
        res.end(JSON.stringify({ text: transcript, duration: 1.6, segments: [] }));
        return;
      }
      if (req.method === 'POST' && req.url === '/v1/audio/speech') {
        const request = JSON.parse(body.toString('utf8')) as { input: string; voice: string; model: string };
        spoken.push({ text: request.input, voice: request.voice, model: request.model });
        await sleep(options.speechMs ?? 0);
        res.writeHead(200, { 'content-type': 'audio/mpeg' });
        // Two writes: the client sees a stream, not one buffer.
        const half = Math.floor(audio.length / 2);
        timings.push({ kind: 'speech', ms: performance.now() - arrived });
        res.write(audio.subarray(0, half));
        res.end(audio.subarray(half));
        return;
      }
      res.writeHead(404).end();
    } catch {
      res.writeHead(500).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    heard,
    spoken,
    timings,
    setTranscript: (text) => {
      transcript = text;
    },
    failNextTranscription: (status) => {
      failNext = status;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Creates an openai-compatible provider with a transcription and a speech model at `baseUrl`. */
export async function addSpeechProvider(
  inject: (
    payload: Record<string, unknown>,
  ) => Promise<{ statusCode: number; body: string; json(): unknown }>,
  baseUrl: string,
  name = 'Local Whisper',
): Promise<string> {
  const res = await inject({
    kind: 'openai-compatible',
    name,
    baseUrl,
    models: [
      { id: 'whisper-1', type: 'transcription' },
      { id: 'tts-1', type: 'speech' },
    ],
    timeoutMs: 10_000,
    maxRetries: 0,
  });
  if (res.statusCode !== 201) throw new Error(`provider: ${res.body}`);
  return (res.json() as { id: string }).id;
}

/** The agent voice settings for a provider made by addSpeechProvider. */
export const voiceOn = (providerId: string, recordAudio = false) => ({
  enabled: true,
  transcription: { providerId, model: 'whisper-1' },
  speech: { providerId, model: 'tts-1', voice: 'nova' },
  recordAudio,
});
