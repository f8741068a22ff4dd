import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/platform/db/query-rows.js';
import { withTenant } from '../../src/platform/db/tenancy.js';
import { testDatabaseKinds } from '../../src/platform/db/test-database.js';
import { createTestApp, type TestApp } from '../../src/testing/test-app.js';

/**
 * Bad input gets the right 4xx as problem+json and writes nothing — never a 5xx.
 * Routes come from the live OpenAPI document, so new routes are exercised automatically.
 */
type Route = { method: string; path: string; hasBody: boolean; public: boolean };

const NONEXISTENT_ID = '00000000-0000-4000-8000-000000000000';

describe.each(testDatabaseKinds)('bad input on %s', (kind) => {
  let t: TestApp;
  let org: { orgId: string; apiKey: string };
  let routes: Route[];
  let orgIds: string[];

  /** Row counts of every table, seen across all orgs: the "nothing was written" witness. */
  const snapshot = async () => {
    const tables = await queryRows<{ table_name: string }>(
      t.database.db,
      sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' and table_name not like '\\_\\_%' order by 1`,
    );
    return withTenant(t.database, orgIds, async (tx) => {
      const counts: Record<string, number> = {};
      for (const { table_name } of tables) {
        const [row] = await queryRows<{ n: number }>(
          tx,
          sql`select count(*)::int as n from ${sql.identifier(table_name)}`,
        );
        counts[table_name] = row!.n;
      }
      return counts;
    });
  };

  const expectProblem = (res: LightMyRequestResponse, statuses: number[], label: string) => {
    expect(statuses, `${label} → ${res.statusCode} ${res.body.slice(0, 300)}`).toContain(res.statusCode);
    expect(res.headers['content-type'], label).toContain('application/problem+json');
    const body = res.json();
    expect(body.status).toBe(res.statusCode);
    expect(typeof body.title).toBe('string');
    expect(res.body).not.toMatch(/at .+\.(ts|js):\d+|select |insert into|ck_[A-Za-z0-9_-]{20}/i);
  };

  const urlOf = (r: Route, id = NONEXISTENT_ID) => r.path.replace(/\{\w+\}/g, id);
  const send = (r: Route, opts: Partial<InjectOptions>) =>
    t.app.inject({
      method: r.method as InjectOptions['method'],
      url: urlOf(r),
      ...opts,
      headers: { authorization: `Bearer ${org.apiKey}`, origin: 'https://nowhere.example', ...opts.headers },
    });

  beforeAll(async () => {
    // Small limits keep the oversized-body cases cheap; the knowledge upload route allows 2× upload + 64 KiB.
    t = await createTestApp({
      kind,
      env: { CONFIDANT_MAX_BODY_BYTES: '65536', CONFIDANT_MAX_UPLOAD_BYTES: '16384' },
    });
    org = await t.createOrg('Victim');
    const spec = t.app.swagger() as {
      paths: Record<string, Record<string, { requestBody?: unknown; security?: unknown[] }>>;
    };
    routes = Object.entries(spec.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([m]) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
        .map(([m, op]) => ({
          method: m.toUpperCase(),
          path,
          hasBody: Boolean(op.requestBody),
          public: Array.isArray(op.security) && op.security.length === 0,
        })),
    );
    const platform = await queryRows<{ id: string }>(t.database.db, sql`select id from organizations`);
    orgIds = platform.map((r) => r.id);
  });
  afterAll(() => t?.close());

  it('answers malformed, empty, oversized, non-UTF-8 and mistyped bodies with 4xx and writes nothing', async () => {
    const before = await snapshot();
    const bodyRoutes = routes.filter((r) => r.hasBody);
    expect(bodyRoutes.length).toBeGreaterThan(2);
    const oversized = Math.max(t.config.maxBodyBytes, t.config.maxUploadBytes * 2 + 64 * 1024) + 10;
    const json = { 'content-type': 'application/json' };
    for (const r of bodyRoutes) {
      const label = `${r.method} ${r.path}`;
      expectProblem(await send(r, { payload: '{"name": ', headers: json }), [400], `${label} malformed`);
      expectProblem(await send(r, { payload: '', headers: json }), [400], `${label} empty`);
      expectProblem(await send(r, { payload: '[]', headers: json }), [400], `${label} array`);
      expectProblem(await send(r, { payload: '"text"', headers: json }), [400], `${label} string`);
      expectProblem(
        await send(r, { payload: '{"name": 12, "text": false, "query": []}', headers: json }),
        [400, 404],
        `${label} wrong types`,
      );
      expectProblem(
        await send(r, { payload: '{"__proto__": {"admin": true}}', headers: json }),
        [400],
        `${label} proto`,
      );
      expectProblem(
        await send(r, {
          payload: Buffer.from([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
          headers: json,
        }),
        [400],
        `${label} invalid UTF-8`,
      );
      expectProblem(
        await send(r, { payload: `{"name":"${'x'.repeat(oversized)}"}`, headers: json }),
        [413],
        `${label} oversized`,
      );
      expectProblem(
        await send(r, { payload: 'name=x', headers: { 'content-type': 'text/plain' } }),
        [400, 415],
        `${label} text/plain`,
      );
    }
    expect(await snapshot()).toEqual(before);
  });

  it('answers random JSON bodies with a 4xx or a success, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes.filter((r) => r.hasBody)),
        fc.jsonValue(),
        async (r, value) => {
          const res = await send(r, {
            payload: JSON.stringify(value),
            headers: { 'content-type': 'application/json' },
          });
          expect(
            res.statusCode,
            `${r.method} ${r.path} ${JSON.stringify(value).slice(0, 200)} → ${res.body}`,
          ).toBeLessThan(500);
          if (res.statusCode >= 400)
            expect(res.headers['content-type']).toContain('application/problem+json');
        },
      ),
      { numRuns: 150, seed: 42 },
    );
  });

  it('rejects missing and bogus credentials on every admin route with 401', async () => {
    const admin = routes.filter(
      (r) => !r.public && r.path.startsWith('/v1/') && !r.path.startsWith('/v1/widget/'),
    );
    expect(admin.length).toBeGreaterThan(3);
    for (const r of admin) {
      const label = `${r.method} ${r.path}`;
      const missing = await t.app.inject({ method: r.method as InjectOptions['method'], url: urlOf(r) });
      expectProblem(missing, [401], `${label} no credentials`);
      for (const bogus of [
        `Bearer ck_${'x'.repeat(40)}`,
        'Bearer nonsense',
        'Basic Zm9vOmJhcg==',
        'Bearer',
      ]) {
        const res = await t.app.inject({
          method: r.method as InjectOptions['method'],
          url: urlOf(r),
          headers: { authorization: bogus },
        });
        expectProblem(res, [401], `${label} ${bogus.slice(0, 12)}`);
      }
    }
  });

  it('answers malformed and unknown ids with 400 or 404', async () => {
    const before = await snapshot();
    for (const r of routes.filter((x) => x.path.includes('{'))) {
      const body = r.hasBody ? { payload: {} } : {};
      expectProblem(
        await send(r, { url: urlOf(r, 'not-a-uuid'), ...body }),
        [400, 401, 404],
        `${r.method} ${r.path} malformed id`,
      );
      expectProblem(
        await send(r, { url: urlOf(r, "1' or '1'='1"), ...body }),
        [400, 401, 404],
        `${r.method} ${r.path} injection id`,
      );
    }
    expect(await snapshot()).toEqual(before);
  });

  it('rejects unknown fields, blank names and wrong enum values', async () => {
    const before = await snapshot();
    const post = (url: string, payload: unknown) =>
      t.app.inject({
        method: 'POST',
        url,
        payload: payload as object,
        headers: { authorization: `Bearer ${org.apiKey}` },
      });
    expectProblem(await post('/v1/agents', { name: 'ok', isAdmin: true }), [400], 'unknown field');
    expectProblem(await post('/v1/agents', { name: '   ' }), [400], 'blank name');
    expectProblem(await post('/v1/agents', { name: 'ok', answerMode: 'magic' }), [400], 'bad enum');
    expectProblem(await post('/v1/api-keys', { name: 'k', role: 'superuser' }), [400], 'bad role');
    expect(await snapshot()).toEqual(before);
  });

  it('answers unknown routes and wrong methods with problem+json', async () => {
    expectProblem(await t.app.inject({ method: 'GET', url: '/v1/nope' }), [401, 404], 'unknown route');
    expectProblem(await t.app.inject({ method: 'GET', url: '/nope' }), [404], 'unknown page');
  });
});
