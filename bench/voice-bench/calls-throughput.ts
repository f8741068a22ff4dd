import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { eq } from 'drizzle-orm';
import { multipart } from '../../apps/server/src/modules/knowledge/testing/file-upload-kit.js';
import { createProvider } from '../../apps/server/src/modules/model-providers/service.js';
import { startFakeSpeechProvider } from '../../apps/server/src/modules/models/testing/fake-speech-provider.js';
import { startFakeStructuredOpenAi } from '../../apps/server/src/modules/models/testing/fake-structured-openai.js';
import { modelCalls } from '../../apps/server/src/platform/db/schema/index.js';
import { withTenant } from '../../apps/server/src/platform/db/tenancy.js';
import {
  type DialogueScriptLine,
  generateEspeakDialogue,
} from '../../apps/server/src/testing/espeak-dialogue.js';
import { createTestApp } from '../../apps/server/src/testing/test-app.js';

/**
 * Call processing throughput (issue 13, "Measure"): N uploads of one generated two-voice dialogue
 * (espeak-ng, about 70 s) through the API, each processed by the durable job with local fake
 * providers at FIXED latencies (transcription `--transcription-ms`, chat `--chat-ms` before each
 * structured answer). Calls go one after the other (upload, wait until ready) so each call's
 * wall time is its own; the providers' time is what the platform metered for that call
 * (model_calls.duration_ms of its transcription, scoring and coaching).
 *
 * Prints JSON: minutes of audio processed per minute of wall time, with the providers' time
 * included and excluded, and the median per-call platform overhead (wall − providers) in ms.
 * Not a test: nothing is asserted; compare figures from one machine.
 *
 *   npx tsx bench/voice-bench/calls-throughput.ts [--calls 20] [--transcription-ms 800] [--chat-ms 300]
 */
export type CallsThroughputOptions = { calls?: number; transcriptionMs?: number; chatMs?: number };

export type CallsThroughputResult = {
  calls: number;
  audioSecondsPerCall: number;
  providerLatencyMs: { transcription: number; chat: number };
  wallSeconds: number;
  providerSeconds: number;
  audioMinutesPerMinute: { providersIncluded: number; providersExcluded: number };
  overheadMsPerCall: { median: number; p95: number };
};

const LINES: [string, string][] = [
  ['A', 'Hello this is Sam from Acme thanks for taking the call today.'],
  ['B', 'Sure we have been looking for a better support tool for a while.'],
  ['A', 'What made you start looking for something new this quarter?'],
  ['B', 'Our ticket backlog keeps growing and customers wait too long for answers.'],
  ['A', 'How many people answer tickets on your team right now?'],
  ['B', 'About twelve agents across two time zones and we plan to hire more.'],
  ['A', 'Which channels do your customers use the most to reach you?'],
  ['B', 'Mostly email and chat with some phone calls from larger accounts.'],
  ['A', 'Our assistant answers common questions from your help centre automatically.'],
  ['B', 'That sounds useful but we worry about data privacy for our customers.'],
  ['A', 'Everything can run on your own servers and personal data is redacted.'],
  ['B', 'Good. What would a pilot look like for a team of our size?'],
  ['A', 'We would start with chat for one month and measure the resolution rate.'],
  ['B', 'Please send me a proposal and we can review it next week.'],
  ['A', 'I will send it today and book a follow up call for Tuesday.'],
];

const median = (values: number[]) => quantile(values, 0.5);
function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

/** A local proxy that waits `delayMs` before forwarding each request (a fixed provider latency). */
async function delayingProxy(target: string, delayMs: number) {
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    void (async () => {
      await sleep(delayMs);
      const forward = httpRequest(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: req.headers,
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      req.pipe(forward);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export async function runCallsThroughput(
  options: CallsThroughputOptions = {},
): Promise<CallsThroughputResult> {
  const n = options.calls ?? 20;
  const transcriptionMs = options.transcriptionMs ?? 800;
  const chatMs = options.chatMs ?? 300;
  const script: DialogueScriptLine[] = LINES.map(([speaker, text]) => ({
    speaker,
    text,
    pauseBeforeSeconds: 0.8,
  }));
  const dialogue = await generateEspeakDialogue(script);
  const speech = await startFakeSpeechProvider({
    script: { turns: script.map((l) => ({ speaker: l.speaker, text: l.text })) },
    latency: { transcriptionMs },
  });
  const chat = await startFakeStructuredOpenAi({ object: {} });
  const chatProxy = await delayingProxy(chat.baseUrl, chatMs);
  const t = await createTestApp({ kind: 'pglite', env: { CONFIDANT_ALLOW_PRIVATE_NETWORKS: 'true' } });
  try {
    const org = await t.createOrg('Bench org');
    const system = { type: 'system' as const, id: null };
    const ids = await withTenant(t.database, [org.orgId], async (tx) => ({
      speech: (
        await createProvider(tx, t.keyring, org.orgId, system, {
          kind: 'openai-compatible',
          name: 'Fake speech',
          baseUrl: speech.baseUrl,
          models: [{ id: 'gpt-4o-transcribe-diarize', type: 'transcription' }],
          maxRetries: 0,
        })
      ).id,
      chat: (
        await createProvider(tx, t.keyring, org.orgId, system, {
          kind: 'openai-compatible',
          name: 'Fake chat',
          baseUrl: chatProxy.baseUrl,
          models: [{ id: 'gpt-4o-mini', type: 'chat' }],
          maxRetries: 0,
        })
      ).id,
    }));
    const auth = { authorization: `Bearer ${org.apiKey}` };
    const api = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
      t.app.inject({ method, url, headers: auth, ...(payload ? { payload } : {}) });
    const rubric = await api('POST', '/v1/rubrics', {
      name: 'Discovery',
      criteria: [
        { id: 'discovery', name: 'Discovery', description: 'Asks about needs' },
        { id: 'next-step', name: 'Next step', description: 'Agrees a next step' },
      ],
    });
    await api('PUT', '/v1/calls/settings', {
      transcription: { providerId: ids.speech, model: 'gpt-4o-transcribe-diarize' },
      scoring: { providerId: ids.chat, model: 'gpt-4o-mini' },
      defaultRubricId: rubric.json().id,
      maxBytes: 50 * 1024 * 1024,
      maxDurationSeconds: 3600,
    });
    const score = {
      object: {
        criteria: [
          {
            criterionId: 'discovery',
            score: 4,
            rationale: 'Asked.',
            evidence: [{ segmentIndex: 2, quote: 'What made you start looking' }],
          },
          {
            criterionId: 'next-step',
            score: 5,
            rationale: 'Booked.',
            evidence: [{ segmentIndex: 14, quote: 'book a follow up call' }],
          },
        ],
      },
    };
    const coaching = {
      object: { wentWell: ['Clear opening', 'Good questions'], tryNext: ['Ask about budget', 'Summarise'] },
    };
    const metered = async () =>
      withTenant(t.database, [org.orgId], (tx) =>
        tx
          .select({ id: modelCalls.id, ms: modelCalls.durationMs })
          .from(modelCalls)
          .where(eq(modelCalls.orgId, org.orgId)),
      );
    const seen = new Set<string>();
    const walls: number[] = [];
    const overheads: number[] = [];
    let providerMs = 0;
    for (let i = 0; i < n; i++) {
      chat.queue.push(score, coaching);
      const body = multipart([{ name: 'file', filename: `call-${i}.wav`, data: dialogue.wav }]);
      const started = performance.now();
      const res = await t.app.inject({
        method: 'POST',
        url: '/v1/calls',
        headers: { ...auth, ...body.headers },
        payload: body.payload,
      });
      if (res.statusCode !== 202) throw new Error(`upload refused: ${res.statusCode} ${res.body}`);
      const id = res.json().id;
      for (;;) {
        const call = (await api('GET', `/v1/calls/${id}`)).json();
        if (call.status === 'ready') break;
        if (call.status === 'failed') throw new Error(`call failed: ${call.error}`);
        await sleep(20);
      }
      const wall = performance.now() - started;
      let own = 0;
      for (const row of await metered()) {
        if (seen.has(row.id)) continue;
        seen.add(row.id);
        own += row.ms;
      }
      walls.push(wall);
      overheads.push(wall - own);
      providerMs += own;
      process.stderr.write(`call ${i + 1}/${n}: ${Math.round(wall)} ms (providers ${own} ms)\n`);
    }
    const wallMs = walls.reduce((a, b) => a + b, 0);
    const audioMinutes = (n * dialogue.durationSeconds) / 60;
    return {
      calls: n,
      audioSecondsPerCall: Math.round(dialogue.durationSeconds * 10) / 10,
      providerLatencyMs: { transcription: transcriptionMs, chat: chatMs },
      wallSeconds: Math.round(wallMs) / 1000,
      providerSeconds: Math.round(providerMs) / 1000,
      audioMinutesPerMinute: {
        providersIncluded: Math.round((audioMinutes / (wallMs / 60_000)) * 10) / 10,
        providersExcluded: Math.round((audioMinutes / ((wallMs - providerMs) / 60_000)) * 10) / 10,
      },
      overheadMsPerCall: {
        median: Math.round(median(overheads)),
        p95: Math.round(quantile(overheads, 0.95)),
      },
    };
  } finally {
    await t.close();
    await chatProxy.close();
    await chat.close();
    await speech.close();
  }
}

function numberArg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i === -1) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a number`);
  return value;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await runCallsThroughput({
    calls: numberArg('calls', 20),
    transcriptionMs: numberArg('transcription-ms', 800),
    chatMs: numberArg('chat-ms', 300),
  });
  console.log(JSON.stringify(result, null, 2));
  process.exit(0);
}
