import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type ServerProcess,
  serverEnv,
  startServerProcess,
  stopServerProcess,
} from '../../apps/server/src/testing/server-process.js';
import { processCpuSeconds } from '../inbox-bench/cpu.js';
import { openLoop, requestRate, timedStream } from './load.js';
import { openConversations, provisionBenchOrg, QUESTIONS, SITE } from './provision.js';
import { residentMb, startListeningChild, timed } from './servers.js';

/**
 * `tsx bench/chat-bench/profile.ts --workload agents|extractive|model|boot [--count N] [--out DIR]`:
 * one workload of the chat bench against a compiled server run under `node --cpu-prof`, then a
 * summary of where its CPU went (self time per function and per package) and the server's CPU
 * per unit of work. For finding what to cut, not for figures to publish (the profiler itself
 * costs CPU). The profile is kept in --out (open it in Chrome DevTools → Performance).
 */
const args = process.argv.slice(2);
const value = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? (args[i + 1] ?? fallback) : fallback;
};
const workload = value('workload', 'agents');
const count = Number(value('count', workload === 'agents' ? '3000' : '400'));
const out = path.resolve(value('out', path.join(tmpdir(), `confidant-profile-${workload}`)));
const profile = !args.includes('--no-profile');
const log = (line: string) => process.stderr.write(`${line}\n`);

type Node = {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
};

/** Self time per function and package of the samples taken from `fromMs` after the profile began. */
function summarise(file: string, fromMs: number) {
  const prof = JSON.parse(readFileSync(file, 'utf8')) as {
    nodes: Node[];
    samples: number[];
    timeDeltas: number[];
  };
  const byNode = new Map(prof.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  let at = 0;
  prof.samples.forEach((id, i) => {
    at += prof.timeDeltas[i] ?? 0;
    if (at >= fromMs * 1000) self.set(id, (self.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0));
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const byFn = new Map<string, number>();
  const byPkg = new Map<string, number>();
  for (const [id, us] of self) {
    const { functionName, url, lineNumber } = byNode.get(id)!.callFrame;
    const short = url.replace(/^.*node_modules\//, '').replace(/^.*\/apps\/server\//, '');
    const key = `${functionName || '(anon)'} ${short}:${lineNumber}`;
    byFn.set(key, (byFn.get(key) ?? 0) + us);
    const pkg =
      /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1] ?? (url ? short.split('/')[0]! : functionName);
    byPkg.set(pkg, (byPkg.get(pkg) ?? 0) + us);
  }
  const top = (m: Map<string, number>, n: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, us]) => `${((us / total) * 100).toFixed(1).padStart(5)}%  ${k}`)
      .join('\n');
  // Inclusive time of our own functions (the bundle), counted once per stack.
  const parent = new Map<number, number>();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const inclusive = new Map<string, number>();
  for (const [id, us] of self) {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const { functionName, url, lineNumber } = byNode.get(at)!.callFrame;
      if (!url.includes('/apps/server/dist/')) continue;
      const key = `${functionName || '(anon)'}:${lineNumber}`;
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + us);
    }
  }
  log(`-- inclusive, our code --\n${top(inclusive, 40)}`);
  log(
    `total sampled ${Math.round(total / 1000)} ms\n-- by package --\n${top(byPkg, 25)}\n-- by function --\n${top(byFn, 45)}`,
  );
}

/** Statements per unit of work, and the most frequent and most expensive ones (engine time). */
function summariseStatements(file: string, fromEpochMs: number, units: number) {
  const rows = readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split('\t'))
    .filter(([at]) => Number(at) >= fromEpochMs);
  const byText = new Map<string, { n: number; us: number }>();
  let totalUs = 0;
  for (const [, us, text] of rows) {
    const key = text!.slice(0, 160);
    const e = byText.get(key) ?? { n: 0, us: 0 };
    e.n++;
    e.us += Number(us);
    totalUs += Number(us);
    byText.set(key, e);
  }
  log(
    `statements: ${rows.length} (${(rows.length / units).toFixed(1)} per unit), engine ${(totalUs / 1000 / units).toFixed(2)} ms per unit`,
  );
  const list = [...byText].sort((a, b) => b[1].us - a[1].us).slice(0, 30);
  for (const [text, e] of list)
    log(
      `${(e.n / units).toFixed(2).padStart(6)}/unit ${(e.us / 1000 / units).toFixed(3).padStart(7)} ms/unit  ${text}`,
    );
}

async function main() {
  const model = await startListeningChild('./model-server.ts');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'confidant-profile-'));
  const { env, platformKey } = serverEnv({
    dataDir,
    extra: { CONFIDANT_RATE_LIMIT: 'off', CONFIDANT_ALLOW_PRIVATE_NETWORKS: 'true' },
  });
  let server: ServerProcess | null = null;
  try {
    server = await startServerProcess(env, { compiled: true });
    const org = await provisionBenchOrg(server.url, platformKey, model.url);
    await stopServerProcess(server, 'SIGTERM');
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    const trace = path.join(out, 'statements.tsv');
    const profEnv = {
      ...env,
      CONFIDANT_SQL_TRACE: trace,
      ...(profile ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${out}` } : {}),
    };
    const spawnedAt = Date.now();
    const { value: started, ms } = await timed(() => startServerProcess(profEnv, { compiled: true }));
    server = started;
    const pid = server.child.pid!;
    log(`started in ${ms} ms (CPU ${Math.round((processCpuSeconds(pid) ?? 0) * 1000)} ms)`);
    await sleep(3000);
    log(`idle RSS ${residentMb(pid)} MB`);
    // The profile's part to summarise: the boot, or the workload (from here on).
    const fromMs = workload === 'boot' ? 0 : Date.now() - spawnedAt;
    const workloadStart = workload === 'boot' ? 0 : Date.now();
    let units = 1;
    if (workload !== 'boot') {
      const cpu0 = processCpuSeconds(pid) ?? 0;
      units = count;
      if (workload === 'agents') {
        const r = await requestRate(
          `${server.url}/v1/agents`,
          { authorization: `Bearer ${org.apiKey}` },
          { concurrency: 16, seconds: count / 1000 },
        );
        units = r.requests;
        log(`agents: ${r.requestsPerSecond} req/s, ${r.errors} errors`);
      } else {
        const mode = workload === 'model' ? 'model' : 'extractive';
        const pool = await openConversations([server.url], org.agents[mode].key, 40);
        let n = 0;
        const rate = Number(value('rate', '20'));
        const r = await openLoop(rate, count / rate, 256, (k) => {
          const c = pool[k % pool.length]!;
          return timedStream(`${c.url}/v1/widget/conversations/${c.id}/messages`, {
            headers: { authorization: `Bearer ${c.token}`, origin: SITE, 'content-type': 'application/json' },
            body: JSON.stringify({ text: QUESTIONS[k % QUESTIONS.length], clientMessageId: `p-${++n}` }),
            marker: 'event: token',
            failMarker: 'event: error',
          });
        });
        units = r.completed;
        log(`${mode}: ${r.completed} answered, ${r.errors} errors`);
      }
      const cpuMs = ((processCpuSeconds(pid) ?? 0) - cpu0) * 1000;
      log(`server CPU ${(cpuMs / units).toFixed(2)} ms per unit (${units} units)`);
    }
    await stopServerProcess(server, 'SIGTERM');
    server = null;
    summariseStatements(trace, workloadStart, units);
    if (profile) {
      const file = readdirSync(out).find((f) => f.endsWith('.cpuprofile'));
      if (file) summarise(path.join(out, file), fromMs);
      log(`profile in ${out}`);
    }
  } finally {
    if (server) await stopServerProcess(server, 'SIGKILL');
    await model.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
