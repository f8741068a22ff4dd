import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateApiKey } from '../modules/api-keys/key-material.js';
import { createTestDatabase } from '../platform/db/test-database.js';

/**
 * The real server as a child process (`main.ts` under tsx), for tests and benchmarks that need
 * what an in-process app cannot give: several processes on one database (LISTEN/NOTIFY between
 * them), a kill, or a server whose CPU is not the client's. The URL is read from the boot line on
 * stdout (PORT=0 picks a free port).
 */
const mainPath = fileURLToPath(new URL('../main.ts', import.meta.url));
const startScriptPath = fileURLToPath(new URL('../../scripts/start.mjs', import.meta.url));

export type ServerProcess = { child: ChildProcess; url: string; stderr: () => string };

export type ServerEnvOptions = {
  dataDir: string;
  /** PostgreSQL URL; without it the server uses embedded PGlite in dataDir. */
  databaseUrl?: string;
  /** Processes sharing a database must share the platform key and the master key. */
  platformKey?: string;
  masterKey?: string;
  extra?: NodeJS.ProcessEnv;
};

/** A server environment with the test's own keys; returns it with the platform key to call it. */
export function serverEnv(options: ServerEnvOptions): { env: NodeJS.ProcessEnv; platformKey: string } {
  const platformKey = options.platformKey ?? generateApiKey().key;
  // The parent's database settings must not leak into the child.
  const { DATABASE_URL: _d, TEST_DATABASE_URL: _t, ...inherited } = process.env;
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    PORT: '0',
    CONFIDANT_DATA_DIR: options.dataDir,
    CONFIDANT_DEMO: 'false',
    CONFIDANT_BOOTSTRAP_API_KEY: platformKey,
    CONFIDANT_MASTER_KEY: options.masterKey ?? randomBytes(32).toString('base64'),
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
    ...options.extra,
  };
  return { env, platformKey };
}

/**
 * `compiled`: run what `npm start` runs (scripts/start.mjs: the compiled bundle, built first when
 * stale) instead of the TypeScript sources under tsx. Ready when the boot line appears: the URL
 * for roles all and api, `url: ''` for a worker-only process (CONFIDANT_ROLE=worker).
 */
export function startServerProcess(
  env: NodeJS.ProcessEnv,
  options: { compiled?: boolean } = {},
): Promise<ServerProcess> {
  const args = options.compiled ? [startScriptPath] : ['--import', 'tsx', mainPath];
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      stdout += d;
      const match = /Confidant (?:is running at (http:\/\/\S+)|worker is running)/.exec(stdout);
      if (match) resolve({ child, url: match[1] ?? '', stderr: () => stderr });
    });
    child.on('exit', (code, signal) =>
      reject(new Error(`server exited (${code ?? signal}) before it was ready:\n${stdout}\n${stderr}`)),
    );
  });
}

export function stopServerProcess(server: ServerProcess, signal: 'SIGKILL' | 'SIGTERM'): Promise<void> {
  return new Promise((resolve) => {
    if (server.child.exitCode !== null || server.child.signalCode !== null) return resolve();
    server.child.once('exit', () => resolve());
    server.child.kill(signal);
  });
}

export type ServerPair = {
  a: ServerProcess;
  b: ServerProcess;
  platformKey: string;
  /** Kills both processes, drops the database and removes the shared data dir. */
  stop(): Promise<void>;
};

/**
 * Two server processes on one throwaway PostgreSQL database (and one data dir), started one
 * after the other (each boot checks migrations and the platform org). Rate limits are off:
 * these are functional tests of delivery across processes, not of the limiter.
 */
export async function startServerPair(label: string): Promise<ServerPair> {
  const database = await createTestDatabase('postgres');
  const dataDir = mkdtempSync(path.join(tmpdir(), `confidant-${label}-`));
  const started: ServerProcess[] = [];
  const stop = async () => {
    await Promise.all(started.map((s) => stopServerProcess(s, 'SIGKILL')));
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const { env, platformKey } = serverEnv({
      dataDir,
      databaseUrl: database.url!,
      extra: { CONFIDANT_RATE_LIMIT: 'off' },
    });
    started.push(await startServerProcess(env, { compiled: true }));
    started.push(await startServerProcess(env, { compiled: true }));
    return { a: started[0]!, b: started[1]!, platformKey, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
