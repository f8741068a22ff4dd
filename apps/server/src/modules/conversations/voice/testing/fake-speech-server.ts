import { readFileSync } from 'node:fs';
import { startFakeSpeechProvider } from '../../../models/testing/fake-speech-provider.js';

/**
 * The voice tests' view of the shared fake speech provider (models/testing/fake-speech-provider.ts,
 * which speaks the protocols): it transcribes to `transcript`, answers speech with ANSWER_MP3, and
 * lists what it heard (audio bytes, type, model) and was asked to speak.
 */
export const QUESTION_WEBM = readFileSync(new URL('./question.webm', import.meta.url));
export const ANSWER_MP3 = readFileSync(new URL('./answer-sentence.mp3', import.meta.url));

export type FakeSpeechServer = Awaited<ReturnType<typeof startFakeSpeechServer>>;

export async function startFakeSpeechServer(options: { transcript?: string } = {}) {
  const fake = await startFakeSpeechProvider({
    script: { turns: options.transcript ?? 'How long does shipping take?' },
    speechMp3: ANSWER_MP3,
  });
  return {
    baseUrl: fake.baseUrl,
    timings: fake.timings,
    /** Transcription requests, in order: the audio received, its declared type, the model. */
    get heard() {
      return fake.requests.flatMap((r) =>
        r.file ? [{ bytes: r.file.data, mediaType: r.file.declaredType, model: r.fields.model }] : [],
      );
    },
    /** Speech requests, in order: the text, voice and model asked for. */
    get spoken() {
      return fake.requests.flatMap(({ json: b }) =>
        b ? [{ text: String(b.input), voice: String(b.voice), model: String(b.model) }] : [],
      );
    },
    /** Next transcriptions answer this. */
    setTranscript: (text: string) => {
      fake.script = { turns: text };
    },
    /** The next transcription (not a speech request) fails with this HTTP status. */
    failNextTranscription: (status: number) => {
      fake.queue.push({ status, only: 'transcription' });
    },
    close: () => fake.close(),
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
