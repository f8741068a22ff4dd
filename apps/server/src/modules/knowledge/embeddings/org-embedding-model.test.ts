import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseCapabilities, detectCapabilities } from '../../../platform/db/capabilities.js';
import { queryRows } from '../../../platform/db/query-rows.js';
import { withTenant } from '../../../platform/db/tenancy.js';
import { testDatabaseKinds } from '../../../platform/db/test-database.js';
import { createTestApp, type TestApp } from '../../../testing/test-app.js';
import { EMBED_CHUNKS } from './embed-job.js';
import { type FakeEmbeddings, startFakeEmbeddings } from './testing/fake-embeddings.js';

/**
 * An organization's own embedding model (PUT /v1/knowledge/embedding-model), end to end against
 * two real local servers speaking OpenAI's embeddings protocol: the operator's (the server's
 * CONFIDANT_EMBEDDING_* model) and org A's own provider. Org A's knowledge and queries go to its
 * provider only (with its key, redacted), org B keeps the server's model, bad choices change
 * nothing, and a removed provider or model leaves search lexical, never failing.
 *
 * Vector search needs pgvector, which only PGlite has here: on PostgreSQL the same steps assert
 * that nothing is sent anywhere and search degrades to lexical.
 */
const A_ARTICLES = {
  reimbursements: {
    title: 'Reimbursements',
    content:
      '# Reimbursements\n\nWe reimburse the full purchase price within five business days once the returned lamp reaches our warehouse. Questions: write to support@lumen.example.',
  },
  password: {
    title: 'Password reset',
    content:
      '# Password reset\n\nChoose Forgot password on the sign-in page and follow the link we email you.',
  },
};
const B_ARTICLE = {
  title: 'Kayak rental',
  content: '# Kayak rental\n\nOur kayaks are rented by the hour at the marina pier.',
};
/** Shares no word with the articles: only the vector side finds the reimbursements article. */
const VECTOR_ONLY_QUERY = 'can i get my money back';
const A_KEY = 'sk-org-a-embeddings';

type Settings = {
  choice: { providerId: string | null; model: string } | null;
  active: { providerId: string | null; model: string } | null;
  serverModel: string | null;
  reason: string | null;
  progress: { embedded: number; total: number };
};

describe.each(testDatabaseKinds)('an organization’s own embedding model on %s', (kind) => {
  let server: FakeEmbeddings;
  let own: FakeEmbeddings;
  let t: TestApp;
  let a: { orgId: string; apiKey: string };
  let b: { orgId: string; apiKey: string };
  let capabilities: DatabaseCapabilities;
  let providerA: string;
  let anthropicA: string;
  const sourcesA = {} as Record<keyof typeof A_ARTICLES, string>;
  let sourceB: string;

  const as = (org: { apiKey: string }) => (method: string, url: string, payload?: unknown) =>
    t.app.inject({
      method: method as 'GET',
      url,
      headers: { authorization: `Bearer ${org.apiKey}` },
      ...(payload !== undefined ? { payload: payload as string } : {}),
    });
  const settingsOf = async (org: { apiKey: string }) => {
    const res = await as(org)('GET', '/v1/knowledge/embedding-model');
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Settings;
  };
  const choose = (org: { apiKey: string }, choice: unknown) =>
    as(org)('PUT', '/v1/knowledge/embedding-model', { choice });
  const search = async (org: { apiKey: string }, query: string) => {
    const res = await as(org)('POST', '/v1/knowledge/search', { query, k: 5 });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json().results as { sourceId: string }[]).map((r) => r.sourceId);
  };
  const rows = <T>(orgId: string, query: ReturnType<typeof sql>) =>
    withTenant(t.database, [orgId], (tx) => queryRows<T>(tx, query));
  const sentTo = (fake: FakeEmbeddings, from = 0) => fake.requests.slice(from).flatMap((r) => r.input);

  async function addSource(org: { apiKey: string }, article: { title: string; content: string }) {
    const res = await as(org)('POST', '/v1/knowledge/sources', { type: 'text', ...article });
    expect(res.statusCode, res.body).toBe(201);
    const source = await t.waitForSource(org.apiKey, res.json().id);
    expect(source.status).toBe('ready');
    return source.id as string;
  }

  /** Waits until every searchable chunk has a vector of the active model (the re-embedding job). */
  async function reembedded(org: { apiKey: string }): Promise<Settings> {
    for (let attempt = 0; attempt < 600; attempt++) {
      const s = await settingsOf(org);
      if (s.progress.total > 0 && s.progress.embedded === s.progress.total) return s;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('re-embedding did not finish');
  }

  beforeAll(async () => {
    server = await startFakeEmbeddings();
    own = await startFakeEmbeddings();
    t = await createTestApp({
      kind,
      env: {
        CONFIDANT_EMBEDDING_BASE_URL: server.baseUrl,
        CONFIDANT_EMBEDDING_MODEL: 'server-embed',
        CONFIDANT_ALLOW_PRIVATE_NETWORKS: 'true',
      },
    });
    capabilities = await detectCapabilities(t.database);
    a = await t.createOrg('Lumen');
    b = await t.createOrg('Marina');
    const created = await as(a)('POST', '/v1/model-providers', {
      kind: 'openai-compatible',
      name: 'Our embeddings',
      baseUrl: own.baseUrl,
      models: [
        { id: 'a-chat', type: 'chat' },
        { id: 'a-embed', type: 'embedding' },
      ],
      apiKey: A_KEY,
      timeoutMs: 20_000,
      maxRetries: 0,
    });
    expect(created.statusCode, created.body).toBe(201);
    providerA = created.json().id;
    const anthropic = await as(a)('POST', '/v1/model-providers', {
      kind: 'anthropic',
      name: 'Claude',
      // Providers refuse model types their kind does not offer, so Claude lists chat only.
      models: [{ id: 'claude-x', type: 'chat' }],
      apiKey: 'sk-ant',
    });
    expect(anthropic.statusCode, anthropic.body).toBe(201);
    anthropicA = anthropic.json().id;
    for (const name of Object.keys(A_ARTICLES) as (keyof typeof A_ARTICLES)[]) {
      sourcesA[name] = await addSource(a, A_ARTICLES[name]);
    }
    sourceB = await addSource(b, B_ARTICLE);
  });
  afterAll(async () => {
    await t?.close();
    await server?.close();
    await own?.close();
  });

  it('starts with the server’s model (or lexical search where pgvector is missing)', async () => {
    const s = await settingsOf(a);
    expect(s.choice).toBeNull();
    expect(s.serverModel).toBe('server-embed');
    expect(s.progress.total).toBeGreaterThanOrEqual(2);
    if (capabilities.vector) {
      expect(s.active).toEqual({ providerId: null, model: 'server-embed' });
      expect(s.progress.embedded).toBe(s.progress.total);
    } else {
      expect(s.active).toBeNull();
      expect(s.reason).toContain('pgvector');
      expect(s.progress.embedded).toBe(0);
    }
    // The org's own provider has not been called: nothing chose it yet.
    expect(own.requests).toEqual([]);
  });

  it('refuses bad choices with 400 problem+json and changes nothing', async () => {
    const refused: [unknown, string][] = [
      [{ providerId: '00000000-0000-4000-8000-000000000000', model: 'a-embed' }, 'choice.providerId'],
      [{ providerId: providerA, model: 'not-listed' }, 'choice.model'],
      // Listed, but as a chat model.
      [{ providerId: providerA, model: 'a-chat' }, 'choice.model'],
      // A kind without embedding models: its chat model is no embedding model.
      [{ providerId: anthropicA, model: 'claude-x' }, 'choice.model'],
      [{ providerId: 'not-a-uuid', model: 'a-embed' }, 'choice.providerId'],
      [{ providerId: providerA, model: '  ' }, 'choice.model'],
      [{ providerId: providerA }, 'choice.model'],
    ];
    for (const [choice, field] of refused) {
      const res = await choose(a, choice);
      expect(res.statusCode, `${JSON.stringify(choice)} → ${res.body}`).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body).toContain(field);
    }
    expect((await as(a)('PUT', '/v1/knowledge/embedding-model', {})).statusCode).toBe(400);
    // Org B cannot choose org A's provider: to B it does not exist.
    const cross = await choose(b, { providerId: providerA, model: 'a-embed' });
    expect(cross.statusCode).toBe(400);
    expect(cross.json().detail).toContain("is not one of this organization's model providers");

    expect((await settingsOf(a)).choice).toBeNull();
    expect((await settingsOf(b)).choice).toBeNull();
    const audits = await rows<{ n: number }>(
      a.orgId,
      sql`select count(*)::int as n from audit_log where action = 'knowledge.embedding_model.updated'`,
    );
    expect(audits[0]?.n).toBe(0);
    expect(own.requests).toEqual([]);
  });

  it('re-embeds org A’s chunks through its own provider (its key, its model, redacted), audited with ids', async () => {
    const serverBefore = server.requests.length;
    const res = await choose(a, { providerId: providerA, model: 'a-embed' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().choice).toEqual({ providerId: providerA, model: 'a-embed' });

    const [audit] = await rows<{ action: string; target_type: string; metadata: unknown }>(
      a.orgId,
      sql`select action, target_type, metadata from audit_log
          where action = 'knowledge.embedding_model.updated' order by seq`,
    );
    expect(audit).toMatchObject({ target_type: 'knowledge_settings' });
    expect(audit?.metadata).toEqual({ providerId: providerA, model: 'a-embed' });

    if (!capabilities.vector) {
      const s = await settingsOf(a);
      expect(s.active).toBeNull();
      expect(s.reason).toContain('pgvector');
      expect(s.progress.embedded).toBe(0);
      // Give the queued job a moment: it must not call anyone without pgvector.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(own.requests).toEqual([]);
      expect(server.requests).toEqual([]);
      return;
    }
    const s = await reembedded(a);
    expect(s.active).toEqual({ providerId: providerA, model: 'a-embed' });

    // Every request went with org A's key and its model; what it received is redacted.
    expect(own.requests.length).toBeGreaterThan(0);
    for (const r of own.requests)
      expect(r).toMatchObject({ model: 'a-embed', authorization: `Bearer ${A_KEY}` });
    const sent = sentTo(own).join('\n');
    expect(sent).toContain('We reimburse the full purchase price');
    expect(sent).toContain('[EMAIL_1]');
    expect(sent).not.toContain('support@lumen.example');
    // Org B's knowledge never reached org A's provider; the server's got nothing of A's since.
    expect(sent).not.toContain('kayak');
    expect(sentTo(server, serverBefore).join('\n')).not.toContain('reimburse');
    // The operator's key (none here) was never sent to the org's provider, nor A's to the server.
    expect(server.requests.every((r) => r.authorization === undefined)).toBe(true);

    // Stored under the provider-scoped key, one vector per chunk; metered like chat calls.
    const vectors = await rows<{ model: string; n: number }>(
      a.orgId,
      sql`select model, count(*)::int as n from knowledge_embeddings group by model order by model`,
    );
    expect(vectors).toEqual([
      { model: `a-embed@${providerA}`, n: s.progress.total },
      { model: 'server-embed', n: s.progress.total },
    ]);
    const calls = await rows<{ model: string; provider_id: string; provider_kind: string; outcome: string }>(
      a.orgId,
      sql`select model, provider_id, provider_kind, outcome from model_calls
          where purpose = 'embedding' and provider_id is not null`,
    );
    expect(calls.length).toBe(own.requests.length);
    for (const c of calls) {
      expect(c).toEqual({
        model: 'a-embed',
        provider_id: providerA,
        provider_kind: 'openai-compatible',
        outcome: 'ok',
      });
    }
  });

  it('embeds org A’s queries through its provider, and ranks with that model’s vectors only', async () => {
    const before = own.requests.length;
    const serverBefore = server.requests.length;
    const found = await search(a, `${VECTOR_ONLY_QUERY}? mail me at jane.doe@example.com`);
    if (!capabilities.vector) {
      expect(found).not.toContain(sourcesA.reimbursements);
      expect(own.requests).toEqual([]);
      return;
    }
    expect(found[0]).toBe(sourcesA.reimbursements);
    const queries = sentTo(own, before);
    expect(queries).toHaveLength(1);
    expect(queries[0]).toContain('[EMAIL_1]');
    expect(queries[0]).not.toContain('jane.doe');
    expect(server.requests.length).toBe(serverBefore);

    // The answer path (the playground runs the widget's) embeds the question the same way.
    const beforeAnswer = own.requests.length;
    const answer = await as(a)('POST', '/v1/knowledge/playground', { question: VECTOR_ONLY_QUERY });
    expect(answer.statusCode, answer.body).toBe(200);
    expect(sentTo(own, beforeAnswer)).toEqual([VECTOR_ONLY_QUERY]);
    expect(answer.json().passages.map((p: { sourceId: string }) => p.sourceId)).toContain(
      sourcesA.reimbursements,
    );
    expect(server.requests.length).toBe(serverBefore);

    // Without its own model's vectors the meaning match is gone, although the server model's
    // vectors of the same chunks are still stored: vectors of different models are never compared.
    await withTenant(t.database, [a.orgId], (tx) =>
      tx.execute(sql`delete from knowledge_embeddings where model = ${`a-embed@${providerA}`}`),
    );
    expect(await search(a, VECTOR_ONLY_QUERY)).not.toContain(sourcesA.reimbursements);
    expect((await settingsOf(a)).progress.embedded).toBe(0);
    // Saving the same choice again fills in the missing vectors (as after an outage), without
    // a new audit entry: nothing changed.
    const audits = () =>
      rows<{ n: number }>(
        a.orgId,
        sql`select count(*)::int as n from audit_log where action = 'knowledge.embedding_model.updated'`,
      );
    const auditedBefore = (await audits())[0]?.n;
    expect((await choose(a, { providerId: providerA, model: 'a-embed' })).statusCode).toBe(200);
    await reembedded(a);
    expect((await audits())[0]?.n).toBe(auditedBefore);
    expect((await search(a, VECTOR_ONLY_QUERY))[0]).toBe(sourcesA.reimbursements);
  });

  it('retries later what an ingestion left unembedded when org A’s provider failed', async () => {
    own.failWith = 503;
    try {
      const id = await addSource(a, {
        title: 'Warranty',
        content: '# Warranty\n\nEvery lamp has a two-year warranty.',
      });
      // Ready and found by its words, without a vector of the active model.
      expect(await search(a, 'lamp warranty')).toContain(id);
      const s = await settingsOf(a);
      expect(s.progress.embedded).toBeLessThan(s.progress.total);
      const queued = await t.jobs.findJobs(EMBED_CHUNKS, { orgId: a.orgId });
      if (capabilities.vector) {
        // A later attempt is queued (deferred by a few minutes), with ids only.
        expect(queued.some((j) => j.state === 'created')).toBe(true);
      } else {
        // Without pgvector nothing was attempted, so nothing failed.
        expect(queued.filter((j) => j.state === 'created')).toEqual([]);
      }
    } finally {
      own.failWith = null;
    }
    // Saving the choice again (or the queued retry) fills the gap.
    expect((await choose(a, { providerId: providerA, model: 'a-embed' })).statusCode).toBe(200);
    if (capabilities.vector) await reembedded(a);
  });

  it('leaves org B on the server’s model', async () => {
    const s = await settingsOf(b);
    expect(s.choice).toBeNull();
    const ownBefore = own.requests.length;
    const serverBefore = server.requests.length;
    const found = await search(b, 'kayak hour');
    expect(found).toEqual([sourceB]);
    expect(own.requests.length).toBe(ownBefore);
    if (capabilities.vector) {
      expect(s.active).toEqual({ providerId: null, model: 'server-embed' });
      expect(s.progress).toEqual({ embedded: s.progress.total, total: s.progress.total });
      expect(sentTo(server, serverBefore)).toEqual(['kayak hour']);
      expect(sentTo(server).join('\n')).toContain('Our kayaks are rented');
    } else {
      expect(server.requests).toEqual([]);
    }
    expect(sentTo(own).join('\n')).not.toContain('kayak');
  });

  it('falls back to lexical search when the chosen model or provider is removed, never to another provider', async () => {
    const ownBefore = own.requests.length;
    const serverBefore = server.requests.length;
    const patched = await as(a)('PATCH', `/v1/model-providers/${providerA}`, {
      models: [{ id: 'a-chat', type: 'chat' }],
    });
    expect(patched.statusCode, patched.body).toBe(200);
    let s = await settingsOf(a);
    expect(s.choice).toEqual({ providerId: providerA, model: 'a-embed' });
    expect(s.active).toBeNull();
    expect(s.reason).toContain('no longer exists');
    expect(await search(a, 'password reset')).toContain(sourcesA.password);
    expect(await search(a, VECTOR_ONLY_QUERY)).not.toContain(sourcesA.reimbursements);

    const deleted = await as(a)('DELETE', `/v1/model-providers/${providerA}`);
    expect(deleted.statusCode).toBe(204);
    s = await settingsOf(a);
    expect(s.choice).toEqual({ providerId: null, model: 'a-embed' });
    expect(s.active).toBeNull();
    expect(await search(a, 'password reset')).toContain(sourcesA.password);
    // A new source is indexed (lexically) without calling anyone.
    const added = await addSource(a, {
      title: 'Gift cards',
      content: '# Gift cards\n\nGift cards never expire.',
    });
    expect(await search(a, 'gift cards')).toContain(added);
    expect(own.requests.length).toBe(ownBefore);
    expect(sentTo(server, serverBefore).join('\n')).not.toContain('Gift cards');

    // Choosing the server's model again: its vectors are filled in for what is missing.
    const back = await choose(a, null);
    expect(back.statusCode).toBe(200);
    expect(back.json().choice).toBeNull();
    if (capabilities.vector) {
      const after = await reembedded(a);
      expect(after.active).toEqual({ providerId: null, model: 'server-embed' });
      expect(sentTo(server, serverBefore).join('\n')).toContain('Gift cards never expire');
    }
  });
});
