import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { provisionWidgetOrg } from '../../apps/server/src/modules/conversations/testing/remote-org.js';
import { startConversation } from '../../apps/server/src/modules/conversations/testing/widget-fixture.js';
import type { TestDatabase } from '../../apps/server/src/platform/db/test-database.js';
import {
  type ServerProcess,
  serverEnv,
  startServerProcess,
  stopServerProcess,
} from '../../apps/server/src/testing/server-process.js';
import { ownCpuSeconds, processCpuSeconds } from './cpu.js';
import { type Conversation, type DeliveryResult, measureDelivery } from './measure.js';
import { inBatches } from './visitor-streams.js';

/**
 * `npm run bench:inbox`: how fast an operator's reply reaches the visitor's open events stream,
 * with many streams open (DESIGN.md §8: p99 ≤ 50 ms at 1,000 streams on PostgreSQL).
 *
 * Per database and stream count (--streams, default 100 and 1,000): a fresh org and agent, N
 * widget conversations each with its visitor's events stream open (measure.ts), one unmeasured
 * warm-up reply per conversation (the takeover), then replies at --rate per second for --seconds
 * (round-robin over the conversations) and a --grace period for stragglers. Reported: delivery
 * latency (before the POST → the visitor's `message` event) percentiles, replies lost (accepted
 * but never delivered in time; must be 0), duplicates, out-of-order events, the operators' POST
 * latency, and CPU seconds per process during the reply phase.
 *
 * Servers are real child processes (main.ts), with the rate limiter off:
 * - pglite: one server on embedded PGlite; visitors and operators on it;
 * - postgres: two servers on one throwaway PostgreSQL database (BENCH_DATABASE_URL or
 *   TEST_DATABASE_URL; skipped when neither is set) — visitors on A, operators on B, so every
 *   event crosses processes through NOTIFY (the worst case).
 *
 * Prints JSON to stdout, progress to stderr. Not a test: nothing is asserted. Timings are
 * wall-clock and the client shares the machine with the servers: compare figures from one run.
 */
type Kind = 'pglite' | 'postgres';

function numberArg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
}

function listArg(name: string, fallback: string): string[] {
  const i = process.argv.indexOf(`--${name}`);
  return (i >= 0 ? (process.argv[i + 1] ?? '') : fallback).split(',').filter(Boolean);
}

const options = {
  streams: listArg('streams', '100,1000').map(Number),
  databases: listArg('databases', 'pglite,postgres') as Kind[],
  rate: numberArg('rate', 50),
  seconds: numberArg('seconds', 20),
  graceSeconds: numberArg('grace', 5),
  maxInFlight: numberArg('max-in-flight', 64),
};
for (const n of options.streams)
  if (!Number.isInteger(n) || n <= 0 || n > 5000) throw new Error('--streams: integers in 1..5000');
for (const kind of options.databases)
  if (kind !== 'pglite' && kind !== 'postgres') throw new Error('--databases: pglite and/or postgres');

const log = (line: string) => process.stderr.write(`${line}\n`);

type Deployment = {
  visitors: ServerProcess;
  operators: ServerProcess;
  platformKey: string;
  stop(): Promise<void>;
};

async function deploy(kind: Kind, database: TestDatabase | null): Promise<Deployment> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'confidant-inbox-bench-'));
  const { env, platformKey } = serverEnv({
    dataDir,
    ...(database ? { databaseUrl: (database as unknown as { url: string }).url } : {}),
    // A load tool, not a limiter test: thousands of requests come from one address.
    extra: { CONFIDANT_RATE_LIMIT: 'off' },
  });
  const servers: ServerProcess[] = [];
  const stop = async () => {
    await Promise.all(servers.map((s) => stopServerProcess(s, 'SIGKILL')));
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    // One after the other: each boot checks migrations and the platform org.
    servers.push(await startServerProcess(env));
    if (kind === 'postgres') servers.push(await startServerProcess(env));
  } catch (error) {
    await stop();
    throw error;
  }
  return { visitors: servers[0]!, operators: servers.at(-1)!, platformKey, stop };
}

type ConfigResult = {
  config: string;
  streams: number;
  ratePerSecond: number;
  seconds: number;
} & DeliveryResult;

async function runOne(kind: Kind, d: Deployment, streams: number): Promise<ConfigResult> {
  const config =
    kind === 'pglite' ? 'pglite, one server' : 'postgres, two servers (visitors on A, operators on B)';
  log(`${config}, ${streams} streams: provisioning`);
  const org = await provisionWidgetOrg(d.visitors.url, d.platformKey, `Inbox bench ${streams}`);
  const conversations: Conversation[] = [];
  await inBatches([...Array(streams).keys()], 16, async () => {
    const { conversationId, token } = await startConversation(d.visitors.url, org.agentKey);
    conversations.push({ id: conversationId, token });
  });
  log(`${config}, ${streams} streams: measuring ${options.rate} replies/s for ${options.seconds} s`);
  const pids = { client: null, serverA: d.visitors.child.pid, serverB: d.operators.child.pid };
  const result = await measureDelivery({
    visitorUrl: d.visitors.url,
    operatorUrl: d.operators.url,
    apiKey: org.apiKey,
    conversations,
    rate: options.rate,
    seconds: options.seconds,
    graceSeconds: options.graceSeconds,
    maxInFlight: options.maxInFlight,
    cpuSeconds: () => {
      const out: Record<string, number> = { client: ownCpuSeconds() };
      out[kind === 'pglite' ? 'server' : 'serverA'] = processCpuSeconds(pids.serverA!) ?? Number.NaN;
      if (kind === 'postgres') out.serverB = processCpuSeconds(pids.serverB!) ?? Number.NaN;
      return out;
    },
  });
  log(
    `  p50 ${result.deliveryLatency.p50Ms} ms, p99 ${result.deliveryLatency.p99Ms} ms, lost ${result.lost}, duplicates ${result.duplicates}`,
  );
  return { config, streams, ratePerSecond: options.rate, seconds: options.seconds, ...result };
}

async function main() {
  // createTestDatabase reads TEST_DATABASE_URL when its module loads; BENCH_DATABASE_URL wins.
  const postgresUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || undefined;
  if (postgresUrl) process.env.TEST_DATABASE_URL = postgresUrl;
  const { createTestDatabase } = await import('../../apps/server/src/platform/db/test-database.js');

  const results: (ConfigResult | { config: string; skipped: string })[] = [];
  for (const kind of options.databases) {
    if (kind === 'postgres' && !postgresUrl) {
      results.push({
        config: 'postgres',
        skipped: 'set BENCH_DATABASE_URL or TEST_DATABASE_URL to a PostgreSQL server to measure it',
      });
      continue;
    }
    const database = kind === 'postgres' ? await createTestDatabase('postgres') : null;
    try {
      const deployment = await deploy(kind, database);
      try {
        for (const streams of options.streams) results.push(await runOne(kind, deployment, streams));
      } finally {
        await deployment.stop();
      }
    } finally {
      await database?.drop();
    }
  }
  const output = {
    benchmark: 'inbox delivery: operator reply → visitor events stream',
    goal: 'p99 ≤ 50 ms at 1,000 streams on PostgreSQL (DESIGN.md §8)',
    options,
    node: process.version,
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? null,
    date: new Date().toISOString(),
    results,
  };
  process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
