import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseCapabilities, detectCapabilities } from '../../../platform/db/capabilities.js';
import { queryRows } from '../../../platform/db/query-rows.js';
import { withTenant } from '../../../platform/db/tenancy.js';
import { testDatabaseKinds } from '../../../platform/db/test-database.js';
import { createTestApp, type TestApp } from '../../../testing/test-app.js';
import { search as searchKnowledge } from '../search/search.js';
import {
  type EmbeddingDeps,
  embedChunks,
  embeddingText,
  embedMissingChunks,
  embedQuery,
  searchMode,
} from './index.js';
import { FAKE_DIMENSIONS, type FakeEmbeddings, startFakeEmbeddings } from './testing/fake-embeddings.js';

/**
 * Embeddings end to end against a real local server speaking OpenAI's embeddings protocol:
 * chunks get vectors (stored as real[], one per chunk and model), search fuses the lexical and
 * vector rankings, what the provider receives is redacted, every call is metered — and where the
 * database has no pgvector (Debian's PostgreSQL here), nothing is embedded and search stays
 * lexical, as /readyz says.
 */
const articles = {
  reimbursements: {
    title: 'Reimbursements',
    content:
      '# Reimbursements\n\nWe reimburse the full purchase price within five business days once the returned lamp reaches our warehouse. Questions: write to support@lumen.example.',
  },
  shipping: {
    title: 'Shipping times',
    content:
      '# Shipping times\n\nOrders leave our warehouse within one day. Couriers deliver parcels within three business days.',
  },
  password: {
    title: 'Password reset',
    content:
      '# Password reset\n\nChoose Forgot password on the sign-in page and follow the link we email you.',
  },
};
type Article = keyof typeof articles;

/** Shares no word with any article ("get", "back" are not in them): only the vector side finds it. */
const VECTOR_ONLY_QUERY = 'can i get my money back';

describe.each(testDatabaseKinds)('embeddings and hybrid search on %s', (kind) => {
  let fake: FakeEmbeddings;
  let t: TestApp;
  let org: { orgId: string; apiKey: string };
  let deps: EmbeddingDeps;
  let capabilities: DatabaseCapabilities;
  const ids = {} as Record<Article, string>;

  const call = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown) =>
    t.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${org.apiKey}` },
      ...(payload !== undefined ? { payload: payload as string } : {}),
    });
  const tenant = <T>(fn: Parameters<typeof withTenant<T>>[2]) => withTenant(t.database, [org.orgId], fn);
  const count = async (query: ReturnType<typeof sql>) =>
    tenant(async (tx) => Number((await queryRows<{ n: number }>(tx, query))[0]?.n ?? 0));
  const search = async (query: string, k = 5) => {
    const res = await call('POST', '/v1/knowledge/search', { query, k });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().results as { sourceId: string; chunkId: string; score: number; snippet: string }[];
  };

  /** Adds a source and waits until it is searchable (indexing may run as a job). */
  async function addSource(article: { title: string; content: string }): Promise<string> {
    const res = await call('POST', '/v1/knowledge/sources', { type: 'text', ...article });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().id as string;
    for (let attempt = 0; attempt < 200; attempt++) {
      const source = (await call('GET', `/v1/knowledge/sources/${id}`)).json();
      if (source.status === 'ready') return id;
      if (source.status === 'failed') throw new Error(`source failed: ${source.error}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('source did not become ready');
  }

  beforeAll(async () => {
    fake = await startFakeEmbeddings();
    t = await createTestApp({
      kind,
      env: { CONFIDANT_EMBEDDING_BASE_URL: fake.baseUrl, CONFIDANT_EMBEDDING_MODEL: 'fake-embed' },
    });
    deps = { config: t.config, database: t.database };
    capabilities = await detectCapabilities(t.database);
    org = await t.createOrg('Lumen');
    for (const name of Object.keys(articles) as Article[]) ids[name] = await addSource(articles[name]);
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  it('knows whether the database has pgvector (PGlite always does) and says so on /readyz', async () => {
    if (kind === 'pglite') expect(capabilities.vector).toBe(true);
    const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    if (capabilities.vector) {
      expect(ready.json()).toEqual({ status: 'ok', database: kind, search: 'hybrid' });
    } else {
      expect(ready.json()).toEqual({
        status: 'ok',
        database: kind,
        search: 'lexical',
        searchReason: expect.stringContaining('pgvector'),
      });
    }
    // Without an embedding model, search is lexical whatever the database.
    expect(await searchMode({ config: { embedding: undefined }, database: t.database })).toEqual({
      mode: 'lexical',
      reason: expect.stringContaining('no embedding model'),
    });
  });

  it('embeds every chunk once per model, with PII redacted from what the provider receives', async () => {
    const result = await embedMissingChunks(deps, org.orgId);
    const chunks = await count(sql`select count(*)::int as n from knowledge_chunks`);
    expect(chunks).toBeGreaterThanOrEqual(3);
    const rows = await tenant((tx) =>
      queryRows<{ chunk_id: string; model: string; dimensions: number; size: number }>(
        tx,
        sql`select chunk_id, model, dimensions, cardinality(embedding) as size from knowledge_embeddings`,
      ),
    );
    if (!capabilities.vector) {
      expect(result).toMatchObject({ status: 'disabled', reason: expect.stringContaining('pgvector') });
      expect(rows).toEqual([]);
      expect(fake.requests).toEqual([]);
      return;
    }
    expect(result.status).toBe('done');
    expect(rows).toHaveLength(chunks);
    expect(new Set(rows.map((r) => r.chunk_id)).size).toBe(chunks);
    for (const r of rows)
      expect(r).toMatchObject({ model: 'fake-embed', dimensions: FAKE_DIMENSIONS, size: 64 });
    // Embedding again is a no-op: nothing is missing.
    expect(await embedMissingChunks(deps, org.orgId)).toEqual({ status: 'done', embedded: 0 });

    const sent = fake.requests.flatMap((r) => r.input);
    expect(sent.some((text) => text.includes('We reimburse the full purchase price'))).toBe(true);
    expect(sent.some((text) => text.includes('[EMAIL_1]'))).toBe(true);
    expect(sent.join('\n')).not.toContain('support@lumen.example');
    expect(fake.requests.every((r) => r.model === 'fake-embed')).toBe(true);
  });

  it('fuses lexical and vector rankings: finds what only the meaning matches', async () => {
    // The premise: lexical search alone does not find the article.
    const lexical = await tenant((tx) => searchKnowledge(tx, org.orgId, VECTOR_ONLY_QUERY, { k: 5 }));
    expect(lexical.map((h) => h.sourceId)).not.toContain(ids.reimbursements);

    const results = await search(VECTOR_ONLY_QUERY);
    if (!capabilities.vector) {
      expect(results.map((r) => r.sourceId)).not.toContain(ids.reimbursements);
      expect(fake.requests).toEqual([]);
      return;
    }
    expect(results[0]?.sourceId).toBe(ids.reimbursements);
    expect(results[0]?.snippet).toContain('We reimburse the full purchase price');
    for (const r of results) {
      expect(r.score).toBeGreaterThan(0);
      expect(r.score).toBeLessThanOrEqual(1);
    }

    // Both sides contribute: "password" is found lexically, "money" only by meaning.
    const both = (await search('password money')).map((r) => r.sourceId);
    expect(both.slice(0, 2).sort()).toEqual([ids.password, ids.reimbursements].sort());
    // The first result is the passage both rankings put first.
    expect(both[0]).toBe(ids.password);
  });

  it('redacts personal data from queries and meters every embedding call (no content)', async () => {
    const before = fake.requests.length;
    await search(`my mail is jane.doe@example.com and my card 4111 1111 1111 1111, ${VECTOR_ONLY_QUERY}`);
    if (!capabilities.vector) {
      expect(fake.requests).toHaveLength(0);
      return;
    }
    const query = fake.requests.slice(before).flatMap((r) => r.input);
    expect(query).toHaveLength(1);
    expect(query[0]).toContain('[EMAIL_1]');
    expect(query[0]).toContain('[CARD_1]');
    expect(query[0]).not.toContain('jane.doe');
    expect(query[0]).not.toContain('4111');

    const calls = await tenant((tx) =>
      queryRows<{
        purpose: string;
        model: string;
        input_tokens: number;
        outcome: string;
        redactions: number;
        conversation_id: string | null;
      }>(
        tx,
        sql`select purpose, model, input_tokens, outcome, redactions, conversation_id from model_calls order by created_at`,
      ),
    );
    expect(calls).toHaveLength(fake.requests.length);
    for (const c of calls) {
      expect(c).toMatchObject({
        purpose: 'embedding',
        model: 'fake-embed',
        outcome: 'ok',
        conversation_id: null,
      });
      expect(c.input_tokens).toBeGreaterThan(0);
    }
    expect(calls.at(-1)?.redactions).toBe(2);
  });

  it('scopes vector hits to the given sources', async () => {
    const vector = await embedQuery(deps, org.orgId, VECTOR_ONLY_QUERY);
    const hits = await tenant((tx) =>
      searchKnowledge(tx, org.orgId, VECTOR_ONLY_QUERY, {
        k: 5,
        vector,
        scope: { sourceIds: [ids.shipping, ids.password] },
      }),
    );
    expect(hits.map((h) => h.sourceId)).not.toContain(ids.reimbursements);
    const empty = await tenant((tx) =>
      searchKnowledge(tx, org.orgId, 'password', { k: 5, vector, scope: { sourceIds: [] } }),
    );
    expect(empty).toEqual([]);
  });

  it('survives a provider outage: search falls back to lexical, chunks stay unembedded until filled in', async () => {
    const id = await addSource({
      title: 'Gift cards',
      content: '# Gift cards\n\nGift cards never expire and can pay for any lamp in our shop.',
    });
    const chunk = (
      await tenant((tx) =>
        queryRows<{ id: string; title: string; heading_path: string; content: string }>(
          tx,
          sql`select id, title, heading_path, content from knowledge_chunks where source_id = ${id}`,
        ),
      )
    )[0]!;
    const embedded = () =>
      count(sql`select count(*)::int as n from knowledge_embeddings where chunk_id = ${chunk.id}`);
    // The pipeline may have embedded it already; start from "missing".
    await tenant((tx) => tx.execute(sql`delete from knowledge_embeddings where chunk_id = ${chunk.id}`));

    // A rejected key is not retried (the SDK retries 429/5xx with backoff, which a job wants).
    fake.failWith = 401;
    try {
      const text = embeddingText({
        title: chunk.title,
        headingPath: chunk.heading_path,
        content: chunk.content,
      });
      const result = await embedChunks(deps, org.orgId, [{ id: chunk.id, text }]);
      expect(result.status).toBe(capabilities.vector ? 'failed' : 'disabled');
      expect(await embedded()).toBe(0);
      // Search still answers, lexically, when the provider is down.
      fake.failWith = 503;
      expect((await search('gift cards expire')).map((r) => r.sourceId)[0]).toBe(id);
      const source = (await call('GET', `/v1/knowledge/sources/${id}`)).json();
      expect(source.status).toBe('ready');
      if (capabilities.vector) {
        const errors = await count(
          sql`select count(*)::int as n from model_calls where purpose = 'embedding' and outcome = 'error'`,
        );
        expect(errors).toBeGreaterThanOrEqual(2);
      }
    } finally {
      fake.failWith = null;
    }
    await embedMissingChunks(deps, org.orgId);
    expect(await embedded()).toBe(capabilities.vector ? 1 : 0);
  });

  it('deleting a source removes its embeddings (foreign key cascade through its chunks)', async () => {
    const chunkIds = sql`select id from knowledge_chunks where source_id = ${ids.reimbursements}`;
    const before = await count(
      sql`select count(*)::int as n from knowledge_embeddings where chunk_id in (${chunkIds})`,
    );
    const sourceChunks = await count(sql`select count(*)::int as n from (${chunkIds}) c`);
    expect(before).toBe(capabilities.vector ? sourceChunks : 0);
    const res = await call('DELETE', `/v1/knowledge/sources/${ids.reimbursements}`);
    expect(res.statusCode).toBe(204);
    const left = await count(sql`select count(*)::int as n from knowledge_embeddings e
      where not exists (select 1 from knowledge_chunks c where c.org_id = e.org_id and c.id = e.chunk_id)`);
    expect(left).toBe(0);
    const all = await count(sql`select count(*)::int as n from knowledge_embeddings`);
    const chunks = await count(sql`select count(*)::int as n from knowledge_chunks`);
    expect(all).toBe(capabilities.vector ? chunks : 0);
    const results = await search(VECTOR_ONLY_QUERY);
    expect(results.map((r) => r.sourceId)).not.toContain(ids.reimbursements);
  });
});
