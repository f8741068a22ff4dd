import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/platform/db/query-rows.js';
import { withTenant } from '../../src/platform/db/tenancy.js';
import { testDatabaseKinds } from '../../src/platform/db/test-database.js';
import { createTestApp, type TestApp } from '../../src/testing/test-app.js';

/**
 * Property: whatever arrives as a body, a query string or a path parameter, on every route in the
 * live OpenAPI document, the answer is never a 5xx, every 4xx is problem+json, and a rejected
 * request writes nothing (the audit log, written in the same transaction as every change, does
 * not grow — apart from `access.denied`, the record of a refusal itself). Requests carry real credentials (an owner API key; for the widget a publishable key,
 * its allowed Origin and a visitor token) so validation and services are reached, not just auth.
 * Bounded by a fixed seed and a fixed number of runs per route.
 */

/**
 * Per route and database. 30 runs keep the whole fuzz near half a minute per database now that
 * there are ~130 routes (at 50 it had become the suite's longest file); the seed is fixed, so a
 * failure found is always reproduced.
 */
const RUNS_PER_ROUTE = 30;
const SEED = 20_240_611;
const SITE = 'https://shop.example';
const NONEXISTENT_ID = '00000000-0000-4000-8000-000000000000';

type Operation = {
  parameters?: { in: string; name: string }[];
  requestBody?: { content?: Record<string, { schema?: ObjectSchema }> };
};
type JsonSchema = {
  type?: string | string[];
  enum?: unknown[];
  format?: string;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
};
type ObjectSchema = {
  properties?: Record<string, JsonSchema>;
  oneOf?: ObjectSchema[];
  anyOf?: ObjectSchema[];
};
/** The fields a body may have; a union (e.g. the knowledge source types) contributes every option's. */
const fieldsOf = (schema: ObjectSchema | undefined): Record<string, JsonSchema> =>
  Object.assign(
    {},
    schema?.properties,
    ...[...(schema?.oneOf ?? []), ...(schema?.anyOf ?? [])].map(fieldsOf),
  );
type Route = { method: string; path: string; queryNames: string[]; bodyFields: Record<string, JsonSchema> };
type Fixture = {
  orgId: string;
  apiKey: string;
  agentKey: string;
  token: string;
  ids: Record<string, string>;
};

/** Strings PostgreSQL or a parser might trip over: NUL, lone surrogates, encodings, injections. */
const nastyConstants = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff',
  'x\udc00y',
  '\ud83d\ude00',
  '\u202e\u200b\ufeff',
  '%00',
  '%',
  '%E0%A4%A',
  "' or '1'='1",
  '"; drop table agents; --',
  '../../etc/passwd',
  '__proto__',
  'constructor',
  '<script>alert(1)</script>',
  'ck_notakey',
  'pk_aaaaaaaaaaaaaaaa',
  'x'.repeat(5000),
  '\u00e9\u4e2d\u0627\u05d0',
  '9'.repeat(400),
];
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n));
const nastyString = fc.oneof(
  fc.constantFrom(...nastyConstants),
  fc.string({ unit: codeUnit, maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ maxLength: 40 }),
);
const hugeNumber = fc.constantFrom(1e308, -1e308, 2 ** 53 + 2, -(2 ** 63), 1e-320, -0, 0.5, 2 ** 31);
const nested = (depth: number) => {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
};
const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  nastyString,
  hugeNumber,
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(nested(200), [], {}, null, true, [null], { '\u0000': 1 }),
  fc.array(nastyString, { maxLength: 8 }),
);

/** JSON text, including what JSON.stringify cannot produce (1e999 parses to Infinity) and deep nesting. */
const rawJsonText = fc.constantFrom(
  '{"k": 1e999}',
  '{"name": -1e999, "text": 1e999}',
  `${'['.repeat(5000)}${']'.repeat(5000)}`,
  `${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}`,
  '{"a":1,"a":2}',
  '"\\ud800"',
  '{"\\u0000":"x"}',
);

/** Text that is fine except, often, for one character PostgreSQL refuses. */
const almostValidText = fc
  .tuple(
    fc.constantFrom('Valid name', 'https://shop.example', 'question?', 'a'),
    fc.constantFrom('', '\u0000', '\ud800', '\udfff', '\ud83d\ude00', ' '),
  )
  .map(([text, tail]) => text + tail);

/**
 * A value that fits the field's declared shape often enough to get past validation to the service
 * (where the 5xx were), and breaks it the rest of the time.
 */
function plausibleValue(schema: JsonSchema | undefined): fc.Arbitrary<unknown> {
  const type = Array.isArray(schema?.type) ? schema.type[0] : schema?.type;
  const shaped: fc.Arbitrary<unknown> = schema?.enum
    ? fc.constantFrom(...schema.enum)
    : schema?.anyOf?.[0]
      ? plausibleValue(schema.anyOf[0])
      : type === 'string'
        ? schema?.format === 'uuid'
          ? fc.constantFrom(NONEXISTENT_ID, 'not-a-uuid')
          : almostValidText
        : type === 'array'
          ? fc.array(plausibleValue(schema?.items), { maxLength: 4 })
          : type === 'integer' || type === 'number'
            ? fc.oneof(fc.integer({ min: -5, max: 100 }), hugeNumber)
            : type === 'boolean'
              ? fc.boolean()
              : nastyValue;
  return fc.oneof({ arbitrary: shaped, weight: 3 }, { arbitrary: nastyValue, weight: 1 });
}

const bodyFor = (route: Route) =>
  fc.oneof(
    fc
      .record(
        Object.fromEntries(
          Object.entries(route.bodyFields).map(([f, schema]) => [f, plausibleValue(schema)]),
        ),
        {
          requiredKeys: [],
        },
      )
      .map((v) => JSON.stringify(v)),
    fc.jsonValue().map((v) => JSON.stringify(v)),
    rawJsonText,
  );

/** Percent-encodes anything, including lone surrogates (as their code unit's bytes) and raw bytes. */
const percentEncode = (value: string) =>
  [...Buffer.from(value, 'latin1')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
const urlComponent = fc.oneof(
  nastyString.map((s) => {
    try {
      return encodeURIComponent(s);
    } catch {
      return percentEncode(s);
    }
  }),
  fc.uint8Array({ maxLength: 12 }).map((bytes) => [...bytes].map((b) => `%${b.toString(16)}`).join('')),
  fc.constantFrom('%00', '%', '%zz', 'a'.repeat(150), NONEXISTENT_ID),
);

const queryFor = (route: Route) =>
  fc
    .array(
      fc.tuple(fc.oneof(fc.constantFrom(...route.queryNames, 'q', 'cursor'), urlComponent), urlComponent),
      {
        maxLength: 3,
      },
    )
    .map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&'));

describe.each(testDatabaseKinds)('fuzzing every route on %s', (kind) => {
  let t: TestApp;
  let routes: Route[];
  let fixture: Fixture;
  let orgIds: string[];

  const auditCount = async () => {
    const [row] = await withTenant(t.database, orgIds, (tx) =>
      queryRows<{ n: number }>(
        tx,
        sql`select count(*)::int as n from audit_log where action <> 'access.denied'`,
      ),
    );
    return row!.n;
  };

  /** A valid id for the path's resource; DELETE only gets ids that name nothing, so the fixture survives. */
  const validIdFor = (route: Route) => {
    if (route.method === 'DELETE') return NONEXISTENT_ID;
    const match = Object.entries(fixture.ids).find(([prefix]) => route.path.startsWith(prefix));
    return match?.[1] ?? NONEXISTENT_ID;
  };

  const headersFor = (route: Route): Record<string, string> =>
    route.path.startsWith('/v1/widget/')
      ? { authorization: `Bearer ${fixture.token}`, origin: SITE }
      : route.path.startsWith('/v1/orgs')
        ? { authorization: `Bearer ${t.platformKey}` }
        : { authorization: `Bearer ${fixture.apiKey}` };

  beforeAll(async () => {
    t = await createTestApp({
      kind,
      env: { CONFIDANT_MAX_BODY_BYTES: '65536', CONFIDANT_MAX_UPLOAD_BYTES: '16384' },
    });
    const { orgId, apiKey } = await t.createOrg('Fuzzed');
    const admin = { authorization: `Bearer ${apiKey}` };
    const post = async (url: string, payload: object, headers: Record<string, string> = admin) => {
      const res = await t.app.inject({ method: 'POST', url, headers, payload });
      if (res.statusCode !== 201) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
      return res.json();
    };
    const agent = await post('/v1/agents', { name: 'Fuzz', allowedOrigins: [SITE] });
    const source = await post('/v1/knowledge/sources', {
      type: 'text',
      title: 'Returns',
      content: 'Returns take 30 days.',
    });
    await t.waitForSource(apiKey, source.id);
    const key = await post('/v1/api-keys', { name: 'spare' });
    const synonyms = await post('/v1/knowledge/synonyms', { terms: ['parcel', 'package'] });
    const conversation = await post(
      '/v1/widget/conversations',
      { agentKey: agent.publishableKey },
      { origin: SITE },
    );
    const canned = await post('/v1/canned-responses', { shortcut: 'refund', text: 'Refunds take 5 days.' });
    fixture = {
      orgId,
      apiKey,
      agentKey: agent.publishableKey,
      token: conversation.token,
      ids: {
        '/v1/agents/': agent.id,
        '/v1/knowledge/sources/': source.id,
        '/v1/knowledge/synonyms/': synonyms.id,
        '/v1/api-keys/': key.id,
        '/v1/widget/conversations/': conversation.conversationId,
        '/v1/conversations/': conversation.conversationId,
        '/v1/canned-responses/': canned.id,
        '/v1/orgs/': orgId,
      },
    };
    const spec = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json() as {
      paths: Record<string, Record<string, Operation>>;
    };
    routes = Object.entries(spec.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([m]) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
        .map(([m, op]) => ({
          method: m.toUpperCase(),
          path,
          queryNames: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
          bodyFields: fieldsOf(op.requestBody?.content?.['application/json']?.schema),
        })),
    );
    const all = await queryRows<{ id: string }>(t.database.db, sql`select id from organizations`);
    orgIds = all.map((r) => r.id);
  }, 60_000);
  afterAll(() => t?.close());

  it('never answers with a 5xx, answers every 4xx with problem+json and writes nothing when it refuses', async () => {
    expect(routes.length).toBeGreaterThan(20);
    const failures: string[] = [];
    let requests = 0;
    let audit = await auditCount();

    const check = async (options: InjectOptions, label: string) => {
      // A live event stream that opened never ends by itself: read only its head, then hang up.
      const live = options.method === 'GET' && /\/events(\?|$)/.test(String(options.url));
      const res: LightMyRequestResponse = await t.app.inject({
        ...options,
        ...(live ? { payloadAsStream: true } : {}),
      });
      if (live) {
        const stream = res.stream();
        if (res.statusCode === 200) {
          stream.destroy();
          requests++;
          return;
        }
        const chunks: Buffer[] = [];
        for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
        Object.defineProperty(res, 'body', { value: Buffer.concat(chunks).toString('utf8') });
      }
      requests++;
      const describeIt = () =>
        `${label} ${String(options.url).slice(0, 120)} → ${res.statusCode} ${res.body.slice(0, 200)}`;
      const audited = await auditCount();
      if (res.statusCode >= 500) failures.push(describeIt());
      else if (res.statusCode >= 400) {
        if (!String(res.headers['content-type']).includes('application/problem+json'))
          failures.push(`not problem+json: ${describeIt()}`);
        if (audited !== audit) failures.push(`refused but audited: ${describeIt()}`);
      }
      audit = audited;
    };

    for (const route of routes) {
      const label = `${route.method} ${route.path}`;
      const hasParams = route.path.includes('{');
      const sendsBody = ['POST', 'PUT', 'PATCH'].includes(route.method);
      await fc.assert(
        fc.asyncProperty(
          hasParams ? fc.oneof(fc.constant(validIdFor(route)), urlComponent) : fc.constant(''),
          queryFor(route),
          sendsBody ? bodyFor(route) : fc.constant(undefined),
          async (id, query, body) => {
            const url = `${route.path.replace(/\{\w+\}/g, id)}${query ? `?${query}` : ''}`;
            await check(
              {
                method: route.method as InjectOptions['method'],
                url,
                headers: {
                  ...headersFor(route),
                  ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
                },
                ...(body !== undefined ? { payload: body } : {}),
              },
              label,
            );
          },
        ),
        { numRuns: RUNS_PER_ROUTE, seed: SEED + routes.indexOf(route) },
      );
    }
    console.log(
      `fuzz-routes (${kind}): ${requests} requests over ${routes.length} routes, ${failures.length} failures`,
    );
    expect(failures).toEqual([]);
    // A guard against hangs only: the run grows with every route (about 2 s per route on a busy machine).
  }, 300_000);
});
