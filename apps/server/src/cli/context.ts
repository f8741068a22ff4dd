import { type Config, ConfigError, loadConfig } from '../platform/config.js';
import type { Database } from '../platform/db/client.js';
import { acquireDataDirLock, DataDirLockedError } from '../platform/server-lock.js';

/**
 * What every command shares: exit codes, config loading, opening the database (with the embedded
 * data-dir lock) and turning known failures into one readable line instead of a stack trace.
 * Invariant: nothing here prints a secret; only `org create` prints its one-time API key.
 */
export const exitCodes = {
  ok: 0,
  /** The check failed (e.g. a broken audit chain) or the operation could not complete. */
  failed: 1,
  /** Bad configuration or bad command-line usage. */
  usage: 2,
  /** The embedded database is held by a running server or another command. */
  busy: 3,
} as const;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = exitCodes.failed,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export function loadCliConfig(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message, exitCodes.usage);
    throw error;
  }
}

/** Where the data lives, for messages; never includes a password. */
export function describeDatabase(config: Config): string {
  if (config.database.kind === 'pglite') return `embedded database in ${config.database.dataDir}`;
  const url = new URL(config.database.url);
  return `PostgreSQL at ${url.hostname}${url.port ? `:${url.port}` : ''}${url.pathname}`;
}

/**
 * Opens the configured database (migrated, like the server does at boot) for the length of `fn`.
 * In embedded mode the data-dir lock is taken first, so a command never opens PGlite files a
 * running server holds, and the server refuses to start while a command runs.
 */
export async function withCliDatabase<T>(
  config: Config,
  fn: (database: Database) => Promise<T>,
  options: { migrate?: boolean } = {},
): Promise<T> {
  let release = () => {};
  if (config.database.kind === 'pglite') {
    try {
      release = acquireDataDirLock(config.dataDir);
    } catch (error) {
      if (error instanceof DataDirLockedError) throw new CliError(error.message, exitCodes.busy);
      throw error;
    }
  }
  try {
    // Loaded on demand: the database drivers are the bulk of a command's start-up time.
    const { openDatabase } = await import('../platform/db/open.js');
    const database = await openDatabase(config, options);
    try {
      return await fn(database);
    } finally {
      await database.close();
    }
  } finally {
    release();
  }
}

export const isUuid = (value: string) =>
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
