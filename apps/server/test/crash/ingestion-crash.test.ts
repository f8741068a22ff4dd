import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { generateApiKey } from '../../src/modules/api-keys/key-material.js';
import { chunkMarkdown } from '../../src/modules/knowledge/index.js';
import { loadConfig } from '../../src/platform/config.js';
import { openDatabase } from '../../src/platform/db/open.js';
import { queryRows } from '../../src/platform/db/query-rows.js';
import { withTenant } from '../../src/platform/db/tenancy.js';
import { createTestDatabase, testPostgresUrl } from '../../src/platform/db/test-database.js';
import {
  type ServerProcess,
  startServerProcess,
  stopServerProcess,
} from '../../src/testing/server-process.js';

/**
 * DESIGN.md §4.9: killing the process during ingestion loses nothing. The real server runs as a
 * child process; while it indexes a large source it is killed with SIGKILL (no shutdown code
 * runs), then started again on the same data. The source must end ready with every chunk exactly
 * once: ordinals 0..n-1 each once, all at the source's current version, nothing of another
 * version left. Durations are printed for the record, never asserted.
 */

/** A help manual of a few thousand chunks: indexing takes seconds, so there is time to kill it. */
function largeManual(sections: number): string {
  const words = ['return', 'parcel', 'refund', 'warranty', 'delivery', 'invoice', 'courier', 'exchange'];
  const parts = ['# Operations manual\n'];
  for (let s = 0; s < sections; s++) {
    parts.push(`## Procedure ${s}\n`);
    for (let p = 0; p < 2; p++) {
      const sentence = Array.from({ length: 70 }, (_, w) => words[(s * 7 + p * 3 + w * 5) % words.length]);
      parts.push(`${sentence.join(' ')} number ${s}-${p}.`);
    }
  }
  return parts.join('\n\n');
}

type SourceJson = {
  id: string;
  status: string;
  error: string | null;
  progress: { chunksDone: number; chunksTotal: number };
};

async function getSource(server: ServerProcess, apiKey: string, id: string): Promise<SourceJson> {
  const res = await fetch(`${server.url}/v1/knowledge/sources/${id}`, {
    headers: { authorization: `Bearer ${apiKey}` },
  });
  if (res.status !== 200) throw new Error(`GET source: ${res.status} ${await res.text()}`);
  return (await res.json()) as SourceJson;
}

/** Polls until `done(source)`; the deadline only guards against a hang. */
async function pollSource(
  server: ServerProcess,
  apiKey: string,
  id: string,
  done: (s: SourceJson) => boolean,
) {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const source = await getSource(server, apiKey, id);
    if (done(source)) return source;
    if (source.status === 'failed') throw new Error(`source failed: ${source.error}`);
    if (Date.now() > deadline) throw new Error(`gave up waiting: ${JSON.stringify(source)}`);
    await sleep(25);
  }
}

async function crashDuringIngestion(kind: 'pglite' | 'postgres') {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'confidant-crash-'));
  const testDb = kind === 'postgres' ? await createTestDatabase('postgres') : undefined;
  const platformKey = generateApiKey().key;
  const { DATABASE_URL: _d, TEST_DATABASE_URL: _t, ...inherited } = process.env;
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    PORT: '0',
    CONFIDANT_DATA_DIR: dataDir,
    CONFIDANT_DEMO: 'false',
    CONFIDANT_BOOTSTRAP_API_KEY: platformKey,
    CONFIDANT_MASTER_KEY: randomBytes(32).toString('base64'),
    CONFIDANT_MAX_UPLOAD_BYTES: String(16 * 1024 * 1024),
    // The test polls the source as fast as it can; it measures crash recovery, not the limiter.
    CONFIDANT_RATE_LIMIT: 'off',
    ...(testDb ? { DATABASE_URL: (testDb as unknown as { url: string }).url } : {}),
  };
  const timings: Record<string, number> = {};
  const started = Date.now();
  const mark = (name: string) => {
    timings[name] = (Date.now() - started) / 1000;
  };
  let server: ServerProcess | undefined;
  try {
    server = await startServerProcess(env, { compiled: true });
    mark('firstStart');
    const org = await fetch(`${server.url}/v1/orgs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${platformKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Crash org' }),
    });
    expect(org.status).toBe(201);
    const { orgId, apiKey } = (await org.json()) as { orgId: string; apiKey: string };

    const manual = largeManual(3000);
    const expected = chunkMarkdown(manual).length;
    const created = await fetch(`${server.url}/v1/knowledge/sources`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'text', title: 'Operations manual', content: manual }),
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const { id } = (await created.json()) as { id: string };

    const midway = await pollSource(
      server,
      apiKey,
      id,
      (s) => s.status === 'processing' && s.progress.chunksDone > 0,
    );
    mark('killed');
    await stopServerProcess(server, 'SIGKILL');
    expect(midway.progress.chunksDone).toBeLessThan(expected);

    server = await startServerProcess(env, { compiled: true });
    mark('restarted');
    const ready = await pollSource(server, apiKey, id, (s) => s.status === 'ready');
    mark('ready');
    expect(ready.progress).toMatchObject({ chunksDone: expected, chunksTotal: expected });
    const search = await fetch(`${server.url}/v1/knowledge/search`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'procedure 2999 courier', k: 3 }),
    });
    expect(((await search.json()) as { results: { sourceId: string }[] }).results[0]?.sourceId).toBe(id);
    await stopServerProcess(server, 'SIGTERM');

    // Read what is stored (the server is stopped: PGlite files may be opened here now).
    const database = testDb ?? (await openDatabase(loadConfig(env), { migrate: false }));
    try {
      const [stats] = await withTenant(database, [orgId], (tx) =>
        queryRows<{
          version: number;
          chunks_total: number;
          n: number;
          ordinals: number;
          min: number;
          max: number;
          versions: number[];
        }>(
          tx,
          sql`select s.version, s.chunks_total, count(c.id)::int as n, count(distinct c.ordinal)::int as ordinals,
                     min(c.ordinal) as min, max(c.ordinal) as max, array_agg(distinct c.version) as versions
              from knowledge_sources s join knowledge_chunks c on c.org_id = s.org_id and c.source_id = s.id
              where s.id = ${id} group by s.version, s.chunks_total`,
        ),
      );
      expect(stats).toEqual({
        version: stats!.version,
        chunks_total: expected,
        n: expected,
        ordinals: expected,
        min: 0,
        max: expected - 1,
        versions: [stats!.version],
      });
      expect(stats!.version).toBeGreaterThanOrEqual(1);
    } finally {
      if (!testDb) await database.close();
    }
    mark('checked');
    console.info(`ingestion crash test on ${kind}: ${expected} chunks; seconds since start`, timings);
  } finally {
    if (server) await stopServerProcess(server, 'SIGKILL');
    await testDb?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

describe('ingestion survives SIGKILL', { timeout: 150_000 }, () => {
  it('on PGlite: after a restart the source becomes ready with every chunk exactly once', async () => {
    await crashDuringIngestion('pglite');
  });
  it.runIf(testPostgresUrl)(
    'on PostgreSQL: the same, the dead worker’s job taken over after its heartbeat stops',
    async () => {
      await crashDuringIngestion('postgres');
    },
  );
});
