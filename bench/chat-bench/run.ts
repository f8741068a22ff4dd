import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TestDatabase } from '../../apps/server/src/platform/db/test-database.js';
import {
  type ServerProcess,
  serverEnv,
  startServerProcess,
  stopServerProcess,
} from '../../apps/server/src/testing/server-process.js';
import { processCpuSeconds } from '../inbox-bench/cpu.js';
import { latencySummary } from '../retrieval-bench/stats.js';
import { type OpenLoopResult, openLoop, requestRate, timedStream } from './load.js';
import { preloadPglite, preloadPostgres } from './preload.js';
import {
  type BenchOrg,
  type Conversation,
  openConversations,
  provisionBenchOrg,
  QUESTIONS,
  SITE,
} from './provision.js';
import { type Child, residentMb, startListeningChild, timed } from './servers.js';
import { overheadOf, passes } from './summary.js';

/**
 * `npm run bench:chat`: what Confidant adds to a model's time to first token, how many visitor
 * messages per second it answers, how fast its admin API reads are, how fast it starts and how
 * much memory it holds idle (issue 11, "Speed"). Every figure comes with its peer measured in the
 * same run on the same machine (the model server's own TTFT, a bare Fastify app), since absolute
 * numbers on a shared machine are noise.
 *
 * Per database (PGlite; PostgreSQL when BENCH_DATABASE_URL or TEST_DATABASE_URL is set):
 * 1. boot (fresh data: migrations), provision through the API (org, 12 help-centre articles, the
 *    bench model server as provider, an extractive and a model agent), then restart: start-up
 *    time of the restart and resident memory after 3 s idle;
 * 2. request rates (closed loop, 16 callers): bare Fastify /healthz, Confidant /healthz,
 *    GET /v1/agents with an API key;
 * 3. overhead: at each --rates (open loop), the model server's own TTFT from this client, then
 *    the TTFT of the same answer through Confidant (widget message → first `token` event);
 * 4. sustained: for model and extractive answers, --ladder rates in turn until one fails
 *    (p99 of the whole answer ≥ 1 s, an error, or a request not sent because 256 were pending);
 * 5. with --preload N: stop, insert N stored messages into the bench org, restart, measure 2–4 again.
 *
 * Every step starts once the servers are idle again (a step that overloaded them leaves answers
 * behind), and reports the servers' CPU milliseconds per message or request: latency on a shared
 * machine says as much about the neighbours as about Confidant; CPU per unit of work does not.
 *
 * PostgreSQL runs two API processes and a job worker (CONFIDANT_ROLE); the client spreads
 * conversations over both APIs. Prints JSON to stdout, progress to stderr. Not a test.
 */
type Kind = 'pglite' | 'postgres';
const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
function value(name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? (args[i + 1] ?? '') : fallback;
}
const list = (name: string, fallback: string) => value(name, fallback).split(',').filter(Boolean);
const quick = flag('quick');
const options = {
  quick,
  databases: list('databases', 'pglite,postgres') as Kind[],
  seconds: Number(value('seconds', quick ? '4' : '10')),
  rates: list('rates', quick ? '15,50' : '15,30,50').map(Number),
  ladder: list('ladder', quick ? '25,50,100,150,300' : '25,50,75,100,150,200,300,400').map(Number),
  requestSeconds: Number(value('request-seconds', quick ? '3' : '5')),
  conversations: Number(value('conversations', quick ? '40' : '100')),
  preload: Number(value('preload', '0')),
  /** compiled: what `npm start` runs (the compiled bundle); tsx: the TypeScript sources (as before). */
  runner: value('runner', 'compiled') as 'compiled' | 'tsx',
};
if (options.runner !== 'compiled' && options.runner !== 'tsx') throw new Error('--runner: compiled or tsx');
for (const n of [
  ...options.rates,
  ...options.ladder,
  options.seconds,
  options.requestSeconds,
  options.conversations,
])
  if (!Number.isFinite(n) || n <= 0) throw new Error('rates, seconds and counts must be positive numbers');

const log = (line: string) => process.stderr.write(`${line}\n`);
const MAX_IN_FLIGHT = 256;
let messageCounter = 0;

type Deployment = {
  apis: ServerProcess[];
  worker: ServerProcess | null;
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  start(): Promise<{ startMs: number[]; startCpuMs: number[] }>;
};

function deployment(kind: Kind, env: NodeJS.ProcessEnv): Deployment {
  const d: Deployment = {
    apis: [],
    worker: null,
    async stop(signal = 'SIGTERM') {
      await Promise.all(
        [...d.apis, ...(d.worker ? [d.worker] : [])].map((s) => stopServerProcess(s, signal)),
      );
      d.apis = [];
      d.worker = null;
    },
    async start() {
      const startMs: number[] = [];
      const startCpuMs: number[] = [];
      // One after the other: each boot checks migrations and the platform org.
      const boot = async (role: string) => {
        const { value: server, ms: wallMs } = await timed(() =>
          startServerProcess({ ...env, CONFIDANT_ROLE: role }, { compiled: options.runner === 'compiled' }),
        );
        // Wall time to the ready line, and the CPU the process used to get there.
        startMs.push(wallMs);
        startCpuMs.push(Math.round((processCpuSeconds(server.child.pid!) ?? Number.NaN) * 1000));
        return server;
      };
      if (kind === 'pglite') d.apis.push(await boot('all'));
      else {
        d.apis.push(await boot('api'));
        d.apis.push(await boot('api'));
        d.worker = await boot('worker');
      }
      return { startMs, startCpuMs };
    },
  };
  return d;
}

function widgetTask(conversations: Conversation[]) {
  return (k: number) => {
    const c = conversations[k % conversations.length]!;
    return timedStream(`${c.url}/v1/widget/conversations/${c.id}/messages`, {
      headers: { authorization: `Bearer ${c.token}`, origin: SITE, 'content-type': 'application/json' },
      body: JSON.stringify({
        text: QUESTIONS[k % QUESTIONS.length],
        clientMessageId: `bench-${++messageCounter}`,
      }),
      marker: 'event: token',
      failMarker: 'event: error',
    });
  };
}

function modelTask(modelUrl: string) {
  const body = JSON.stringify({
    model: 'bench-model',
    stream: true,
    messages: [{ role: 'user', content: QUESTIONS[0] }],
  });
  return () =>
    timedStream(`${modelUrl}/chat/completions`, {
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk-bench' },
      body,
      marker: 'data: ',
    });
}

const summarise = (rate: number, r: OpenLoopResult) => ({
  ratePerSecond: rate,
  scheduled: r.scheduled,
  completed: r.completed,
  errors: r.errors,
  skipped: r.skipped,
  firstToken: latencySummary(r.firstTokenMs),
  wholeAnswer: latencySummary(r.totalMs),
});

/**
 * CPU milliseconds the Confidant processes spent per unit of work during `run` (user + system,
 * from /proc): unlike latency, barely moved by other load on the machine, so it compares builds
 * measured at different times.
 */
async function cpuPer<T>(d: Deployment, units: (result: T) => number, run: () => Promise<T>) {
  const pids = [...d.apis, ...(d.worker ? [d.worker] : [])].map((s) => s.child.pid!);
  const total = () => pids.reduce((sum, pid) => sum + (processCpuSeconds(pid) ?? Number.NaN), 0);
  const before = total();
  const result = await run();
  const n = units(result);
  return { result, cpuMsPerUnit: n > 0 ? Math.round(((total() - before) * 1000 * 100) / n) / 100 : null };
}

/**
 * Waits until the Confidant processes are idle (under 10% of a core over half a second, at most
 * 60 s): a step that overloaded them leaves work behind (answers the client gave up on), which
 * must not be billed to the next step.
 */
async function settle(d: Deployment) {
  const pids = [...d.apis, ...(d.worker ? [d.worker] : [])].map((s) => s.child.pid!);
  const total = () => pids.reduce((sum, pid) => sum + (processCpuSeconds(pid) ?? 0), 0);
  for (let i = 0; i < 120; i++) {
    const before = total();
    await sleep(500);
    if (total() - before < 0.05 * pids.length) return;
  }
}

async function measure(label: string, d: Deployment, org: BenchOrg, model: Child, bare: Child) {
  const urls = d.apis.map((s) => s.url);
  log(`${label}: opening ${options.conversations} conversations per agent`);
  const pools = {
    model: await openConversations(urls, org.agents.model.key, options.conversations),
    extractive: await openConversations(urls, org.agents.extractive.key, options.conversations),
  };
  // Warm-up (unmeasured): JIT, caches, connection pools.
  await openLoop(10, 2, MAX_IN_FLIGHT, widgetTask(pools.model));
  await openLoop(10, 2, MAX_IN_FLIGHT, widgetTask(pools.extractive));

  await settle(d);
  log(`${label}: request rates`);
  const rateOptions = { concurrency: 16, seconds: options.requestSeconds };
  const bareHealthz = await requestRate(`${bare.url}/healthz`, {}, rateOptions);
  const healthz = await requestRate(`${urls[0]}/healthz`, {}, rateOptions);
  const agents = await requestRate(
    `${urls[0]}/v1/agents`,
    { authorization: `Bearer ${org.apiKey}` },
    rateOptions,
  );
  const requests = {
    bareFastifyHealthz: bareHealthz,
    healthz,
    adminAgentsList: agents,
    healthzShareOfBare: Math.round((healthz.requestsPerSecond / bareHealthz.requestsPerSecond) * 100) / 100,
    adminShareOfHealthz: Math.round((agents.requestsPerSecond / healthz.requestsPerSecond) * 100) / 100,
  };
  log(
    `  bare ${bareHealthz.requestsPerSecond}/s, healthz ${healthz.requestsPerSecond}/s, agents ${agents.requestsPerSecond}/s`,
  );
  const overhead = [];
  for (const rate of options.rates) {
    await settle(d);
    log(`${label}: overhead at ${rate} msg/s`);
    const direct = summarise(
      rate,
      await openLoop(rate, options.seconds, MAX_IN_FLIGHT, modelTask(model.url)),
    );
    const cpu = await cpuPer(
      d,
      (r: OpenLoopResult) => r.completed,
      () => openLoop(rate, options.seconds, MAX_IN_FLIGHT, widgetTask(pools.model)),
    );
    const through = summarise(rate, cpu.result);
    overhead.push({
      ratePerSecond: rate,
      modelServerFirstToken: direct.firstToken,
      throughConfidantFirstToken: through.firstToken,
      errors: through.errors,
      skipped: through.skipped,
      overheadMs: overheadOf(direct.firstToken, through.firstToken),
      serverCpuMsPerMessage: cpu.cpuMsPerUnit,
    });
    log(
      `  overhead p50 ${overhead.at(-1)!.overheadMs.p50Ms} ms, p99 ${overhead.at(-1)!.overheadMs.p99Ms} ms`,
    );
  }

  const sustained: Record<string, unknown> = {};
  for (const mode of ['model', 'extractive'] as const) {
    const steps = [];
    let best = 0;
    for (const rate of options.ladder) {
      await settle(d);
      log(`${label}: ${mode} answers at ${rate} msg/s`);
      const cpu = await cpuPer(
        d,
        (r: OpenLoopResult) => r.completed,
        () => openLoop(rate, options.seconds, MAX_IN_FLIGHT, widgetTask(pools[mode])),
      );
      const s = { ...summarise(rate, cpu.result), serverCpuMsPerMessage: cpu.cpuMsPerUnit };
      steps.push(s);
      log(
        `  p50 ${s.wholeAnswer.p50Ms} ms, p99 ${s.wholeAnswer.p99Ms} ms, errors ${s.errors}, skipped ${s.skipped}`,
      );
      if (!passes(s)) break;
      best = rate;
    }
    sustained[mode] = { highestSustainedPerSecond: best, steps };
  }

  return { overhead, sustained, requests };
}

async function restart(d: Deployment) {
  await d.stop();
  const { startMs, startCpuMs } = await d.start();
  await sleep(3000);
  return {
    startMs,
    startCpuMs,
    idleResidentMb: [...d.apis, ...(d.worker ? [d.worker] : [])].map((s) => residentMb(s.child.pid)),
  };
}

async function runKind(kind: Kind, database: TestDatabase | null, model: Child, bare: Child) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'confidant-chat-bench-'));
  const { env, platformKey } = serverEnv({
    dataDir,
    ...(database ? { databaseUrl: database.url! } : {}),
    extra: { CONFIDANT_RATE_LIMIT: 'off', CONFIDANT_ALLOW_PRIVATE_NETWORKS: 'true' },
  });
  const d = deployment(kind, env);
  try {
    log(`${kind}: first boot`);
    const first = await d.start();
    log(`${kind}: provisioning`);
    const org = await provisionBenchOrg(d.apis[0]!.url, platformKey, model.url);
    const boot = await restart(d);
    log(`${kind}: restart in ${boot.startMs.join(', ')} ms, idle ${boot.idleResidentMb.join(', ')} MB`);
    const fresh = await measure(`${kind}`, d, org, model, bare);
    let preloaded = null;
    if (options.preload > 0) {
      await d.stop();
      log(`${kind}: pre-loading ${options.preload} stored messages`);
      const { ms } = await timed(async () => {
        if (kind === 'pglite')
          await preloadPglite(dataDir, org.orgId, org.agents.extractive.id, options.preload);
        else {
          const adminUrl = process.env.TEST_DATABASE_URL!;
          await preloadPostgres(
            adminUrl,
            new URL(database!.url!).pathname.slice(1),
            org.orgId,
            org.agents.extractive.id,
            options.preload,
          );
        }
      });
      const again = await restart(d);
      preloaded = {
        messages: options.preload,
        preloadMs: ms,
        boot: again,
        ...(await measure(`${kind} +${options.preload}`, d, org, model, bare)),
      };
    }
    return {
      database: kind,
      processes: kind === 'pglite' ? 'one server (role all)' : 'two API servers and a job worker',
      firstBootMs: first.startMs,
      boot,
      ...fresh,
      preloaded,
    };
  } finally {
    await d.stop('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main() {
  const postgresUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || undefined;
  if (postgresUrl) process.env.TEST_DATABASE_URL = postgresUrl;
  const { createTestDatabase } = await import('../../apps/server/src/platform/db/test-database.js');
  const model = await startListeningChild('./model-server.ts');
  const bare = await startListeningChild('./bare-fastify.ts');
  const startedAt = Date.now();
  const results = [];
  try {
    for (const kind of options.databases) {
      if (kind === 'postgres' && !postgresUrl) {
        results.push({
          database: 'postgres',
          skipped: 'set BENCH_DATABASE_URL or TEST_DATABASE_URL to measure it',
        });
        continue;
      }
      const database = kind === 'postgres' ? await createTestDatabase('postgres') : null;
      try {
        const result = await runKind(kind, database, model, bare);
        results.push(result);
        // Also on stderr at once: a run cut short still leaves the databases measured so far.
        log(`${kind} result: ${JSON.stringify(result)}`);
      } finally {
        await database?.drop();
      }
    }
  } finally {
    await model.stop();
    await bare.stop();
  }
  const output = {
    benchmark:
      'chat answer path: overhead on the model’s time to first token, sustained answers, request rates, start-up',
    goals: {
      overheadAt50PerSecondPglite: 'p50 ≤ 5 ms, p99 ≤ 25 ms',
      extractiveSustained: 'PGlite ≥ 150 msg/s, PostgreSQL ≥ 300 msg/s (p99 < 1 s, no errors)',
      adminReads: '≥ 25% of /healthz',
      startUp: '≤ 2 s',
      idleMemory: '≤ 300 MB (embedded)',
    },
    options,
    node: process.version,
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? null,
    date: new Date().toISOString(),
    wallSeconds: Math.round((Date.now() - startedAt) / 1000),
    results,
  };
  process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
