import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../platform/db/query-rows.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { testDatabaseKinds } from '../../platform/db/test-database.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { type TestArticle, testArticles } from './testing/test-corpus.js';

const MAX_UPLOAD = 8192;

type Part = { name: string; filename?: string; contentType?: string; data: string | Uint8Array };

/** A multipart/form-data body built by hand, byte for byte as a browser would send it. */
function multipart(parts: Part[]) {
  const boundary = `----confidant-${randomBytes(8).toString('hex')}`;
  const pieces: Buffer[] = [];
  for (const part of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"`;
    if (part.filename !== undefined) head += `; filename="${part.filename}"`;
    head += '\r\n';
    if (part.contentType ?? part.filename !== undefined) {
      head += `Content-Type: ${part.contentType ?? 'application/octet-stream'}\r\n`;
    }
    pieces.push(Buffer.from(`${head}\r\n`), Buffer.from(part.data), Buffer.from('\r\n'));
  }
  pieces.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(pieces),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

describe.each(testDatabaseKinds)('knowledge API on %s', (kind) => {
  let t: TestApp;
  let a: { orgId: string; apiKey: string };
  let b: { orgId: string; apiKey: string };
  const ids = {} as Record<TestArticle, string>;

  beforeAll(async () => {
    t = await createTestApp({ kind, env: { CONFIDANT_MAX_UPLOAD_BYTES: String(MAX_UPLOAD) } });
    a = await t.createOrg('Org A');
    b = await t.createOrg('Org B');
  });
  afterAll(() => t?.close());

  const call = (
    key: string,
    method: 'GET' | 'POST' | 'DELETE',
    url: string,
    payload?: unknown,
    headers: Record<string, string> = {},
  ) =>
    t.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${key}`, ...headers },
      ...(payload !== undefined ? { payload: payload as string } : {}),
    });
  const upload = (key: string, parts: Part[]) => {
    const body = multipart(parts);
    return call(key, 'POST', '/v1/knowledge/sources', body.payload, body.headers);
  };
  const search = (key: string, body: Record<string, unknown>) =>
    call(key, 'POST', '/v1/knowledge/search', body);
  /** Sources are indexed by a job: the source once its job is done (ready or failed). */
  const settled = (key: string, res: { json(): { id: string } }) => t.waitForSource(key, res.json().id);

  /** What a request may have written: sources, chunks and audit entries of an org. */
  const counts = (orgId: string) =>
    withTenant(t.database, [orgId], async (tx) => {
      const [row] = await queryRows<{ sources: number; chunks: number; audit: number }>(
        tx,
        sql`select (select count(*) from knowledge_sources)::int as sources,
                   (select count(*) from knowledge_chunks)::int as chunks,
                   (select count(*) from audit_log where action <> 'access.denied')::int as audit`,
      );
      return row!;
    });

  it('indexes JSON text sources and ranks them for questions as visitors type them', async () => {
    for (const [name, article] of Object.entries(testArticles) as [
      TestArticle,
      (typeof testArticles)[TestArticle],
    ][]) {
      const res = await call(a.apiKey, 'POST', '/v1/knowledge/sources', { type: 'text', ...article });
      expect(res.statusCode, res.body).toBe(201);
      const source = await settled(a.apiKey, res);
      expect(source).toMatchObject({ type: 'text', title: article.title, status: 'ready', error: null });
      expect(source.progress.chunksTotal).toBeGreaterThan(0);
      expect(source.progress.chunksDone).toBe(source.progress.chunksTotal);
      expect(source.byteSize).toBe(Buffer.byteLength(article.content));
      expect(source).not.toHaveProperty('fileName');
      expect(source).not.toHaveProperty('content');
      ids[name] = source.id;
    }

    const expectations: [string, TestArticle][] = [
      ['how long till i get my money back', 'refunds'],
      ['Where is my package??', 'shipping'],
      ['i forgot my password!!', 'account'],
      ['which payment methods do you accept', 'payments'],
      ['is my tent covered if it breaks', 'warranty'],
      ['what time does the lyon store open on saturday', 'stores'],
    ];
    for (const [query, expected] of expectations) {
      const res = await search(a.apiKey, { query });
      expect(res.statusCode, res.body).toBe(200);
      const results = res.json().results;
      expect(results[0]?.sourceId, `"${query}" → ${JSON.stringify(results)}`).toBe(ids[expected]);
      for (const r of results) {
        expect(Object.keys(r).sort()).toEqual([
          'chunkId',
          'headingPath',
          'score',
          'snippet',
          'sourceId',
          'title',
        ]);
        expect(r.snippet.length).toBeLessThanOrEqual(240);
        expect(r.score).toBeGreaterThan(0);
        expect(r.score).toBeLessThanOrEqual(1);
      }
      expect(results.map((r: { score: number }) => r.score)).toEqual(
        [...results.map((r: { score: number }) => r.score)].sort((x, y) => y - x),
      );
    }

    const refund = (await search(a.apiKey, { query: 'how long till i get my money back', k: 1 })).json()
      .results;
    expect(refund).toHaveLength(1);
    expect(refund[0]).toMatchObject({ title: 'Refunds', headingPath: 'Refunds > Refund timing' });
    // The snippet is the best sentence (and its neighbours), as plain text, not the whole chunk.
    expect(refund[0].snippet).toContain('The money goes back to your original payment method.');
    expect(refund[0].snippet).not.toContain('#');
  });

  it('answers stop-word-only, punctuation-heavy and operator-laden queries without failing', async () => {
    expect((await search(a.apiKey, { query: 'how do I?' })).json()).toEqual({ results: [] });
    expect((await search(a.apiKey, { query: '?? !!! ...' })).json()).toEqual({ results: [] });
    for (const query of [
      `"refund" & !| ( 'x' :* <-> \\`,
      "it's O'Brien's \\' refund",
      'refund:*A | !warranty',
    ]) {
      const res = await search(a.apiKey, { query });
      expect(res.statusCode, res.body).toBe(200);
    }
    const quoted = (await search(a.apiKey, { query: '"partial refund"' })).json().results;
    expect(quoted[0]?.headingPath).toBe('Refunds > Partial refunds');
    expect((await search(a.apiKey, { query: 'zebra quantum' })).json()).toEqual({ results: [] });
    expect((await search(a.apiKey, { query: 'refund', k: 2 })).json().results).toHaveLength(2);
  });

  it('lists sources newest first without content, and shows one with its status', async () => {
    const list = await call(a.apiKey, 'GET', '/v1/knowledge/sources');
    expect(list.statusCode).toBe(200);
    const sources = list.json().sources;
    expect(sources.map((s: { id: string }) => s.id)).toEqual(Object.values(ids).reverse());
    expect(JSON.stringify(sources)).not.toContain('warehouse');

    const one = await call(a.apiKey, 'GET', `/v1/knowledge/sources/${ids.refunds}`);
    expect(one.statusCode).toBe(200);
    expect(one.json()).toMatchObject({ id: ids.refunds, status: 'ready', title: 'Refunds' });
  });

  it('audits creation with ids, type and counts only', async () => {
    const entries = await withTenant(t.database, [a.orgId], (tx) =>
      queryRows<{ target_id: string; metadata: Record<string, unknown> }>(
        tx,
        sql`select target_id, metadata from audit_log where action = 'knowledge_source.created' order by seq`,
      ),
    );
    expect(entries.map((e) => e.target_id)).toEqual(Object.values(ids));
    expect(entries[0]!.metadata).toEqual({
      type: 'text',
      byteSize: Buffer.byteLength(testArticles.refunds.content),
    });
  });

  it('accepts .md and .txt uploads, with titles from the H1 or the file name, and keeps heading paths', async () => {
    const md = await upload(a.apiKey, [
      {
        name: 'file',
        filename: 'gift-cards.md',
        contentType: 'text/markdown',
        data: '\uFEFF# Gift cards\r\n\r\n## Balance\r\n\r\nCheck the remaining balance of a gift card on the gift card page.\r\n',
      },
    ]);
    expect(md.statusCode, md.body).toBe(201);
    expect(await settled(a.apiKey, md)).toMatchObject({
      type: 'file',
      title: 'Gift cards',
      fileName: 'gift-cards.md',
      status: 'ready',
    });
    const chunks = await withTenant(t.database, [a.orgId], (tx) =>
      queryRows<{ heading_path: string; title: string; content: string; ordinal: number }>(
        tx,
        sql`select heading_path, title, content, ordinal from knowledge_chunks where source_id = ${md.json().id}`,
      ),
    );
    expect(chunks).toEqual([
      {
        heading_path: 'Gift cards > Balance',
        title: 'Gift cards',
        content: 'Check the remaining balance of a gift card on the gift card page.',
        ordinal: 0,
      },
    ]);

    const txt = await upload(a.apiKey, [
      {
        name: 'file',
        filename: 'Opening hours.txt',
        data: 'We are closed on public holidays.\n\nCall us any weekday.',
      },
    ]);
    expect(txt.statusCode, txt.body).toBe(201);
    expect(await settled(a.apiKey, txt)).toMatchObject({
      title: 'Opening hours',
      fileName: 'Opening hours.txt',
      status: 'ready',
    });

    const titled = await upload(a.apiKey, [
      { name: 'title', data: 'Holiday closures' },
      { name: 'file', filename: 'notes.markdown', data: '# Ignored H1\n\nClosed on 25 December.' },
    ]);
    expect(titled.statusCode, titled.body).toBe(201);
    expect((await settled(a.apiKey, titled)).title).toBe('Holiday closures');
    const found = (await search(a.apiKey, { query: 'are you closed on december 25?' })).json().results;
    expect(found[0]?.sourceId).toBe(titled.json().id);
  });

  it('accepts a browser-style FormData upload over a real socket, and refuses an oversize one with 413', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    const post = (form: FormData) =>
      fetch(`${base}/v1/knowledge/sources`, {
        method: 'POST',
        headers: { authorization: `Bearer ${a.apiKey}` },
        body: form,
      });

    const ok = new FormData();
    ok.append(
      'file',
      new Blob(['# Loyalty points\n\nEvery euro spent earns one point.'], { type: 'text/markdown' }),
      'loyalty.md',
    );
    const created = await post(ok);
    expect(created.status).toBe(201);
    const loyalty = (await created.json()) as { id: string };
    expect(await t.waitForSource(a.apiKey, loyalty.id)).toMatchObject({
      title: 'Loyalty points',
      status: 'ready',
    });

    const before = await counts(a.orgId);
    const big = new FormData();
    big.append('file', new Blob(['a'.repeat(MAX_UPLOAD + 1)], { type: 'text/plain' }), 'big.txt');
    const tooBig = await post(big);
    expect(tooBig.status).toBe(413);
    expect(tooBig.headers.get('content-type')).toContain('application/problem+json');
    expect((await tooBig.json()).detail).toContain(`${MAX_UPLOAD} bytes`);

    // Refusals that happen before the whole file is read still answer cleanly over a real connection.
    const pdf = new FormData();
    pdf.append('file', new Blob(['x'.repeat(MAX_UPLOAD * 4)]), 'manual.pdf');
    expect((await post(pdf)).status).toBe(413);
    const stray = new FormData();
    stray.append('colour', 'red');
    stray.append('file', new Blob(['x'.repeat(MAX_UPLOAD * 4)]), 'a.md');
    expect((await post(stray)).status).toBe(400);
    expect(await counts(a.orgId)).toEqual(before);
  });

  it('checks agentId against the org: its own agent works, another org’s is 404', async () => {
    const agentA = (await call(a.apiKey, 'POST', '/v1/agents', { name: 'A helper' })).json();
    const agentB = (await call(b.apiKey, 'POST', '/v1/agents', { name: 'B helper' })).json();
    const own = await search(a.apiKey, { query: 'refund', agentId: agentA.id });
    expect(own.statusCode).toBe(200);
    expect(own.json().results.length).toBeGreaterThan(0);
    const foreign = await search(a.apiKey, { query: 'refund', agentId: agentB.id });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.headers['content-type']).toContain('application/problem+json');
    expect((await search(a.apiKey, { query: 'refund', agentId: randomUUID() })).statusCode).toBe(404);
  });

  it("keeps org A's knowledge invisible to org B", async () => {
    expect((await call(b.apiKey, 'GET', `/v1/knowledge/sources/${ids.refunds}`)).statusCode).toBe(404);
    expect((await call(b.apiKey, 'DELETE', `/v1/knowledge/sources/${ids.refunds}`)).statusCode).toBe(404);
    expect((await call(b.apiKey, 'GET', '/v1/knowledge/sources')).json()).toEqual({ sources: [] });
    expect((await search(b.apiKey, { query: 'how long till i get my money back' })).json()).toEqual({
      results: [],
    });

    const own = await call(b.apiKey, 'POST', '/v1/knowledge/sources', {
      type: 'text',
      title: 'B refunds',
      content: 'Refunds at B take one day.',
    });
    expect(own.statusCode).toBe(201);
    await settled(b.apiKey, own);
    const results = (await search(b.apiKey, { query: 'refund money back' })).json().results;
    expect(results.map((r: { sourceId: string }) => r.sourceId)).toEqual([own.json().id]);
    expect((await call(a.apiKey, 'GET', `/v1/knowledge/sources/${own.json().id}`)).statusCode).toBe(404);
  });

  it('deletes a source with all its chunks, so it is no longer found', async () => {
    const chunksOf = (id: string) =>
      withTenant(t.database, [a.orgId], (tx) =>
        queryRows<{ n: number }>(
          tx,
          sql`select count(*)::int as n from knowledge_chunks where source_id = ${id}`,
        ),
      );
    expect((await chunksOf(ids.warranty))[0]!.n).toBeGreaterThan(0);
    const res = await call(a.apiKey, 'DELETE', `/v1/knowledge/sources/${ids.warranty}`);
    expect(res.statusCode).toBe(204);
    expect((await chunksOf(ids.warranty))[0]!.n).toBe(0);
    expect((await call(a.apiKey, 'GET', `/v1/knowledge/sources/${ids.warranty}`)).statusCode).toBe(404);
    expect((await call(a.apiKey, 'DELETE', `/v1/knowledge/sources/${ids.warranty}`)).statusCode).toBe(404);
    const results = (await search(a.apiKey, { query: 'tent warranty defects', k: 50 })).json().results;
    expect(results.map((r: { sourceId: string }) => r.sourceId)).not.toContain(ids.warranty);

    const [entry] = await withTenant(t.database, [a.orgId], (tx) =>
      queryRows<{ target_id: string; metadata: Record<string, unknown> }>(
        tx,
        sql`select target_id, metadata from audit_log where action = 'knowledge_source.deleted'`,
      ),
    );
    expect(entry!.target_id).toBe(ids.warranty);
    expect(entry!.metadata).toMatchObject({ type: 'text' });
    expect(entry!.metadata.chunks).toBeGreaterThan(0);
  });

  it('lets a viewer list, read and search, but not add or delete', async () => {
    const issued = await call(a.apiKey, 'POST', '/v1/api-keys', { name: 'Read only', role: 'viewer' });
    expect(issued.statusCode, issued.body).toBe(201);
    const viewer = issued.json().key as string;
    expect((await call(viewer, 'GET', '/v1/knowledge/sources')).statusCode).toBe(200);
    expect((await call(viewer, 'GET', `/v1/knowledge/sources/${ids.refunds}`)).statusCode).toBe(200);
    expect((await search(viewer, { query: 'refund' })).statusCode).toBe(200);
    const before = await counts(a.orgId);
    const added = await call(viewer, 'POST', '/v1/knowledge/sources', {
      type: 'text',
      title: 'T',
      content: 'c',
    });
    expect(added.statusCode).toBe(403);
    expect((await call(viewer, 'DELETE', `/v1/knowledge/sources/${ids.refunds}`)).statusCode).toBe(403);
    expect(await counts(a.orgId)).toEqual(before);
  });

  it('marks a source with nothing to index as failed, with a readable error', async () => {
    const res = await call(a.apiKey, 'POST', '/v1/knowledge/sources', {
      type: 'text',
      title: 'Only headings',
      content: '# One\n\n## Two\n\n---\n',
    });
    expect(res.statusCode).toBe(201);
    const source = await settled(a.apiKey, res);
    expect(source).toMatchObject({ status: 'failed', progress: { chunksDone: 0, chunksTotal: 0 } });
    expect(source.error).toMatch(/no text to index/);
  });

  describe('bad input gets a 4xx problem and writes nothing', () => {
    const cases: [
      string,
      number,
      () => Promise<{ statusCode: number; headers: Record<string, unknown>; body: string }>,
    ][] = [
      [
        'binary file',
        415,
        () =>
          upload(a.apiKey, [{ name: 'file', filename: 'x.md', data: new Uint8Array([35, 32, 0, 1, 2, 0]) }]),
      ],
      [
        'invalid UTF-8',
        415,
        () =>
          upload(a.apiKey, [
            { name: 'file', filename: 'x.txt', data: new Uint8Array([0x68, 0x69, 0xff, 0xfe, 0x41]) },
          ]),
      ],
      // A mislabeled or damaged document is sniffed, stored and fails in ingestion (file-sources.test.ts).
      ['empty file', 400, () => upload(a.apiKey, [{ name: 'file', filename: 'empty.md', data: '' }])],
      [
        'whitespace-only file',
        400,
        () => upload(a.apiKey, [{ name: 'file', filename: 'blank.txt', data: ' \n\n\t ' }]),
      ],
      [
        'oversize file',
        413,
        () => upload(a.apiKey, [{ name: 'file', filename: 'big.md', data: 'x'.repeat(MAX_UPLOAD + 1) }]),
      ],
      [
        'two files',
        400,
        () =>
          upload(a.apiKey, [
            { name: 'file', filename: 'a.md', data: 'a' },
            { name: 'file', filename: 'b.md', data: 'b' },
          ]),
      ],
      ['no file part', 400, () => upload(a.apiKey, [{ name: 'title', data: 'Lonely title' }])],
      [
        'unknown multipart field',
        400,
        () =>
          upload(a.apiKey, [
            { name: 'colour', data: 'red' },
            { name: 'file', filename: 'a.md', data: 'a' },
          ]),
      ],
      [
        'file in the wrong field',
        400,
        () => upload(a.apiKey, [{ name: 'document', filename: 'a.md', data: 'a' }]),
      ],
      [
        'blank multipart title',
        400,
        () =>
          upload(a.apiKey, [
            { name: 'title', data: '   ' },
            { name: 'file', filename: 'a.md', data: 'a' },
          ]),
      ],
      [
        'unknown JSON field',
        400,
        () =>
          call(a.apiKey, 'POST', '/v1/knowledge/sources', {
            type: 'text',
            title: 'T',
            content: 'c',
            tags: [],
          }),
      ],
      [
        'blank title',
        400,
        () => call(a.apiKey, 'POST', '/v1/knowledge/sources', { type: 'text', title: '  ', content: 'c' }),
      ],
      [
        'title too long',
        400,
        () =>
          call(a.apiKey, 'POST', '/v1/knowledge/sources', {
            type: 'text',
            title: 't'.repeat(301),
            content: 'c',
          }),
      ],
      [
        'blank content',
        400,
        () => call(a.apiKey, 'POST', '/v1/knowledge/sources', { type: 'text', title: 'T', content: ' \n ' }),
      ],
      [
        'NUL in content',
        400,
        () =>
          call(a.apiKey, 'POST', '/v1/knowledge/sources', { type: 'text', title: 'T', content: 'a\u0000b' }),
      ],
      [
        'website on a private address (refused by default)',
        400,
        () => call(a.apiKey, 'POST', '/v1/knowledge/sources', { type: 'url', url: 'http://127.0.0.1/' }),
      ],
      [
        'oversize JSON content',
        413,
        () =>
          call(a.apiKey, 'POST', '/v1/knowledge/sources', {
            type: 'text',
            title: 'T',
            content: 'é'.repeat(MAX_UPLOAD / 2 + 1),
          }),
      ],
      ['no body', 400, () => call(a.apiKey, 'POST', '/v1/knowledge/sources')],
      [
        'malformed JSON',
        400,
        () =>
          call(a.apiKey, 'POST', '/v1/knowledge/sources', '{"type":', { 'content-type': 'application/json' }),
      ],
      [
        'plain-text body',
        400,
        () => call(a.apiKey, 'POST', '/v1/knowledge/sources', 'hello', { 'content-type': 'text/plain' }),
      ],
      ['k=0', 400, () => search(a.apiKey, { query: 'refund', k: 0 })],
      ['k=51', 400, () => search(a.apiKey, { query: 'refund', k: 51 })],
      ['fractional k', 400, () => search(a.apiKey, { query: 'refund', k: 1.5 })],
      ['query too long', 400, () => search(a.apiKey, { query: 'q'.repeat(501) })],
      ['blank query', 400, () => search(a.apiKey, { query: '   ' })],
      ['unknown search field', 400, () => search(a.apiKey, { query: 'refund', filter: 'x' })],
      ['malformed agentId', 400, () => search(a.apiKey, { query: 'refund', agentId: 'nope' })],
      ['malformed source id', 400, () => call(a.apiKey, 'GET', '/v1/knowledge/sources/nope')],
      ['unknown source id', 404, () => call(a.apiKey, 'DELETE', `/v1/knowledge/sources/${randomUUID()}`)],
      ['no credentials', 401, () => t.app.inject({ method: 'GET', url: '/v1/knowledge/sources' })],
    ];
    it.each(cases)('%s → %i', async (_name, status, send) => {
      const before = await counts(a.orgId);
      const res = await send();
      expect(res.statusCode, res.body).toBe(status);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(JSON.parse(res.body).detail).toEqual(expect.any(String));
      expect(await counts(a.orgId)).toEqual(before);
    });
  });
});
