import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { TestApp } from '../../apps/server/src/testing/test-app.js';
import { latencySummary } from '../retrieval-bench/stats.js';
import type { TurnResult, VoiceSessionsConfig } from './voice-sessions.js';

/**
 * `npm run bench:voice`: what Confidant adds between the end of a visitor's speech and the first
 * byte of the spoken answer (issue 13, "Measure"), at 10 concurrent voice sessions.
 *
 * A local server speaks OpenAI's audio protocol with FIXED latencies (--stt-ms before the
 * transcript, --tts-ms before the first audio byte). Each simulated session uploads a real Opus
 * clip (espeak-ng, 1.6 s, in WebM) in chunks as the widget does while the visitor speaks, then
 * the clock starts: POST …/end (transcript) → POST …/messages with voiceTurnId (the normal answer
 * path: retrieval, extractive answer, storage) until the first `speech` event → GET …/speech/0
 * until its first byte. Overhead = that time minus the provider's own time for the two calls
 * (measured at the provider server: arrival to first byte, fixed latency included).
 *
 * Two ways for 10 sessions to be concurrent (voice-sessions.ts): `paced` — ten conversations
 * whose visitors talk at a person's pace (chunks every 250 ms while speaking, the answer listened
 * to, a pause, the next turn; sessions start at independent moments) — and `burst` — all ten end
 * their speech in the same instant, every round (the worst case: each turn waits for the nine
 * others on the server's one thread). Each on PGlite (what `npm start` runs) and on PostgreSQL
 * when BENCH_DATABASE_URL or TEST_DATABASE_URL is set.
 *
 * The server runs in this thread; the visitors and the fake provider run in a worker thread
 * (voice-sessions.ts), as in production they are not in Confidant's process: the figure is what
 * the server adds, not what the load generator costs. Prints JSON to stdout, progress to stderr.
 * Not a test. The call scenario (calls-throughput.ts: minutes of audio processed per minute,
 * providers' time included and excluded) follows unless `--calls 0`.
 *
 *   npm run bench:voice -- [--quick] [--sessions 10] [--rounds 5] [--stt-ms 300] [--tts-ms 150]
 *                          [--calls 10] [--call-transcription-ms 800] [--call-chat-ms 300]
 */
const args = process.argv.slice(2);
const value = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
/** --quick: fewer turns and calls, the whole run in about two minutes (same settings otherwise). */
const QUICK = args.includes('--quick');
const CONCURRENCY = value('sessions', 10);
/** Burst: measured rounds; paced: turns per session. */
const ROUNDS = value('rounds', QUICK ? 2 : 5);
const STT_MS = value('stt-ms', 300);
const TTS_MS = value('tts-ms', 150);
const CALLS = value('calls', QUICK ? 3 : 10);
const CALL_TRANSCRIPTION_MS = value('call-transcription-ms', 800);
const CALL_CHAT_MS = value('call-chat-ms', 300);

type Kind = 'pglite' | 'postgres';
const log = (line: string) => process.stderr.write(`${line}\n`);

/**
 * Runs the sessions worker (voice-sessions.ts) against the server of `t`: the worker starts the
 * fake provider, this thread makes it the org's speech provider and turns voice on, the worker
 * runs the warm-up round and ROUNDS measured rounds. The server thread's own CPU and event-loop
 * use over the measured part are returned with the turns.
 */
async function runSessions(t: TestApp, base: string, mode: VoiceSessionsConfig['mode']) {
  const { createWidgetOrg } = await import(
    '../../apps/server/src/modules/conversations/testing/widget-fixture.js'
  );
  const { addSpeechProvider, voiceOn } = await import(
    '../../apps/server/src/modules/conversations/voice/testing/fake-speech-server.js'
  );
  const org = await createWidgetOrg(t, `Voice bench (${mode})`);
  const config: VoiceSessionsConfig = {
    mode,
    concurrency: CONCURRENCY,
    rounds: ROUNDS,
    sttMs: STT_MS,
    ttsMs: TTS_MS,
  };
  const worker = new Worker(new URL('./voice-sessions.ts', import.meta.url), { workerData: config });
  try {
    return await new Promise<{ turns: TurnResult[]; serverThread: Record<string, number> }>(
      (resolve, reject) => {
        let measuring: { elu: EventLoopUtilization; cpu: NodeJS.CpuUsage; at: number } | null = null;
        worker.on('error', reject);
        worker.on('message', async (message) => {
          try {
            if (message.type === 'provider') {
              const providerId = await addSpeechProvider(
                (payload) =>
                  t.app.inject({
                    method: 'POST',
                    url: '/v1/model-providers',
                    headers: { authorization: `Bearer ${org.apiKey}` },
                    payload,
                  }),
                message.baseUrl,
              );
              const patched = await t.app.inject({
                method: 'PATCH',
                url: `/v1/agents/${org.agentId}`,
                headers: { authorization: `Bearer ${org.apiKey}` },
                payload: { voice: voiceOn(providerId) },
              });
              if (patched.statusCode !== 200) throw new Error(`agent: ${patched.body}`);
              worker.postMessage({ type: 'run', base, agentKey: org.agentKey });
            } else if (message.type === 'measuring') {
              measuring = {
                elu: performance.eventLoopUtilization(),
                cpu: process.threadCpuUsage(),
                at: performance.now(),
              };
            } else if (message.type === 'done') {
              const cpu = measuring ? process.threadCpuUsage(measuring.cpu) : null;
              const wallMs = measuring ? performance.now() - measuring.at : Number.NaN;
              const cpuMs = cpu ? (cpu.user + cpu.system) / 1000 : Number.NaN;
              resolve({
                turns: message.turns,
                serverThread: {
                  cpuMsPerTurn: Math.round((cpuMs / message.turns.length) * 10) / 10,
                  eventLoopUtilization: measuring
                    ? Math.round(performance.eventLoopUtilization(measuring.elu).utilization * 100) / 100
                    : Number.NaN,
                  wallMs: Math.round(wallMs),
                },
              });
            } else if (message.type === 'error') reject(new Error(message.message));
          } catch (error) {
            reject(error);
          }
        });
      },
    );
  } finally {
    await worker.terminate();
  }
}

type EventLoopUtilization = ReturnType<typeof performance.eventLoopUtilization>;

/** The voice scenario on one database, paced then burst: overhead figures and where they go. */
async function voiceOn1Database(kind: Kind) {
  const { createTestApp } = await import('../../apps/server/src/testing/test-app.js');
  const { listen } = await import('../../apps/server/src/modules/conversations/testing/widget-fixture.js');
  log(`voice on ${kind}`);
  const t = await createTestApp({ kind, env: { CONFIDANT_ALLOW_PRIVATE_NETWORKS: 'true' } });
  try {
    const base = await listen(t);
    const out: Record<string, unknown> = { database: kind };
    for (const mode of ['paced', 'burst'] as const) {
      const { turns, serverThread } = await runSessions(t, base, mode);
      const overhead = latencySummary(turns.map((r) => r.overheadMs));
      const stage = (q: 'p50Ms' | 'p95Ms') =>
        Object.fromEntries(
          (['transcribeMs', 'answerToFirstSentenceMs', 'speechFirstByteMs'] as const).map((k) => [
            k,
            latencySummary(turns.map((r) => r.stages[k]))[q],
          ]),
        );
      out[mode] = {
        turns: turns.length,
        endOfSpeechToFirstAudioByteMs: latencySummary(turns.map((r) => r.firstByteMs)),
        providerTimeMs: latencySummary(turns.map((r) => r.providerMs)),
        platformOverheadMs: overhead,
        /**
         * Where the overhead goes (each minus its provider's time where it has one). The first
         * sentence's speech starts on the server when the sentence is written, so its provider
         * time overlaps the `speech` event's trip and the GET: speechFirstByteMs is negative when
         * the provider is the slower of the two.
         */
        overheadByStageP50Ms: stage('p50Ms'),
        overheadByStageP95Ms: stage('p95Ms'),
        /** The server's thread alone over the measured turns (whole turns: upload, answer, speech). */
        serverThread,
        goal: { p95AtMostMs: 150, met: overhead.p95Ms <= 150 },
      };
    }
    return out;
  } finally {
    await t.close();
  }
}

/** PGlite (what `npm start` runs), and PostgreSQL as the peer when a URL is given. */
async function voiceScenario() {
  const databases = [];
  for (const kind of ['pglite', 'postgres'] as const) {
    if (kind === 'postgres' && !process.env.TEST_DATABASE_URL) {
      databases.push({
        database: kind,
        skipped: 'set BENCH_DATABASE_URL or TEST_DATABASE_URL to measure it',
      });
      continue;
    }
    databases.push(await voiceOn1Database(kind));
  }
  return {
    concurrentSessions: CONCURRENCY,
    providerFixedLatencyMs: { transcription: STT_MS, speech: TTS_MS },
    clip: { bytes: 6241, chunks: 4, format: 'audio/webm;codecs=opus' },
    databases,
  };
}

/**
 * Call analysis throughput (calls-throughput.ts): uploaded calls processed one after the other by
 * the durable job, with its own app and fake providers (so the voice figures are not mixed in).
 */
async function callsScenario() {
  const { runCallsThroughput } = await import('./calls-throughput.js');
  log(`calls: ${CALLS} uploads of a generated two-voice dialogue`);
  return runCallsThroughput({ calls: CALLS, transcriptionMs: CALL_TRANSCRIPTION_MS, chatMs: CALL_CHAT_MS });
}

async function main() {
  // Before test-database.ts is imported (it reads the URL once).
  const postgresUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || undefined;
  if (postgresUrl) process.env.TEST_DATABASE_URL = postgresUrl;
  const out: Record<string, unknown> = { quick: QUICK, voice: await voiceScenario() };
  // `--calls 0` leaves the call scenario out (voice only).
  if (CALLS > 0) out.calls = await callsScenario();
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
}

await main();
