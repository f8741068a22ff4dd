import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.js';
import { resolveDeps } from '../deps.js';
import { generateApiKey } from '../modules/api-keys/key-material.js';
import { resealLegacyAuditChains } from '../modules/audit/reseal-legacy-chains.js';
import { ensurePlatform } from '../modules/orgs/bootstrap.js';
import type { BlobStore } from '../platform/blobs/blob-store.js';
import { type Config, loadConfig } from '../platform/config.js';
import { type Keyring, parseKeyring } from '../platform/crypto/keyring.js';
import { createTestDatabase, type TestDatabase } from '../platform/db/test-database.js';
import type { JobQueue } from '../platform/jobs/queue.js';
import type { ResolveHost } from '../platform/net/outbound-policy.js';
import { type SourceJson, waitForSource } from './wait-for-source.js';

export type TestApp = {
  app: FastifyInstance;
  database: TestDatabase;
  config: Config;
  keyring: Keyring;
  platformKey: string;
  /** The app's blob store: `<config.dataDir>/blobs`, a fresh temporary directory per test app. */
  blobStore: BlobStore;
  /** The job queue, with a running in-process worker (ingestion happens as in production). */
  jobs: JobQueue;
  /** Creates an org through the real API and returns its id and first API key (an owner key). */
  /** A direct org (or a reseller) created with the platform key; returns its owner key. */
  createOrg(name?: string, kind?: 'direct' | 'reseller'): Promise<{ orgId: string; apiKey: string }>;
  /** Polls the API until the source is `ready` or `failed` and returns it (see wait-for-source.ts). */
  waitForSource(apiKey: string, sourceId: string): Promise<SourceJson>;
  close(): Promise<void>;
};

/** A real app on a real throwaway database (PGlite, or PostgreSQL when asked and configured). */
export async function createTestApp(
  options: {
    kind?: 'pglite' | 'postgres';
    env?: Record<string, string>;
    logStream?: { write(line: string): void };
    /** How host names resolve for the outbound guard (tests answer public or private at will). */
    resolveHost?: ResolveHost;
  } = {},
): Promise<TestApp> {
  const database = await createTestDatabase(options.kind ?? 'pglite');
  // Uploaded originals are written under the data dir; each test app gets its own, removed on close.
  const dataDir = await mkdtemp(path.join(tmpdir(), 'confidant-test-'));
  const platformKey = generateApiKey().key;
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    CONFIDANT_DATA_DIR: dataDir,
    CONFIDANT_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
    CONFIDANT_BOOTSTRAP_API_KEY: platformKey,
    CONFIDANT_DEMO: 'false',
    // Tests make many requests from one address; rate-limit tests turn limits on explicitly.
    CONFIDANT_RATE_LIMIT: 'off',
    ...options.env,
  });
  const keyring = parseKeyring(config.masterKey!);
  await resealLegacyAuditChains(database, keyring);
  await ensurePlatform(database, keyring, config);
  // The periodic sweep is not scheduled: tests that need it call sweepSources themselves.
  // Job logs go where the app's go (tests inspect them); silent unless a test sets LOG_LEVEL.
  const resolved = await resolveDeps(
    {
      config,
      database,
      keyring,
      ...(options.logStream ? { logStream: options.logStream } : {}),
      ...(options.resolveHost ? { resolveHost: options.resolveHost } : {}),
    },
    { schedule: false },
  );
  const { blobStore, jobs } = resolved.deps;
  const app = await buildApp(resolved.deps);
  await app.ready();
  return {
    app,
    database,
    config,
    keyring,
    platformKey,
    blobStore,
    jobs,
    waitForSource: (apiKey, sourceId) => waitForSource(app, apiKey, sourceId),
    async createOrg(name = 'Test org', kind?: 'direct' | 'reseller') {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/orgs',
        headers: { authorization: `Bearer ${platformKey}` },
        payload: kind ? { name, kind } : { name },
      });
      if (res.statusCode !== 201) throw new Error(`createOrg failed: ${res.statusCode} ${res.body}`);
      return res.json() as { orgId: string; apiKey: string };
    },
    async close() {
      await app.close();
      await resolved.stop();
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
