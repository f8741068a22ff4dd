import { ConfigError } from './config.js';

/**
 * What this server process does (`--role` flag, else CONFIDANT_ROLE, else `all`):
 * - `all`: HTTP and the job worker in one process (the default; the only choice on PGlite, whose
 *   embedded database belongs to one process);
 * - `api`: HTTP only; jobs it enqueues are run by a worker process on the same database;
 * - `worker`: the job worker only (ingestion, notifications, sweeps, retention), no HTTP.
 * On PostgreSQL any number of `api` and `worker` processes share the database (events and cache
 * invalidations cross processes through LISTEN/NOTIFY; jobs through the queue's tables).
 */
export const serverRoles = ['all', 'api', 'worker'] as const;
export type ServerRole = (typeof serverRoles)[number];

export function serverRole(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  databaseKind: 'pglite' | 'postgres',
): ServerRole {
  const i = argv.findIndex((a) => a === '--role' || a.startsWith('--role='));
  const flag = i < 0 ? undefined : argv[i]!.includes('=') ? argv[i]!.split('=')[1] : argv[i + 1];
  const value = (flag ?? env.CONFIDANT_ROLE ?? 'all').trim() || 'all';
  if (!(serverRoles as readonly string[]).includes(value))
    throw new ConfigError([
      `--role / CONFIDANT_ROLE must be one of ${serverRoles.join(', ')} (got "${value}")`,
    ]);
  if (value !== 'all' && databaseKind === 'pglite')
    throw new ConfigError([
      `--role ${value} needs PostgreSQL (DATABASE_URL): the embedded database (PGlite) is opened by one process, which runs both HTTP and jobs (role all)`,
    ]);
  return value as ServerRole;
}
