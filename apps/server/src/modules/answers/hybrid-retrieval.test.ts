import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseCapabilities, detectCapabilities } from '../../platform/db/capabilities.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { testDatabaseKinds } from '../../platform/db/test-database.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { addSourceAndWait } from '../../testing/wait-for-source.js';
import { type FakeEmbeddings, startFakeEmbeddings } from '../knowledge/embeddings/testing/fake-embeddings.js';
import { type EmbeddingDeps, embedQuery } from '../knowledge/index.js';
import { retrievePassages } from './retrieval.js';

/**
 * The answer engine's retrieval over hybrid search (a real local server speaking OpenAI's
 * embeddings protocol): it receives the fused ranking, and its confidence judgement stays its
 * own — a passage found by meaning alone never makes it confident. Where the database has no
 * pgvector, the query is not embedded and retrieval is lexical.
 */
const articles = [
  {
    key: 'reimbursements',
    title: 'Reimbursements',
    content:
      '# Reimbursements\n\nWe reimburse the full purchase price within five business days once the returned lamp reaches our warehouse. Questions: write to support@lumen.example.',
  },
  {
    key: 'shipping',
    title: 'Shipping times',
    content:
      '# Shipping times\n\nOrders leave our warehouse within one day. Couriers deliver parcels within three business days.',
  },
  {
    key: 'password',
    title: 'Password reset',
    content:
      '# Password reset\n\nChoose Forgot password on the sign-in page and follow the link we email you.',
  },
] as const;

/** Shares no word with any article ("get", "back" are not in them): only the vector side finds it. */
const VECTOR_ONLY_QUERY = 'can i get my money back';

describe.each(testDatabaseKinds)('answer retrieval over hybrid search on %s', (kind) => {
  let fake: FakeEmbeddings;
  let t: TestApp;
  let org: { orgId: string; apiKey: string };
  let deps: EmbeddingDeps;
  let capabilities: DatabaseCapabilities;
  const ids: Record<string, string> = {};
  const tenant = <T>(fn: Parameters<typeof withTenant<T>>[2]) => withTenant(t.database, [org.orgId], fn);

  beforeAll(async () => {
    fake = await startFakeEmbeddings();
    t = await createTestApp({
      kind,
      env: { CONFIDANT_EMBEDDING_BASE_URL: fake.baseUrl, CONFIDANT_EMBEDDING_MODEL: 'fake-embed' },
    });
    deps = { config: t.config, database: t.database };
    capabilities = await detectCapabilities(t.database);
    org = await t.createOrg('Lumen');
    for (const { key, title, content } of articles) {
      const source = await addSourceAndWait(t.app, org.apiKey, { type: 'text', title, content });
      expect(source.status).toBe('ready');
      ids[key] = source.id;
    }
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  it('passes the fused list to the answer engine’s retrieval and keeps its confidence judgement', async () => {
    const queryVector = await embedQuery(deps, org.orgId, VECTOR_ONLY_QUERY);
    expect(queryVector === null).toBe(!capabilities.vector);
    const retrieval = await tenant((tx) =>
      retrievePassages(tx, org.orgId, VECTOR_ONLY_QUERY, 5, { queryVector }),
    );
    if (capabilities.vector) {
      expect(retrieval.passages.map((p) => p.sourceId)).toContain(ids.reimbursements);
      // Found by meaning only: no question term in it, so retrieval is not confident on it.
      expect(retrieval.confident).toBe(false);
    }
    const confident = await tenant(async (tx) =>
      retrievePassages(tx, org.orgId, 'how do I reset my password', 5, {
        queryVector: await embedQuery(deps, org.orgId, 'how do I reset my password', { tx }),
      }),
    );
    expect(confident.confident).toBe(true);
    expect(confident.passages[0]?.sourceId).toBe(ids.password);
  });
});
