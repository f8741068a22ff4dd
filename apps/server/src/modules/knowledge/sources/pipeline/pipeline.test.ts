import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../../platform/config.js';
import { makeKeyring } from '../../../../platform/crypto/keyring.js';
import { queryRows } from '../../../../platform/db/query-rows.js';
import { withTenant } from '../../../../platform/db/tenancy.js';
import {
  createTestDatabase,
  type TestDatabase,
  testDatabaseKinds,
} from '../../../../platform/db/test-database.js';
import { createJobQueue, type JobQueue } from '../../../../platform/jobs/queue.js';
import { createTestApp, type TestApp } from '../../../../testing/test-app.js';
import { prepareJobQueues } from '../../../../worker.js';
import { createOrganization } from '../../../orgs/service.js';
import { buildPdf } from '../extractors/test-fixtures.js';
import {
  cancelSourceIngestion,
  enqueueSourceIngestion,
  handleIngestSource,
  INGEST_SOURCE,
} from '../jobs/ingest-source.js';
import { sweepSources } from '../jobs/refresh-sources.js';
import { createSource } from '../service.js';
import { GENERIC_FAILURE } from './errors.js';
import { processSource } from './process-source.js';

const SYSTEM = { type: 'system' as const, id: null };

/** A Markdown article long enough for several chunks. */
const article = (topic: string, sections = 6) =>
  `# ${topic}\n\n${Array.from(
    { length: sections },
    (_, i) =>
      `## ${topic} part ${i + 1}\n\n${`The ${topic} policy covers case number ${i + 1} in plain words. `.repeat(14)}`,
  ).join('\n\n')}`;

describe.each(testDatabaseKinds)('ingestion pipeline on %s', (kind) => {
  let t: TestApp;
  let org: { orgId: string; apiKey: string };

  beforeAll(async () => {
    t = await createTestApp({ kind });
    org = await t.createOrg('Pipeline org');
  });
  afterAll(() => t?.close());

  const call = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown) =>
    t.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${org.apiKey}` },
      ...(payload !== undefined ? { payload: payload as string } : {}),
    });

  const chunkRows = (sourceId: string) =>
    withTenant(t.database, [org.orgId], (tx) =>
      queryRows<{ id: string; ordinal: number; version: number }>(
        tx,
        sql`select id, ordinal, version from knowledge_chunks where source_id = ${sourceId} order by version, ordinal`,
      ),
    );
  const sourceRow = (sourceId: string) =>
    withTenant(t.database, [org.orgId], async (tx) => {
      const [row] = await queryRows<{ version: number; status: string; error: string | null }>(
        tx,
        sql`select version, status, error from knowledge_sources where id = ${sourceId}`,
      );
      return row;
    });
  /** A source recorded directly (no job), as the route does before it enqueues. */
  const recordSource = (title: string, content: string) =>
    withTenant(t.database, [org.orgId], (tx) =>
      createSource(tx, t.keyring, org.orgId, SYSTEM, {
        type: 'text',
        title,
        content,
        format: 'markdown',
        byteSize: Buffer.byteLength(content),
      }),
    );

  it('answers 201 queued at once, then a job indexes the source at version 1 with its progress', async () => {
    const res = await call('POST', '/v1/knowledge/sources', {
      type: 'text',
      title: 'Returns',
      content: article('returns'),
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      status: 'queued',
      error: null,
      progress: { chunksDone: 0, chunksTotal: 0, pagesDone: 0, pagesTotal: 0 },
      lastIndexedAt: null,
    });
    const ready = await t.waitForSource(org.apiKey, res.json().id);
    expect(ready).toMatchObject({ status: 'ready', error: null });
    expect(ready.progress.chunksTotal).toBeGreaterThan(2);
    expect(ready.progress.chunksDone).toBe(ready.progress.chunksTotal);
    expect(ready.lastIndexedAt).toEqual(expect.any(String));
    const chunks = await chunkRows(ready.id);
    expect(chunks.map((c) => c.ordinal)).toEqual([...chunks.keys()]);
    expect(new Set(chunks.map((c) => c.version))).toEqual(new Set([1]));
    expect((await sourceRow(ready.id))?.version).toBe(1);
  });

  it('re-indexes into version 2 and swaps it in whole; 409 while a run is pending; audited', async () => {
    const created = (
      await call('POST', '/v1/knowledge/sources', {
        type: 'text',
        title: 'Exchanges',
        content: article('exchanges'),
      })
    ).json();
    await t.waitForSource(org.apiKey, created.id);
    const before = await chunkRows(created.id);

    const res = await call('POST', `/v1/knowledge/sources/${created.id}/reindex`);
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json()).toMatchObject({ id: created.id, status: 'queued' });
    const ready = await t.waitForSource(org.apiKey, created.id);
    expect(ready.status).toBe('ready');
    const after = await chunkRows(created.id);
    expect(after).toHaveLength(before.length);
    expect(new Set(after.map((c) => c.version))).toEqual(new Set([2]));
    expect(after.map((c) => c.ordinal)).toEqual([...after.keys()]);
    expect(after.some((c) => before.some((b) => b.id === c.id))).toBe(false);
    const search = await call('POST', '/v1/knowledge/search', { query: 'exchanges policy case' });
    expect(search.statusCode, search.body).toBe(200);
    expect(search.json().results.map((r: { sourceId: string }) => r.sourceId)).toContain(created.id);

    // A source still queued (its job not run yet) cannot be queued twice.
    const pending = await recordSource('Pending', article('pending', 1));
    const conflict = await call('POST', `/v1/knowledge/sources/${pending.id}/reindex`);
    expect(conflict.statusCode).toBe(409);
    expect(conflict.headers['content-type']).toContain('application/problem+json');
    expect((await call('POST', `/v1/knowledge/sources/${randomUUID()}/reindex`)).statusCode).toBe(404);

    const audit = await withTenant(t.database, [org.orgId], (tx) =>
      queryRows<{ target_id: string; metadata: Record<string, unknown> }>(
        tx,
        sql`select target_id, metadata from audit_log where action = 'knowledge_source.reindex_requested'`,
      ),
    );
    expect(audit).toEqual([{ target_id: created.id, metadata: { type: 'text' } }]);
  });

  it('indexes an uploaded PDF with its pages as progress, and re-indexes it from the stored original', async () => {
    const pdf = buildPdf([
      [{ heading: 'Bike fitting' }, 'Saddle height is set with the pedal at its lowest point.'],
      ['Handlebar reach depends on your torso length and arm length.'],
      ['Cleat position decides how your knees track over the pedals.'],
    ]);
    const boundary = 'pipeline-test-boundary';
    const body = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="fitting.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
      ),
      Buffer.from(pdf),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/knowledge/sources',
      headers: {
        authorization: `Bearer ${org.apiKey}`,
        'content-type': `multipart/form-data; boundary=${boundary}`,
      },
      payload: body,
    });
    expect(res.statusCode, res.body).toBe(201);
    const ready = await t.waitForSource(org.apiKey, res.json().id);
    expect(ready).toMatchObject({ status: 'ready', progress: { pagesDone: 3, pagesTotal: 3 } });
    const before = await chunkRows(ready.id);

    expect((await call('POST', `/v1/knowledge/sources/${ready.id}/reindex`)).statusCode).toBe(202);
    expect(await t.waitForSource(org.apiKey, ready.id)).toMatchObject({ status: 'ready' });
    const after = await chunkRows(ready.id);
    expect(after.map((c) => [c.ordinal, c.version])).toEqual(before.map((c) => [c.ordinal, 2]));
  });

  it('a viewer may not re-index', async () => {
    const issued = await call('POST', '/v1/api-keys', { name: 'viewer', role: 'viewer' });
    const sources = (await call('GET', '/v1/knowledge/sources')).json().sources;
    const res = await t.app.inject({
      method: 'POST',
      url: `/v1/knowledge/sources/${sources[0].id}/reindex`,
      headers: { authorization: `Bearer ${issued.json().key}` },
    });
    expect(res.statusCode).toBe(403);
  });

  it('a run after a crash deletes the partial next version before rewriting it: every chunk once', async () => {
    const source = await recordSource('Crash', article('crash'));
    await processSource(t, org.orgId, source.id);
    const v1 = await chunkRows(source.id);
    // What a process killed mid-run leaves: some chunks of version 2, the source `processing`.
    await withTenant(t.database, [org.orgId], async (tx) => {
      await tx.execute(
        sql`insert into knowledge_chunks (org_id, source_id, ordinal, title, content, version)
            select org_id, source_id, ordinal, title, 'stale partial text', 2 from knowledge_chunks
            where source_id = ${source.id} and ordinal < 2`,
      );
      await tx.execute(sql`update knowledge_sources set status = 'processing' where id = ${source.id}`);
    });
    await processSource(t, org.orgId, source.id);
    const v2 = await chunkRows(source.id);
    expect(v2).toHaveLength(v1.length);
    expect(v2.map((c) => [c.ordinal, c.version])).toEqual(v1.map((c) => [c.ordinal, 2]));
    const stale = await withTenant(t.database, [org.orgId], (tx) =>
      queryRows<{ n: number }>(
        tx,
        sql`select count(*)::int as n from knowledge_chunks where content = 'stale partial text'`,
      ),
    );
    expect(stale[0]!.n).toBe(0);
    expect(await sourceRow(source.id)).toMatchObject({ version: 2, status: 'ready' });
  });

  it('a source with nothing to index fails at once with a readable reason, and keeps no chunk', async () => {
    const source = await recordSource('Headings only', '# One\n\n## Two\n\n---\n');
    await handleIngestSource(t, { orgId: org.orgId, sourceId: source.id }, context(0));
    expect(await sourceRow(source.id)).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/no text to index/),
    });
    expect(await chunkRows(source.id)).toEqual([]);
  });

  it('a transient failure is retried (source back to queued); the last attempt fails it generically', async () => {
    const source = await recordSource('Flaky', article('flaky', 2));
    // A file source whose original cannot be read right now (an I/O error, not a missing file).
    await withTenant(t.database, [org.orgId], async (tx) => {
      await tx.execute(
        sql`insert into blobs (org_id, hash, byte_size, mime_type) values (${org.orgId}, ${'a'.repeat(64)}, 1, 'text/plain')`,
      );
      await tx.execute(
        sql`update knowledge_sources set type = 'file', blob_hash = ${'a'.repeat(64)} where id = ${source.id}`,
      );
    });
    const unreadable = {
      ...t,
      blobStore: {
        get: async () => {
          throw Object.assign(new Error('disk unavailable'), { code: 'EIO' });
        },
      },
    };
    const payload = { orgId: org.orgId, sourceId: source.id };
    await expect(handleIngestSource(unreadable, payload, context(0))).rejects.toThrow('disk unavailable');
    expect(await sourceRow(source.id)).toMatchObject({ status: 'queued', error: null });
    await expect(handleIngestSource(unreadable, payload, context(4))).rejects.toThrow('disk unavailable');
    expect(await sourceRow(source.id)).toMatchObject({ status: 'failed', error: GENERIC_FAILURE });
    expect(await chunkRows(source.id)).toEqual([]);
  });

  it('a job for a deleted source ends quietly', async () => {
    const gone = await recordSource('Gone', article('gone', 1));
    await withTenant(t.database, [org.orgId], (tx) =>
      tx.execute(sql`delete from knowledge_sources where id = ${gone.id}`),
    );
    await expect(
      handleIngestSource(t, { orgId: org.orgId, sourceId: gone.id }, context(0)),
    ).resolves.toBeUndefined();
  });

  it('deleting a source removes its chunks and embeddings (cascade) and answers 404 afterwards', async () => {
    const created = (
      await call('POST', '/v1/knowledge/sources', {
        type: 'text',
        title: 'Doomed',
        content: article('doomed'),
      })
    ).json();
    await t.waitForSource(org.apiKey, created.id);
    expect((await chunkRows(created.id)).length).toBeGreaterThan(0);
    expect((await call('DELETE', `/v1/knowledge/sources/${created.id}`)).statusCode).toBe(204);
    expect(await chunkRows(created.id)).toEqual([]);
    expect((await call('GET', `/v1/knowledge/sources/${created.id}`)).statusCode).toBe(404);
  });

  it('schedules the next refresh from refreshIntervalHours when a run ends', async () => {
    const source = await recordSource('Scheduled', article('scheduled', 1));
    await withTenant(t.database, [org.orgId], (tx) =>
      tx.execute(
        sql`update knowledge_sources set options = '{"refreshIntervalHours": 6}' where id = ${source.id}`,
      ),
    );
    await processSource(t, org.orgId, source.id);
    const view = (await call('GET', `/v1/knowledge/sources/${source.id}`)).json();
    const hours = (Date.parse(view.nextRefreshAt) - Date.parse(view.lastIndexedAt)) / 3_600_000;
    expect(hours).toBeCloseTo(6, 1);
  });
});

function context(retryCount: number) {
  return { jobId: randomUUID(), retryCount, retryLimit: 4, signal: new AbortController().signal };
}

/** Ingestion jobs sent here stay visible: this database has a queue but no ingestion worker. */
describe.each(testDatabaseKinds)('ingestion jobs on a bare queue on %s', (kind) => {
  let database: TestDatabase;
  let jobs: JobQueue;
  let orgId: string;
  const keyring = makeKeyring(new Map([[1, randomBytes(32)]]));

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    jobs = createJobQueue(database);
    await prepareJobQueues(jobs);
    const { org } = await createOrganization(
      database,
      keyring,
      { name: 'Queue org', kind: 'direct', parentId: null },
      SYSTEM,
    );
    orgId = org.id;
  });
  afterAll(async () => {
    await jobs?.stop();
    await database?.drop();
  });

  const deps = () => ({ config: loadConfig({ NODE_ENV: 'test', CONFIDANT_DEMO: 'false' }), database });
  const recordSource = (title: string, content: string) =>
    withTenant(database, [orgId], (tx) =>
      createSource(tx, keyring, orgId, SYSTEM, {
        type: 'text',
        title,
        content,
        format: 'markdown',
        byteSize: Buffer.byteLength(content),
      }),
    );
  const states = async (sourceId: string) =>
    (await jobs.findJobs(INGEST_SOURCE, { sourceId })).map((j) => j.state);

  it('deleting a source cancels its job still waiting', async () => {
    const waiting = await recordSource('Waiting', article('waiting', 1));
    await enqueueSourceIngestion({ jobs }, orgId, waiting.id);
    expect(await states(waiting.id)).toEqual(['created']);
    await cancelSourceIngestion({ jobs }, orgId, waiting.id);
    expect(await states(waiting.id)).toEqual(['cancelled']);
  });

  it('the sweep queues sources whose refresh is due and repairs queued sources without a job', async () => {
    const due = await recordSource('Due', article('due', 1));
    await processSource(deps(), orgId, due.id);
    const stuck = await recordSource('Stuck', article('stuck', 1));
    const abandoned = await recordSource('Abandoned', article('abandoned', 1));
    const fresh = await recordSource('Fresh', article('fresh', 1));
    await withTenant(database, [orgId], async (tx) => {
      await tx.execute(
        sql`update knowledge_sources set next_refresh_at = now() - interval '1 minute' where id = ${due.id}`,
      );
      await tx.execute(
        sql`update knowledge_sources set updated_at = now() - interval '1 hour' where id = ${stuck.id}`,
      );
      // A run whose job gave up silently (e.g. expired): processing, unchanged for an hour.
      await tx.execute(
        sql`update knowledge_sources set status = 'processing', updated_at = now() - interval '1 hour' where id = ${abandoned.id}`,
      );
    });
    expect(await sweepSources({ database, jobs })).toEqual({ refreshed: 1, repaired: 2 });
    expect(await states(due.id)).toEqual(['created']);
    expect(await states(stuck.id)).toEqual(['created']);
    expect(await states(abandoned.id)).toEqual(['created']);
    expect(await states(fresh.id)).toEqual([]);
    const [row] = await withTenant(database, [orgId], (tx) =>
      queryRows<{ status: string; next_refresh_at: Date | null }>(
        tx,
        sql`select status, next_refresh_at from knowledge_sources where id = ${due.id}`,
      ),
    );
    expect(row).toEqual({ status: 'queued', next_refresh_at: null });
    // Claimed: the next tick queues nothing again.
    expect(await sweepSources({ database, jobs })).toEqual({ refreshed: 0, repaired: 0 });
    for (const id of [due.id, stuck.id, abandoned.id]) await cancelSourceIngestion({ jobs }, orgId, id);
  });

  it('keeps only the kind and code of a failed attempt’s error with the job, never its message', async () => {
    await jobs.createQueue('test.failing', { retryLimit: 0 });
    await jobs.work('test.failing', async () => {
      throw Object.assign(new Error('Failed query: insert … params: CANARY-CONTENT'), { code: '23505' });
    });
    await jobs.send('test.failing', { n: 1 });
    let job: { state: string; output: unknown } | undefined;
    for (let i = 0; i < 400 && job?.state !== 'failed'; i++) {
      [job] = await jobs.findJobs('test.failing', { n: 1 });
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(job?.state).toBe('failed');
    expect(JSON.stringify(job?.output)).not.toContain('CANARY');
    expect(job?.output).toMatchObject({ message: 'Error (23505)' });
  });

  it('recovers jobs a killed process left running: retried at once', async () => {
    const source = await recordSource('Orphan', article('orphan', 1));
    await enqueueSourceIngestion({ jobs }, orgId, source.id);
    // What a SIGKILL leaves: the job claimed (active) by a worker that no longer exists.
    const claimer = createJobQueue(database);
    await claimer.start();
    let claimed!: () => void;
    const held = new Promise<void>((resolve) => (claimed = resolve));
    await claimer.work(INGEST_SOURCE, async (_data, { signal }) => {
      claimed();
      await new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
    });
    await held;
    expect(await states(source.id)).toEqual(['active']);
    const active = await jobs.activeJobIds(INGEST_SOURCE);
    await jobs.retryNow(INGEST_SOURCE, active, 'the process running this job stopped');
    const [job] = await jobs.findJobs(INGEST_SOURCE, { sourceId: source.id });
    expect(job?.state).toBe('retry');
    await claimer.stop();
  });
});
