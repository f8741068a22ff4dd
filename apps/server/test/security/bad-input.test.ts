import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
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
const SITE = 'https://shop.example';

/** Sends raw bytes over a socket and returns everything the server writes before closing. */
function rawExchange(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => {
      received += chunk;
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(received));
  });
}

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
  }, 60_000);
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

  it('refuses NUL and unpaired surrogates in JSON text with 400 naming the field, and writes nothing', async () => {
    const agent = await t.app.inject({
      method: 'POST',
      url: '/v1/agents',
      headers: { authorization: `Bearer ${org.apiKey}` },
      payload: { name: 'Widget', allowedOrigins: [SITE] },
    });
    const conversation = await t.app.inject({
      method: 'POST',
      url: '/v1/widget/conversations',
      headers: { origin: SITE },
      payload: { agentKey: agent.json().publishableKey },
    });
    const { conversationId, token } = conversation.json();
    const before = await snapshot();
    const admin = { authorization: `Bearer ${org.apiKey}` };
    const cases: { url: string; payload: string; headers: Record<string, string>; path: string }[] = [
      { url: '/v1/api-keys', payload: '{"name":"key\\u0000"}', headers: admin, path: 'body.name' },
      { url: '/v1/agents', payload: '{"name":"a\\u0000b"}', headers: admin, path: 'body.name' },
      {
        url: '/v1/agents',
        payload: '{"name":"ok","starters":["fine","\\ud800"]}',
        headers: admin,
        path: 'body.starters.1',
      },
      {
        url: '/v1/agents',
        payload: '{"name":"ok","greeting":"\\udc00 hi"}',
        headers: admin,
        path: 'body.greeting',
      },
      {
        url: '/v1/knowledge/synonyms',
        payload: '{"terms":["a","b\\u0000"]}',
        headers: admin,
        path: 'body.terms.1',
      },
      {
        url: '/v1/orgs',
        payload: '{"name":"\\u0000"}',
        headers: { authorization: `Bearer ${t.platformKey}` },
        path: 'body.name',
      },
      {
        url: `/v1/widget/conversations/${conversationId}/messages`,
        payload: '{"text":"hello\\u0000","clientMessageId":"m1"}',
        headers: { authorization: `Bearer ${token}`, origin: SITE },
        path: 'body.text',
      },
    ];
    for (const c of cases) {
      const res = await t.app.inject({
        method: 'POST',
        url: c.url,
        payload: c.payload,
        headers: { 'content-type': 'application/json', ...c.headers },
      });
      expectProblem(res, [400], `${c.url} ${c.payload}`);
      expect(res.json().issues, c.payload).toContainEqual(expect.objectContaining({ path: c.path }));
    }
    // A paired surrogate (an emoji) is ordinary text.
    const emoji = await t.app.inject({
      method: 'POST',
      url: '/v1/knowledge/search',
      headers: { 'content-type': 'application/json', ...admin },
      payload: '{"query":"\\ud83d\\ude00 order"}',
    });
    expect(emoji.statusCode).toBe(200);
    // %00 in a query string or a path parameter is refused by the shared schemas.
    for (const url of [`/v1/widget/config?agentKey=pk_${'a'.repeat(16)}%00`, '/v1/agents/%00']) {
      expectProblem(
        await t.app.inject({ method: 'GET', url, headers: { ...admin, origin: SITE } }),
        [400],
        url,
      );
    }
    expect(await snapshot()).toEqual(before);
  });

  it('answers malformed multipart uploads with 400 or 413 and writes nothing', async () => {
    const before = await snapshot();
    const upload = (contentType: string, payload: string) =>
      t.app.inject({
        method: 'POST',
        url: '/v1/knowledge/sources',
        headers: { authorization: `Bearer ${org.apiKey}`, 'content-type': contentType },
        payload,
      });
    const part = 'Content-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\nhello\r\n';
    const cases: [string, string, string][] = [
      ['missing boundary', 'multipart/form-data', `--x\r\n${part}--x--\r\n`],
      ['empty boundary', 'multipart/form-data; boundary=', `--x\r\n${part}--x--\r\n`],
      ['boundary too long', `multipart/form-data; boundary=${'b'.repeat(300)}`, `--x\r\n${part}--x--\r\n`],
      ['truncated body', 'multipart/form-data; boundary=x', `--x\r\n${part}`],
      ['truncated headers', 'multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-da'],
      [
        'bad part headers',
        'multipart/form-data; boundary=x',
        '--x\r\nno colon here\r\n\r\nhello\r\n--x--\r\n',
      ],
      [
        'no disposition',
        'multipart/form-data; boundary=x',
        '--x\r\nContent-Type: text/plain\r\n\r\nhi\r\n--x--\r\n',
      ],
      ['garbage', 'multipart/form-data; boundary=x', '\u0000\u0001 not multipart at all'],
      ['empty', 'multipart/form-data; boundary=x', ''],
    ];
    for (const [label, type, payload] of cases) {
      expectProblem(await upload(type, payload), [400, 413], `multipart ${label}`);
    }
    const nulTitle = `--x\r\nContent-Disposition: form-data; name="title"\r\n\r\nt\u0000\r\n--x\r\n${part}--x--\r\n`;
    expectProblem(await upload('multipart/form-data; boundary=x', nulTitle), [400], 'multipart NUL title');
    const nulColumn = `--x\r\nContent-Disposition: form-data; name="titleColumn"\r\n\r\n\u0000\r\n--x\r\n${part}--x--\r\n`;
    expectProblem(await upload('multipart/form-data; boundary=x', nulColumn), [400], 'multipart NUL column');
    expect(await snapshot()).toEqual(before);
  });

  it('answers errors before routing with problem+json', async () => {
    for (const url of ['/%', '/v1/agents/%E0%A4%A', '/v1/%zz']) {
      expectProblem(await t.app.inject({ method: 'GET', url }), [400], `bad URL ${url}`);
    }
    const longParam = `/v1/agents/${'a'.repeat((t.app.initialConfig.maxParamLength ?? 100) + 1)}`;
    expectProblem(
      await t.app.inject({
        method: 'GET',
        url: longParam,
        headers: { authorization: `Bearer ${org.apiKey}` },
      }),
      [414],
      'long path parameter',
    );
    // Node's HTTP parser errors never reach Fastify's routing: only a real socket shows them.
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as AddressInfo;
    const raw = [
      ['headers too large', `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431],
      ['URL too long', `GET /v1/agents?q=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`, 431],
      ['malformed request line', 'NOT HTTP AT ALL\r\n\r\n', 400],
      ['bad header', 'GET / HTTP/1.1\r\nHost x\r\n\r\n', 400],
    ] as const;
    for (const [label, request, status] of raw) {
      const response = await rawExchange(port, request);
      expect(response, label).toMatch(new RegExp(`^HTTP/1.1 ${status} `));
      expect(response.toLowerCase(), label).toContain('content-type: application/problem+json');
      const problem = JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4));
      expect(problem.status, label).toBe(status);
    }
  });

  it('answers unknown routes and wrong methods with problem+json', async () => {
    expectProblem(await t.app.inject({ method: 'GET', url: '/v1/nope' }), [401, 404], 'unknown route');
    expectProblem(await t.app.inject({ method: 'GET', url: '/nope' }), [404], 'unknown page');
  });
});
