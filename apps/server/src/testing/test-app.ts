import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.js';
import { type Config, loadConfig } from '../config.js';
import { type Keyring, parseKeyring } from '../crypto/keyring.js';
import { createTestDatabase, type TestDatabase } from '../db/test-database.js';
import { generateApiKey } from '../modules/api-keys/key-material.js';
import { ensurePlatform } from '../modules/orgs/bootstrap.js';

export type TestApp = {
  app: FastifyInstance;
  database: TestDatabase;
  config: Config;
  keyring: Keyring;
  platformKey: string;
  /** Creates an org through the real API and returns its id and first admin key. */
  createOrg(name?: string): Promise<{ orgId: string; apiKey: string }>;
  close(): Promise<void>;
};

/** A real app on a real throwaway database (PGlite, or PostgreSQL when asked and configured). */
export async function createTestApp(
  options: {
    kind?: 'pglite' | 'postgres';
    env?: Record<string, string>;
    logStream?: { write(line: string): void };
  } = {},
): Promise<TestApp> {
  const database = await createTestDatabase(options.kind ?? 'pglite');
  const platformKey = generateApiKey().key;
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    CONFIDANT_DATA_DIR: '/nonexistent-confidant-test-dir',
    CONFIDANT_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
    CONFIDANT_BOOTSTRAP_API_KEY: platformKey,
    CONFIDANT_DEMO: 'false',
    ...options.env,
  });
  await ensurePlatform(database, config);
  const keyring = parseKeyring(config.masterKey!);
  const app = await buildApp({ config, database, keyring, logStream: options.logStream });
  await app.ready();
  return {
    app,
    database,
    config,
    keyring,
    platformKey,
    async createOrg(name = 'Test org') {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/orgs',
        headers: { authorization: `Bearer ${platformKey}` },
        payload: { name },
      });
      if (res.statusCode !== 201) throw new Error(`createOrg failed: ${res.statusCode} ${res.body}`);
      return res.json() as { orgId: string; apiKey: string };
    },
    async close() {
      await app.close();
      await database.drop();
    },
  };
}
