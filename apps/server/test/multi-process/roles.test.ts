import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionWidgetOrg, type RemoteOrg } from '../../src/modules/conversations/testing/remote-org.js';
import { SITE } from '../../src/modules/conversations/testing/widget-fixture.js';
import {
  createTestDatabase,
  type TestDatabase,
  testPostgresUrl,
} from '../../src/platform/db/test-database.js';
import {
  type ServerProcess,
  serverEnv,
  startServerProcess,
  stopServerProcess,
} from '../../src/testing/server-process.js';

/**
 * `npm start` runs the compiled server (scripts/start.mjs builds apps/server/dist when stale), and
 * `--role` / CONFIDANT_ROLE splits HTTP from jobs on PostgreSQL: two API processes and a worker
 * on one database, where a change made through one process is seen by the other at once (cache
 * invalidation by NOTIFY), and jobs enqueued by an API process are run by the worker.
 */
async function until<T>(probe: () => Promise<T | undefined>): Promise<T> {
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    await sleep(50);
  }
}

describe('compiled start on PGlite', { timeout: 120_000 }, () => {
  let dataDir: string;
  let server: ServerProcess | undefined;
  beforeAll(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'confidant-compiled-'));
  });
  afterAll(async () => {
    if (server) await stopServerProcess(server, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves the API and the console from the compiled bundle (migrations and assets found)', async () => {
    const { env } = serverEnv({ dataDir });
    server = await startServerProcess(env, { compiled: true });
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const console = await fetch(`${server.url}/console/`);
    expect(console.status).toBe(200);
    expect(await console.text()).toContain('<div id="root">');
    await stopServerProcess(server, 'SIGTERM');
    server = undefined;
  });

  it('refuses a split role on PGlite with a readable message', async () => {
    const { env } = serverEnv({ dataDir, extra: { CONFIDANT_ROLE: 'worker' } });
    await expect(startServerProcess(env, { compiled: true })).rejects.toThrow(/needs PostgreSQL/);
  });
});

describe.runIf(testPostgresUrl)('two API processes and a worker on PostgreSQL', { timeout: 120_000 }, () => {
  let database: TestDatabase;
  let dataDir: string;
  const started: ServerProcess[] = [];
  let a: ServerProcess;
  let b: ServerProcess;
  let org: RemoteOrg;
  let platformKey: string;

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    dataDir = mkdtempSync(path.join(tmpdir(), 'confidant-roles-'));
    const shared = serverEnv({ dataDir, databaseUrl: database.url!, extra: { CONFIDANT_RATE_LIMIT: 'off' } });
    platformKey = shared.platformKey;
    for (const role of ['api', 'api', 'worker'])
      started.push(await startServerProcess({ ...shared.env, CONFIDANT_ROLE: role }, { compiled: true }));
    [a, b] = started as [ServerProcess, ServerProcess];
    org = await provisionWidgetOrg(a.url, platformKey, 'Roles');
  });
  afterAll(async () => {
    await Promise.all(started.map((s) => stopServerProcess(s, 'SIGKILL')));
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const widgetConfig = (url: string, origin: string) =>
    fetch(`${url}/v1/widget/config?agentKey=${org.agentKey}`, { headers: { origin } });

  it('an agent change made through one API process applies in the other at once', async () => {
    // B reads (and caches) the agent: the new origin is not allowed yet.
    expect((await widgetConfig(b.url, 'https://new.example')).status).toBe(403);
    expect((await widgetConfig(b.url, SITE)).status).toBe(200);
    const { agents } = (await (
      await fetch(`${a.url}/v1/agents`, { headers: { authorization: `Bearer ${org.apiKey}` } })
    ).json()) as { agents: { id: string }[] };
    const patched = await fetch(`${a.url}/v1/agents/${agents[0]!.id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${org.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ allowedOrigins: [SITE, 'https://new.example'] }),
    });
    expect(patched.status).toBe(200);
    // The notification reaches B after A's commit: B then reads the agent again.
    await until(async () =>
      (await widgetConfig(b.url, 'https://new.example')).status === 200 ? true : undefined,
    );
  });

  it('knowledge added through an API process is ingested by the worker', async () => {
    const created = await fetch(`${b.url}/v1/knowledge/sources`, {
      method: 'POST',
      headers: { authorization: `Bearer ${org.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'text', title: 'Returns', content: 'Returns are free within 30 days.' }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const status = await until(async () => {
      const res = await fetch(`${a.url}/v1/knowledge/sources/${id}`, {
        headers: { authorization: `Bearer ${org.apiKey}` },
      });
      const s = ((await res.json()) as { status: string }).status;
      return s === 'ready' || s === 'failed' ? s : undefined;
    });
    expect(status).toBe('ready');
  });
});
