import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The embedded database (PGlite in <data dir>/pgdata) must be opened by one process at a time:
 * two writers corrupt it. Whoever opens it — the server or a CLI command — first takes this lock,
 * a file holding its pid. A lock whose pid is no longer alive (a crash, kill -9) is stale and is
 * taken over. Only embedded mode uses it: PostgreSQL serves any number of processes.
 */
export const serverPidPath = (dataDir: string) => path.join(dataDir, 'server.pid');

export class DataDirLockedError extends Error {
  constructor(
    readonly pid: number,
    dataDir: string,
  ) {
    super(
      `Another Confidant process (pid ${pid}) is using the embedded database in ${dataDir}. ` +
        'Stop the server (or wait for the other command) and try again, or run this command against PostgreSQL (DATABASE_URL).',
    );
    this.name = 'DataDirLockedError';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user — still alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid of a live process holding the lock, or null when it is free or stale. */
export function lockHolder(dataDir: string): number | null {
  let text: string;
  try {
    text = readFileSync(serverPidPath(dataDir), 'utf8');
  } catch {
    return null;
  }
  const pid = Number.parseInt(text.trim(), 10);
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return null;
  return isAlive(pid) ? pid : null;
}

/**
 * Takes the lock for this process, or throws DataDirLockedError naming the live holder.
 * Returns a release function; the lock is also released when the process exits normally.
 */
export function acquireDataDirLock(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const file = serverPidPath(dataDir);
  // Exclusive create, so two processes starting together cannot both win; a stale file is removed
  // and the create retried.
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: 'wx', mode: 0o644 });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 3) throw error;
      const holder = lockHolder(dataDir);
      if (holder !== null) throw new DataDirLockedError(holder, dataDir);
      rmSync(file, { force: true });
    }
  }
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off('exit', release);
    // Remove only our own lock: never one a later process took over.
    try {
      if (readFileSync(file, 'utf8').trim() === String(process.pid)) rmSync(file, { force: true });
    } catch {
      // Already gone.
    }
  };
  process.on('exit', release);
  return release;
}
