import { setTimeout as sleep } from 'node:timers/promises';
import { readEvents } from '../../apps/server/src/modules/conversations/testing/sse-client.js';
import {
  createWidgetOrg,
  listen,
  SITE,
  startConversation,
} from '../../apps/server/src/modules/conversations/testing/widget-fixture.js';
import {
  addSpeechProvider,
  QUESTION_WEBM,
  voiceOn,
} from '../../apps/server/src/modules/conversations/voice/testing/fake-speech-server.js';
import {
  type FakeSpeechProvider,
  startFakeSpeechProvider,
} from '../../apps/server/src/modules/models/testing/fake-speech-provider.js';
import { createTestApp, type TestApp } from '../../apps/server/src/testing/test-app.js';
import { latencySummary } from '../retrieval-bench/stats.js';
import { runCallsThroughput } from './calls-throughput.js';

/**
 * `npm run bench:voice`: what Confidant adds between the end of a visitor's speech and the first
 * byte of the spoken answer (issue 13, "Measure"), at 10 concurrent voice sessions.
 *
 * A local server speaks OpenAI's audio protocol with FIXED latencies (--stt-ms before the
 * transcript, --tts-ms before the first audio byte). Each simulated session uploads a real Opus
 * clip (espeak-ng, 1.6 s, in WebM) in 4 chunks as the widget does while the visitor speaks, then
 * the clock starts: POST …/end (transcript) → POST …/messages with voiceTurnId (the normal answer
 * path: retrieval, extractive answer, storage) until the first `speech` event → GET …/speech/0
 * until its first byte. Overhead = that time minus the provider's own time for the two calls
 * (measured at the provider server: arrival to first byte, fixed latency included).
 *
 * Everything runs in this one process (server, provider, clients: they share the event loop, so
 * the figure is an upper bound). Prints JSON to stdout, progress to stderr. Not a test.
 *
 * Scenarios: `voice` (above) and `calls` (call-analysis throughput, calls-throughput.ts: minutes
 * of audio processed per minute, providers' time included and excluded). Each scenario is a
 * function in `scenarios` that gets the running context and returns its JSON section.
 *
 *   npm run bench:voice -- [--quick] [--sessions 10] [--rounds 5] [--stt-ms 300] [--tts-ms 150]
 *                          [--calls 10] [--call-transcription-ms 800] [--call-chat-ms 300]
 */
const args = process.argv.slice(2);
const value = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
/** --quick: fewer rounds and calls, the whole run in about two minutes (same settings otherwise). */
const QUICK = args.includes('--quick');
const CONCURRENCY = value('sessions', 10);
const ROUNDS = value('rounds', QUICK ? 2 : 5);
const STT_MS = value('stt-ms', 300);
const TTS_MS = value('tts-ms', 150);
const CALLS = value('calls', QUICK ? 3 : 10);
const CALL_TRANSCRIPTION_MS = value('call-transcription-ms', 800);
const CALL_CHAT_MS = value('call-chat-ms', 300);

export type BenchContext = { t: TestApp; base: string; speech: FakeSpeechProvider };
export type Scenario = (ctx: BenchContext) => Promise<Record<string, unknown>>;

const log = (line: string) => process.stderr.write(`${line}\n`);

/** One voice turn of one session; returns end-of-speech → first answer byte, and provider time. */
async function voiceTurn(base: string, agentKey: string, speech: FakeSpeechProvider, n: number) {
  const conversation = await startConversation(base, agentKey);
  const root = `${base}/v1/widget/conversations/${conversation.conversationId}`;
  const headers = { authorization: `Bearer ${conversation.token}`, origin: SITE };
  const post = async (path: string, body?: BodyInit, type = 'application/json') => {
    const res = await fetch(`${root}${path}`, {
      method: 'POST',
      headers: { ...headers, ...(body ? { 'content-type': type } : {}) },
      ...(body ? { body } : {}),
    });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res;
  };
  const { turnId } = (await (await post('/voice-turns', JSON.stringify({}))).json()) as { turnId: string };
  const quarter = Math.ceil(QUESTION_WEBM.length / 4);
  for (let i = 0; i < QUESTION_WEBM.length; i += quarter)
    await post(
      `/voice-turns/${turnId}/chunks`,
      QUESTION_WEBM.subarray(i, i + quarter),
      'application/octet-stream',
    );

  const before = speech.timings.length;
  const started = performance.now();
  const { text } = (await (await post(`/voice-turns/${turnId}/end`)).json()) as { text: string };
  const transcribed = performance.now();
  const answer = await post(
    '/messages',
    JSON.stringify({ text, clientMessageId: `bench-${n}`, voiceTurnId: turnId }),
  );
  const controller = new AbortController();
  let sentenceReady: () => void = () => {};
  const firstSentence = new Promise<void>((resolve) => {
    sentenceReady = resolve;
  });
  const events = readEvents(answer, (event) => {
    if (event.event === 'speech') sentenceReady();
  });
  await Promise.race([
    firstSentence,
    events.then(async () => {
      await sleep(0);
      throw new Error('the answer ended without a sentence to speak');
    }),
  ]).catch(async (error) => {
    if (!(await Promise.race([firstSentence.then(() => true), sleep(0).then(() => false)]))) throw error;
  });
  const sentenceAt = performance.now();
  const audio = await fetch(`${root}/voice-turns/${turnId}/speech/0`, { headers, signal: controller.signal });
  const reader = audio.body!.getReader();
  await reader.read();
  const firstByteMs = performance.now() - started;
  controller.abort();
  await events;
  // This session's two provider calls are among those recorded since it started; with several
  // sessions in flight the attribution is by kind and order, and every call has the same fixed
  // latency, so the mean of the calls recorded in the window is used.
  const window = speech.timings.slice(before);
  const mean = (kind: string) => {
    const xs = window.filter((x) => x.kind === kind).map((x) => x.ms);
    return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : kind === 'speech' ? TTS_MS : STT_MS;
  };
  const providerMs = mean('transcription') + mean('speech');
  return {
    firstByteMs,
    providerMs,
    overheadMs: firstByteMs - providerMs,
    stages: {
      transcribeMs: transcribed - started - mean('transcription'),
      answerToFirstSentenceMs: sentenceAt - transcribed,
      speechFirstByteMs: started + firstByteMs - sentenceAt - mean('speech'),
    },
  };
}

const voiceScenario: Scenario = async ({ t, base, speech }) => {
  const org = await createWidgetOrg(t, 'Voice bench');
  const providerId = await addSpeechProvider(
    (payload) =>
      t.app.inject({
        method: 'POST',
        url: '/v1/model-providers',
        headers: { authorization: `Bearer ${org.apiKey}` },
        payload,
      }),
    speech.baseUrl,
  );
  const patched = await t.app.inject({
    method: 'PATCH',
    url: `/v1/agents/${org.agentId}`,
    headers: { authorization: `Bearer ${org.apiKey}` },
    payload: { voice: voiceOn(providerId) },
  });
  if (patched.statusCode !== 200) throw new Error(`agent: ${patched.body}`);
  let n = 0;
  log(`voice: warm-up`);
  await Promise.all(Array.from({ length: CONCURRENCY }, () => voiceTurn(base, org.agentKey, speech, ++n)));
  const results: Awaited<ReturnType<typeof voiceTurn>>[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    log(`voice: round ${round}/${ROUNDS}, ${CONCURRENCY} concurrent sessions`);
    results.push(
      ...(await Promise.all(
        Array.from({ length: CONCURRENCY }, () => voiceTurn(base, org.agentKey, speech, ++n)),
      )),
    );
  }
  const overhead = latencySummary(results.map((r) => r.overheadMs));
  const stage = (q: 'p50Ms' | 'p95Ms') =>
    Object.fromEntries(
      (['transcribeMs', 'answerToFirstSentenceMs', 'speechFirstByteMs'] as const).map((k) => [
        k,
        latencySummary(results.map((r) => r.stages[k]))[q],
      ]),
    );
  return {
    concurrentSessions: CONCURRENCY,
    turns: results.length,
    providerFixedLatencyMs: { transcription: STT_MS, speech: TTS_MS },
    clip: { bytes: QUESTION_WEBM.length, chunks: 4, format: 'audio/webm;codecs=opus' },
    endOfSpeechToFirstAudioByteMs: latencySummary(results.map((r) => r.firstByteMs)),
    providerTimeMs: latencySummary(results.map((r) => r.providerMs)),
    platformOverheadMs: overhead,
    /**
     * Where the overhead goes (each minus its provider's time where it has one). The first
     * sentence's speech starts on the server when the sentence is written, so its provider time
     * overlaps the `speech` event's trip and the GET: speechFirstByteMs is negative when the
     * provider is the slower of the two.
     */
    overheadByStageP50Ms: stage('p50Ms'),
    overheadByStageP95Ms: stage('p95Ms'),
    goal: { p95AtMostMs: 150, met: overhead.p95Ms <= 150 },
  };
};

/**
 * Call analysis throughput (calls-throughput.ts): uploaded calls processed one after the other by
 * the durable job, with its own app and fake providers (so the voice figures are not mixed in).
 */
const callsScenario: Scenario = async () => {
  log(`calls: ${CALLS} uploads of a generated two-voice dialogue`);
  return runCallsThroughput({
    calls: CALLS,
    transcriptionMs: CALL_TRANSCRIPTION_MS,
    chatMs: CALL_CHAT_MS,
  });
};

/** `--calls 0` leaves the call scenario out (voice only). */
const scenarios: Record<string, Scenario> = {
  voice: voiceScenario,
  ...(CALLS > 0 ? { calls: callsScenario } : {}),
};

async function main() {
  const speech = await startFakeSpeechProvider({
    script: { turns: 'How long does shipping take?' },
    latency: { transcriptionMs: STT_MS, firstByteMs: TTS_MS },
  });
  const t = await createTestApp({ kind: 'pglite', env: { CONFIDANT_ALLOW_PRIVATE_NETWORKS: 'true' } });
  try {
    const base = await listen(t);
    const out: Record<string, unknown> = { quick: QUICK };
    for (const [name, scenario] of Object.entries(scenarios)) out[name] = await scenario({ t, base, speech });
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  } finally {
    await t.close();
    await speech.close();
  }
}

await main();
