import {
  fromPglite,
  type Db as JobDb,
  type JobWithMetadata,
  PgBoss,
  type Queue,
  type SendOptions,
} from 'pg-boss';
import type { BaseLogger } from 'pino';
import type { Database } from '../db/client.js';
import { errorForLog } from '../logger.js';

/**
 * The durable job queue (DESIGN.md §4.9): pg-boss on the application's own database, so a job is
 * as durable as the data it works on and needs no other service.
 *
 * - PostgreSQL: pg-boss runs its statements on the application's pool (its tables live in the
 *   `pgboss` schema, which the application role creates on first start).
 * - PGlite: through pg-boss's PGlite adapter, on the one embedded connection the app also uses.
 *   Multi-statement SQL without parameters goes through PGlite's `exec` (its `query` refuses
 *   several commands) and the rows of every statement are returned. PGlite runs one transaction
 *   at a time, so a poll simply waits its turn between request transactions; polls are a single
 *   short statement every couple of seconds, and jobs do their work in short transactions.
 *
 * Payloads hold ids only (never content or personal data): pg-boss keeps finished jobs for a while.
 */

export type JobQueueOptions = {
  log?: BaseLogger;
  /** How often an idle worker looks for jobs (seconds, ≥ 0.5). Local sends wake it at once. */
  pollingIntervalSeconds?: number;
};

export type WorkContext = {
  jobId: string;
  /** 0 on the first attempt. */
  retryCount: number;
  retryLimit: number;
  /** Aborted when the queue stops or the job's claim is lost (e.g. taken over after a timeout). */
  signal: AbortSignal;
};

export type JobQueue = {
  readonly kind: Database['kind'];
  /** Installs or migrates pg-boss's schema and starts its maintenance. Idempotent. */
  start(): Promise<void>;
  /** Stops fetching, aborts running handlers and waits up to `timeoutMs` for them to settle. */
  stop(options?: { timeoutMs?: number }): Promise<void>;
  createQueue(name: string, options: Omit<Queue, 'name'>): Promise<void>;
  /** Enqueues a job; null when a singleton/throttle rule dropped it. Wakes local workers at once. */
  send(name: string, data: object, options?: SendOptions): Promise<string | null>;
  /** Handles jobs of `name`, one at a time per worker. A handler that throws fails the attempt. */
  work<T>(name: string, handler: (data: T, context: WorkContext) => Promise<void>): Promise<void>;
  schedule(name: string, cron: string): Promise<void>;
  /** Jobs of `name` whose payload contains `data`: id, state (created/retry/active/…) and output. */
  findJobs(name: string, data: object): Promise<{ id: string; state: string; output: unknown }[]>;
  /** Ids of the jobs of `name` that are running (or were, in a process that died). */
  activeJobIds(name: string): Promise<string[]>;
  cancel(name: string, ids: string[]): Promise<void>;
  /** Fails jobs (each goes to retry while it has retries left). */
  fail(name: string, ids: string[], reason: string): Promise<void>;
  /** Fails running jobs and makes their retry due now rather than after the backoff. */
  retryNow(name: string, ids: string[], reason: string): Promise<void>;
};

/** node-postgres answers a multi-statement query with one result per statement; pg-boss wants all rows. */
function unwrapRows(result: unknown): { rows: unknown[] } {
  if (Array.isArray(result)) return { rows: result.flatMap((r: { rows?: unknown[] }) => r.rows ?? []) };
  return result as { rows: unknown[] };
}

function jobDb(database: Database): JobDb {
  if (database.kind === 'pglite') {
    if (!database.pglite) throw new Error('createJobQueue: the PGlite client is missing');
    return fromPglite(database.pglite);
  }
  const pool = database.pool;
  if (!pool) throw new Error('createJobQueue: the PostgreSQL pool is missing');
  return {
    executeSql: async (text, values) => unwrapRows(await pool.query(text, values as unknown[] | undefined)),
  };
}

export function createJobQueue(database: Database, options: JobQueueOptions = {}): JobQueue {
  const log = options.log;
  const pollingIntervalSeconds = options.pollingIntervalSeconds ?? 2;
  const boss = new PgBoss({
    db: jobDb(database),
    ...(database.kind === 'pglite' ? { backend: 'pglite' as const } : {}),
    // A worker that dies (SIGKILL, lost machine) stops heart-beating; the supervisor then hands its
    // job to another attempt. These intervals bound how long that takes.
    superviseIntervalSeconds: 10,
    monitorIntervalSeconds: 10,
  });
  // An 'error' event without a listener would crash the process. Kind and code only: messages can
  // quote statement parameters.
  boss.on('error', (error) => log?.error({ err: errorForLog(error) }, 'job queue error'));
  boss.on('warning', (warning) => log?.warn({ warning: warning.message }, 'job queue warning'));

  let started: Promise<unknown> | undefined;
  const workerIds = new Map<string, string[]>();
  const controllers = new Set<AbortController>();

  const wake = (name: string) => {
    for (const id of workerIds.get(name) ?? []) boss.notifyWorker(id);
  };

  return {
    kind: database.kind,
    async start() {
      started ??= boss.start();
      await started;
    },
    async stop({ timeoutMs = 10_000 } = {}) {
      if (!started) return;
      // Running handlers stop at their next short transaction (the attempt fails and is retried
      // after a restart), so shutdown does not wait for a long ingestion to finish.
      for (const c of controllers) c.abort(new Error('job queue stopping'));
      try {
        await boss.stop({ graceful: true, timeout: timeoutMs, close: false });
      } finally {
        started = undefined;
      }
    },
    async createQueue(name, queueOptions) {
      const existing = await boss.getQueue(name);
      if (!existing) return void (await boss.createQueue(name, queueOptions));
      // Every boot declares every queue: write only when an option changed (a boot cost otherwise).
      const wanted = updatableOptions(queueOptions);
      const current = existing as unknown as Record<string, unknown>;
      const changed = Object.entries(wanted).some(
        ([key, value]) => value !== undefined && current[key] !== value,
      );
      if (changed) await boss.updateQueue(name, wanted);
    },
    async send(name, data, sendOptions = {}) {
      const id = await boss.send(name, data, sendOptions);
      wake(name);
      return id;
    },
    async work<T>(name: string, handler: (data: T, context: WorkContext) => Promise<void>) {
      const id = await boss.work(
        name,
        { pollingIntervalSeconds, batchSize: 1, includeMetadata: true },
        async ([job]: JobWithMetadata<T>[]) => {
          if (!job) return;
          const controller = new AbortController();
          controllers.add(controller);
          const signal = AbortSignal.any([job.signal, controller.signal]);
          try {
            await handler(job.data, {
              jobId: job.id,
              retryCount: job.retryCount,
              retryLimit: job.retryLimit,
              signal,
            });
          } catch (error) {
            throw storableError(error);
          } finally {
            controllers.delete(controller);
          }
        },
      );
      workerIds.set(name, [...(workerIds.get(name) ?? []), id]);
    },
    async schedule(name, cron) {
      await boss.schedule(name, cron, {}, { tz: 'UTC' });
    },
    async findJobs(name, data) {
      const jobs = await boss.findJobs(name, { data, limit: 100 });
      return jobs.map((j) => ({ id: j.id, state: j.state, output: j.output }));
    },
    async activeJobIds(name) {
      const ids: string[] = [];
      let after: string | undefined;
      for (;;) {
        const page = await boss.findJobs(name, { limit: 1000, ...(after ? { after } : {}) });
        ids.push(...page.filter((j) => j.state === 'active').map((j) => j.id));
        if (page.length < 1000) return ids;
        after = page[page.length - 1]!.id;
      }
    },
    async cancel(name, ids) {
      if (ids.length > 0) await boss.cancel(name, ids);
    },
    async fail(name, ids, reason) {
      if (ids.length > 0) await boss.fail(name, ids, { reason });
    },
    async retryNow(name, ids, reason) {
      if (ids.length === 0) return;
      await boss.fail(name, ids, { reason });
      for (const id of ids) await boss.update(name, undefined, { id, startAfter: new Date() });
      wake(name);
    },
  };
}

/**
 * pg-boss stores a failed attempt's error (message and stack) with the job for days. Messages
 * can quote data (Drizzle puts statement parameters in its messages), so only the error's kind
 * and code are kept.
 */
function storableError(error: unknown): Error {
  const e = (error ?? {}) as { name?: string; code?: unknown; cause?: { code?: unknown } };
  const code = typeof e.code === 'string' ? e.code : typeof e.cause?.code === 'string' ? e.cause.code : null;
  const stored = new Error(`${e.name ?? 'Error'}${code ? ` (${code})` : ''}`);
  stored.stack = undefined;
  return stored;
}

/** updateQueue refuses the options fixed at creation (policy, partitioning, dead letter …). */
function updatableOptions(options: Omit<Queue, 'name'>) {
  const { policy: _policy, partition: _partition, deadLetter: _deadLetter, ...rest } = options;
  return rest;
}
