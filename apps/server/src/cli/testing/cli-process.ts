import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../platform/config.js';
import { openDatabase } from '../../platform/db/open.js';

/**
 * The real `confidant` command (bin/confidant.js → tsx → cli/index.ts) as a child process, the
 * way an operator runs it, for the CLI tests. Children run embedded on the test's data dir: no
 * PostgreSQL settings or master key leak in from the test environment.
 */
const launcher = fileURLToPath(new URL('../../../../../bin/confidant.js', import.meta.url));

export type CliRun = { code: number | null; stdout: string; stderr: string };

/** The environment of a CLI child on `dataDir` with `masterKey`, silent and without the demo. */
export function cliEnv(dataDir: string, masterKey: string): NodeJS.ProcessEnv {
  const { DATABASE_URL: _d, TEST_DATABASE_URL: _t, CONFIDANT_MASTER_KEY: _m, ...rest } = process.env;
  return {
    ...rest,
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    CONFIDANT_DEMO: 'false',
    CONFIDANT_DATA_DIR: dataDir,
    CONFIDANT_MASTER_KEY: masterKey,
  };
}

/** Starts `confidant …args` (for commands the test stops itself, such as `start`). */
export const startCli = (env: NodeJS.ProcessEnv, args: string[]): ChildProcess =>
  spawn(process.execPath, [launcher, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });

/** Runs `confidant …args` to completion and collects its output. */
export const runCli = (env: NodeJS.ProcessEnv, args: string[]): Promise<CliRun> =>
  new Promise((resolve, reject) => {
    const child = startCli(env, args);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });

/** Opens the embedded database of `env` in the test process (no child may be running meanwhile). */
export async function withEmbeddedDatabase<T>(
  env: NodeJS.ProcessEnv,
  fn: (database: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>,
): Promise<T> {
  const database = await openDatabase(loadConfig(env), { migrate: false });
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}
