import { Redis } from 'ioredis';
import { type Logger, pino } from 'pino';
import { type ConfidantAuth, createAuth } from './modules/auth/better-auth.js';
import { EphemeralTranscripts } from './modules/conversations/ephemeral-transcripts.js';
import { type BlobStore, createBlobStore } from './platform/blobs/blob-store.js';
import { startHotCache } from './platform/cache/hot-cache.js';
import type { Config } from './platform/config.js';
import type { Keyring } from './platform/crypto/keyring.js';
import type { Database } from './platform/db/client.js';
import { EventBus } from './platform/events/bus.js';
import type { JobQueue } from './platform/jobs/queue.js';
import { errorForLog, loggerOptions } from './platform/logger.js';
import { type OutboundPolicy, type ResolveHost, systemResolveHost } from './platform/net/outbound-policy.js';
import type { CounterStore } from './platform/rate-limit/counter-store.js';
import { createMemoryCounterStore } from './platform/rate-limit/memory-counter-store.js';
import { createRedisCounterStore } from './platform/rate-limit/redis-counter-store.js';
import { createJobWorker, type JobWorkerOptions } from './worker.js';

/**
 * Everything the HTTP application and the job worker are built from. All required: routes and
 * services import this type (never app.ts), and there is one way to build it (resolveDeps), used
 * by main.ts and the test app alike.
 */
export type AppDeps = {
  config: Config;
  database: Database;
  /** Master keyring: envelope encryption of secrets and derived signing keys. */
  keyring: Keyring;
  /** The one logger of the process (HTTP requests and jobs), with redaction (platform/logger.ts). */
  log: Logger;
  /** Originals of uploaded files (local directory or S3, from config). */
  blobStore: BlobStore;
  /** Console users' Better Auth instance. */
  auth: ConfidantAuth;
  /** The durable job queue, started; routes enqueue work such as ingestion on it. */
  jobs: JobQueue;
  /** Live delivery of outbox events (conversation changes) to SSE subscribers in this process. */
  events: EventBus;
  /** Text of ephemeral conversations, in this process's memory only (never stored). */
  transcripts: EphemeralTranscripts;
  /** The address policy for URLs tenants give (platform/net/), with the resolver it checks. */
  net: Required<OutboundPolicy>;
  /** Rate-limit counters: in Redis when REDIS_URL is set (shared by every process), else in memory. */
  rateLimitCounters: CounterStore;
};

/** What only the caller can provide: parsed config, an open (migrated) database, the keyring. */
export type CoreDeps = {
  config: Config;
  database: Database;
  keyring: Keyring;
  /** Where logs go (stdout when absent); tests pass a stream to inspect what is logged. */
  logStream?: { write(line: string): void };
  /** How host names resolve for the outbound guard (the system resolver when absent). */
  resolveHost?: ResolveHost;
};

export type ResolvedDeps = {
  deps: AppDeps;
  /** Stops the job worker (after the HTTP app is closed; running jobs resume after a restart). */
  stop(): Promise<void>;
};

/** Builds every dependency from the core ones and starts the in-process job worker. */
export async function resolveDeps(core: CoreDeps, worker: JobWorkerOptions = {}): Promise<ResolvedDeps> {
  const { config, database, keyring } = core;
  // Listening before anything is cached (platform/cache/hot-cache.ts).
  const hotCache = await startHotCache(database);
  const log = pino(loggerOptions(config.logLevel), core.logStream ?? process.stdout);
  const blobStore = createBlobStore(config);
  const auth = createAuth({ config, database, keyring }, { logger: log });
  const net = {
    allowPrivateNetworks: config.network.allowPrivateNetworks,
    resolveHost: core.resolveHost ?? systemResolveHost,
  };
  const jobWorker = await createJobWorker({ config, database, keyring, blobStore, log, net }, worker);
  const events = new EventBus(database, (error) =>
    log.error({ error: errorForLog(error) }, 'event delivery failed'),
  );
  await events.start();
  const rateLimitCounters = config.redis
    ? createRedisCounterStore(connectRedis(config.redis.url, log), config.redis.keyPrefix)
    : createMemoryCounterStore();
  return {
    deps: {
      config,
      database,
      keyring,
      log,
      blobStore,
      auth,
      jobs: jobWorker.jobs,
      events,
      transcripts: new EphemeralTranscripts(),
      net,
      rateLimitCounters,
    },
    stop: async () => {
      await events.stop();
      await hotCache.stop();
      await jobWorker.stop();
      await rateLimitCounters.close();
    },
  };
}

/**
 * A Redis client tuned for rate limiting (ioredis' defaults retry a command 20 times): a command
 * waits at most a second and is not retried, so a Redis outage slows no request for long (the
 * limiter then lets requests through and logs). Errors are logged by message only: the URL may
 * hold a password.
 */
function connectRedis(url: string, log: Logger): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, connectTimeout: 2000, commandTimeout: 1000 });
  redis.on('error', (error: Error) => log.warn({ error: error.message }, 'redis connection error'));
  return redis;
}
