import { setTimeout as sleep } from 'node:timers/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { readEvents } from '../../apps/server/src/modules/conversations/testing/sse-client.js';
import {
  SITE,
  startConversation,
} from '../../apps/server/src/modules/conversations/testing/widget-fixture.js';
import { QUESTION_WEBM } from '../../apps/server/src/modules/conversations/voice/testing/fake-speech-server.js';
import {
  type FakeSpeechProvider,
  startFakeSpeechProvider,
} from '../../apps/server/src/modules/models/testing/fake-speech-provider.js';

/**
 * The visitors and the speech provider of `bench:voice`, in a worker thread of their own (run.ts
 * starts it): in production neither runs in Confidant's process (visitors are browsers, the
 * provider is a remote API), so here they do not share the server's event loop either, and the
 * figure is what the server adds, not what the load generator costs.
 *
 * Messages: this worker posts `{ type: 'provider', baseUrl }` once its fake provider listens; the
 * main thread answers `{ type: 'run', base, agentKey }` when the org uses it; the worker posts
 * `{ type: 'done', turns }` (or `{ type: 'error', message }`).
 */
export type VoiceSessionsConfig = {
  /**
   * `paced`: each session is one conversation whose visitor talks at a person's pace (the clip's
   * chunks sent every 250 ms as the widget does while the visitor speaks, then the answer
   * listened to and a pause before the next turn), sessions starting at independent moments.
   * `burst`: every round, all sessions start a new conversation and end their speech in the same
   * instant (the worst case: the ten turns queue behind one another on the server).
   */
  mode: 'paced' | 'burst';
  concurrency: number;
  rounds: number;
  sttMs: number;
  ttsMs: number;
};
export type TurnResult = {
  firstByteMs: number;
  providerMs: number;
  overheadMs: number;
  stages: { transcribeMs: number; answerToFirstSentenceMs: number; speechFirstByteMs: number };
};

const config = workerData as VoiceSessionsConfig;
const port = parentPort!;
const log = (line: string) => process.stderr.write(`${line}\n`);

type Conversation = { conversationId: string; token: string };

/** The widget sends a chunk every 250 ms while the visitor speaks (apps/widget/src/voice.ts). */
const CHUNK_MS = 250;
/** What the paced visitor spends listening to the answer, then thinking, before talking again. */
const LISTEN_MS = 3_000;
const THINK_MS = { min: 500, max: 2_500 };

/**
 * One voice turn; returns end-of-speech → first answer byte, and provider time. `paced`: the
 * clip's chunks are sent CHUNK_MS apart (as the visitor speaks); otherwise in 4 back-to-back posts.
 */
async function voiceTurn(
  base: string,
  conversation: Conversation,
  speech: FakeSpeechProvider,
  n: number,
  paced: boolean,
) {
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
  // 1.6 s of speech: 7 chunks of 250 ms when paced.
  const pieces = paced ? 7 : 4;
  const size = Math.ceil(QUESTION_WEBM.length / pieces);
  for (let i = 0; i < QUESTION_WEBM.length; i += size) {
    if (paced) await sleep(CHUNK_MS);
    await post(
      `/voice-turns/${turnId}/chunks`,
      QUESTION_WEBM.subarray(i, i + size),
      'application/octet-stream',
    );
  }

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
  if (paced) while (!(await reader.read()).done);
  else controller.abort();
  await events;
  // This session's two provider calls are among those recorded since it started; with several
  // sessions in flight the attribution is by kind and order, and every call has the same fixed
  // latency, so the mean of the calls recorded in the window is used.
  const window = speech.timings.slice(before);
  const mean = (kind: string) => {
    const xs = window.filter((x) => x.kind === kind).map((x) => x.ms);
    return xs.length
      ? xs.reduce((a, b) => a + b, 0) / xs.length
      : kind === 'speech'
        ? config.ttsMs
        : config.sttMs;
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
  } satisfies TurnResult;
}

const speech = await startFakeSpeechProvider({
  script: { turns: 'How long does shipping take?' },
  latency: { transcriptionMs: config.sttMs, firstByteMs: config.ttsMs },
});
/** A small seeded generator, so two runs pace their sessions alike. */
function mulberry32(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

port.on('message', async (message: { type: 'run'; base: string; agentKey: string }) => {
  try {
    const { base, agentKey } = message;
    let n = 0;
    const burst = () =>
      Promise.all(
        Array.from({ length: config.concurrency }, async () =>
          voiceTurn(base, await startConversation(base, agentKey), speech, ++n, false),
        ),
      );
    log(`voice (${config.mode}): warm-up`);
    await burst();
    const turns: TurnResult[] = [];
    port.postMessage({ type: 'measuring' });
    if (config.mode === 'burst') {
      for (let r = 1; r <= config.rounds; r++) {
        log(`voice (burst): round ${r}/${config.rounds}, ${config.concurrency} sessions at once`);
        turns.push(...(await burst()));
      }
    } else {
      log(`voice (paced): ${config.concurrency} sessions of ${config.rounds} turns each`);
      await Promise.all(
        Array.from({ length: config.concurrency }, async (_, session) => {
          const random = mulberry32(session + 1);
          await sleep(random() * (THINK_MS.max + CHUNK_MS * 7));
          const conversation = await startConversation(base, agentKey);
          for (let r = 0; r < config.rounds; r++) {
            turns.push(await voiceTurn(base, conversation, speech, ++n, true));
            await sleep(LISTEN_MS + THINK_MS.min + random() * (THINK_MS.max - THINK_MS.min));
          }
        }),
      );
    }
    port.postMessage({ type: 'done', turns });
  } catch (error) {
    port.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  } finally {
    await speech.close();
  }
});
port.postMessage({ type: 'provider', baseUrl: speech.baseUrl });
