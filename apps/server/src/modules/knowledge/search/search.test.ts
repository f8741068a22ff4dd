import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../../platform/db/query-rows.js';
import { withTenant } from '../../../platform/db/tenancy.js';
import { testDatabaseKinds } from '../../../platform/db/test-database.js';
import { createTestApp, type TestApp } from '../../../testing/test-app.js';
import { addSourceAndWait } from '../../../testing/wait-for-source.js';
import { type TestArticle, testArticles } from '../testing/test-corpus.js';
import { search } from './search.js';

/**
 * Lexical search as visitors use it: typos, words written together or apart, admin synonyms
 * (per organization), several languages in one knowledge base, and only the current version of
 * ready sources. Questions go through the HTTP API, as the console and integrations send them.
 */
const french = {
  title: 'Remboursements',
  content: `# Remboursements

## Délai de remboursement

Dès que votre retour arrive à notre entrepôt, nous le vérifions sous deux jours ouvrés puis nous vous
remboursons sur le moyen de paiement utilisé lors de la commande. Comptez cinq à dix jours selon votre banque.
`,
};
const german = {
  title: 'Rücksendungen',
  content: `# Rücksendungen

## Artikel zurücksenden

Sie können jeden Artikel innerhalb von dreißig Tagen nach der Lieferung zurücksenden. Drucken Sie das
Rücksendeetikett aus Ihrem Kundenkonto aus und bringen Sie das Paket zu einer Postfiliale.
`,
};

describe.each(testDatabaseKinds)('search on %s', (kind) => {
  let t: TestApp;
  let a: { orgId: string; apiKey: string };
  let b: { orgId: string; apiKey: string };
  const ids = {} as Record<TestArticle | 'french' | 'german', string>;
  const idsB = {} as Record<TestArticle, string>;

  beforeAll(async () => {
    t = await createTestApp({ kind });
    a = await t.createOrg('Org A');
    b = await t.createOrg('Org B');
    for (const [name, article] of Object.entries(testArticles) as [
      TestArticle,
      { title: string; content: string },
    ][]) {
      ids[name] = (await addSourceAndWait(t.app, a.apiKey, { type: 'text', ...article })).id;
      idsB[name] = (await addSourceAndWait(t.app, b.apiKey, { type: 'text', ...article })).id;
    }
    for (const [name, article] of [
      ['french', french],
      ['german', german],
    ] as const) {
      const source = await addSourceAndWait(t.app, a.apiKey, { type: 'text', ...article });
      expect(source.status, JSON.stringify(source)).toBe('ready');
      ids[name] = source.id;
    }
  });
  afterAll(() => t?.close());

  const as = (key: string) => (body: Record<string, unknown>) =>
    t.app.inject({
      method: 'POST',
      url: '/v1/knowledge/search',
      headers: { authorization: `Bearer ${key}` },
      payload: body,
    });
  const top = async (key: string, query: string) => {
    const res = await as(key)({ query, k: 5 });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json().results as { sourceId: string }[]).map((r) => r.sourceId);
  };
  const api = (key: string, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown) =>
    t.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${key}` },
      ...(payload !== undefined ? { payload: payload as string } : {}),
    });

  it('finds the right article for visitor questions with typos and words run together', async () => {
    const expectations: [string, TestArticle][] = [
      ['refnud', 'refunds'],
      ['how long till i get my mony back', 'refunds'],
      ['forgot pasword', 'account'],
      ['cant sign in to my acount', 'account'],
      ['warrenty on tents', 'warranty'],
      ['wheres my pakage', 'shipping'],
      ['shiping times', 'shipping'],
      ['is paypall accepted', 'payments'],
      ['can i pay with a giftcard', 'payments'],
      ['lyon stor opening hours', 'stores'],
    ];
    for (const [query, expected] of expectations) {
      expect((await top(a.apiKey, query))[0], query).toBe(ids[expected]);
    }
    // A word nothing resembles matches nothing, and question words alone find nothing.
    expect(await top(a.apiKey, 'zebra quantum')).toEqual([]);
    expect(await top(a.apiKey, 'how do I?')).toEqual([]);
  });

  it('indexes each source in its detected language and searches with every language present', async () => {
    const languages = await withTenant(t.database, [a.orgId], (tx) =>
      queryRows<{ id: string; source: string; chunks: string[] }>(
        tx,
        sql`select s.id, s.language as source, array_agg(distinct c.language) as chunks
            from knowledge_sources s join knowledge_chunks c on c.org_id = s.org_id and c.source_id = s.id
            group by s.id, s.language`,
      ),
    );
    const byId = new Map(languages.map((l) => [l.id, l]));
    expect(byId.get(ids.french)).toMatchObject({ source: 'french', chunks: ['french'] });
    expect(byId.get(ids.german)).toMatchObject({ source: 'german', chunks: ['german'] });
    expect(byId.get(ids.refunds)).toMatchObject({ source: 'english', chunks: ['english'] });

    // Stemmed per language: other forms of the words find them.
    expect((await top(a.apiKey, 'remboursement sous combien de jours ?'))[0]).toBe(ids.french);
    expect((await top(a.apiKey, 'wie kann ich einen Artikel zurückschicken oder zurücksenden'))[0]).toBe(
      ids.german,
    );
    expect((await top(a.apiKey, 'refunded'))[0]).toBe(ids.refunds);
    // French stop words ("de", "la") do not make every French passage match.
    expect(await top(a.apiKey, 'de la')).toEqual([]);
  });

  it('applies an admin synonym group to its own organization only', async () => {
    expect(await top(a.apiKey, 'reimbursement')).not.toContain(ids.refunds);
    const created = await api(a.apiKey, 'POST', '/v1/knowledge/synonyms', {
      terms: ['Reimbursement', ' money  back ', 'refund'],
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ terms: ['Reimbursement', 'money back', 'refund'] });
    const phrase = await api(a.apiKey, 'POST', '/v1/knowledge/synonyms', { terms: ['log in', 'sign in'] });
    expect(phrase.statusCode).toBe(201);

    expect((await top(a.apiKey, 'reimbursement please'))[0]).toBe(ids.refunds);
    expect((await top(a.apiKey, 'how do I log in'))[0]).toBe(ids.account);
    // Org B has the same articles and no synonyms.
    expect(await top(b.apiKey, 'reimbursement')).not.toContain(idsB.refunds);

    const list = await api(a.apiKey, 'GET', '/v1/knowledge/synonyms');
    expect(list.json().groups.map((g: { id: string }) => g.id)).toEqual([
      created.json().id,
      phrase.json().id,
    ]);
    expect((await api(b.apiKey, 'GET', '/v1/knowledge/synonyms')).json()).toEqual({ groups: [] });

    expect((await api(a.apiKey, 'DELETE', `/v1/knowledge/synonyms/${created.json().id}`)).statusCode).toBe(
      204,
    );
    expect(await top(a.apiKey, 'reimbursement')).not.toContain(ids.refunds);
    expect((await api(a.apiKey, 'DELETE', `/v1/knowledge/synonyms/${created.json().id}`)).statusCode).toBe(
      404,
    );
    const audit = await withTenant(t.database, [a.orgId], (tx) =>
      queryRows<{ action: string; metadata: unknown }>(
        tx,
        sql`select action, metadata from audit_log where target_type = 'knowledge_synonyms' order by seq`,
      ),
    );
    expect(audit.map((r) => r.action)).toEqual([
      'knowledge.synonyms.created',
      'knowledge.synonyms.created',
      'knowledge.synonyms.deleted',
    ]);
    expect(JSON.stringify(audit)).not.toContain('eimbursement');
  });

  it('refuses bad synonym groups with a 4xx and writes nothing', async () => {
    const before = (await api(a.apiKey, 'GET', '/v1/knowledge/synonyms')).json().groups;
    for (const payload of [
      { terms: ['lonely'] },
      { terms: ['same', 'SAME '] },
      { terms: Array.from({ length: 21 }, (_, i) => `term${i}`) },
      { terms: ['ok', ''] },
      { terms: ['ok', 'x'.repeat(101)] },
      { terms: 'refund, money back' },
      { terms: ['a', 'b'], extra: true },
    ]) {
      const res = await api(a.apiKey, 'POST', '/v1/knowledge/synonyms', payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    expect((await api(a.apiKey, 'DELETE', '/v1/knowledge/synonyms/not-a-uuid')).statusCode).toBe(400);
    const viewer = await api(a.apiKey, 'POST', '/v1/api-keys', { name: 'viewer', role: 'viewer' });
    const viewerKey = viewer.json().key as string;
    expect((await api(viewerKey, 'POST', '/v1/knowledge/synonyms', { terms: ['a1', 'b1'] })).statusCode).toBe(
      403,
    );
    expect((await api(viewerKey, 'GET', '/v1/knowledge/synonyms')).statusCode).toBe(403);
    expect((await api(a.apiKey, 'GET', '/v1/knowledge/synonyms')).json().groups).toEqual(before);
  });

  it('reads only the current version, and keeps the last good one searchable during a re-index', async () => {
    const [source] = await withTenant(t.database, [a.orgId], (tx) =>
      queryRows<{ version: number }>(tx, sql`select version from knowledge_sources where id = ${ids.stores}`),
    );
    const version = Number(source!.version);
    // A re-index in progress (next version) and a leftover of an old one: neither is searchable.
    await withTenant(t.database, [a.orgId], (tx) =>
      tx.execute(sql`insert into knowledge_chunks (org_id, source_id, ordinal, title, content, version, language)
                     values (${a.orgId}, ${ids.stores}, 0, 'Stores', 'Zeppelin tours start at the harbour.', ${version + 1}, 'english'),
                            (${a.orgId}, ${ids.stores}, 1, 'Stores', 'Zeppelin tickets are sold in Lyon.', ${version - 1}, 'english')`),
    );
    expect(await top(a.apiKey, 'zeppelin')).toEqual([]);
    await withTenant(t.database, [a.orgId], async (tx) => {
      expect(await search(tx, a.orgId, 'zeppelin', { k: 5 })).toEqual([]);
      expect((await search(tx, a.orgId, 'flagship', { k: 5 }))[0]?.sourceId).toBe(ids.stores);
      // While the source is re-indexed, its last good version stays searchable…
      await tx.execute(sql`update knowledge_sources set status = 'processing' where id = ${ids.stores}`);
      expect((await search(tx, a.orgId, 'flagship', { k: 5 }))[0]?.sourceId).toBe(ids.stores);
      // …but a source that has never been indexed is not searchable before it is ready.
      await tx.execute(sql`update knowledge_sources set last_indexed_at = null where id = ${ids.stores}`);
      expect(await search(tx, a.orgId, 'flagship', { k: 5 })).toEqual([]);
      // The swap: once the source points at the new version, only that version is found.
      await tx.execute(
        sql`update knowledge_sources set status = 'ready', version = ${version + 1} where id = ${ids.stores}`,
      );
      expect((await search(tx, a.orgId, 'zeppelin', { k: 5 })).map((h) => h.content)).toEqual([
        'Zeppelin tours start at the harbour.',
      ]);
      expect(await search(tx, a.orgId, 'flagship', { k: 5 })).toEqual([]);
      throw new Rollback();
    }).catch((error) => {
      if (!(error instanceof Rollback)) throw error;
    });
  });

  it('limits a search to some sources when asked', async () => {
    await withTenant(t.database, [a.orgId], async (tx) => {
      const all = await search(tx, a.orgId, 'order', { k: 10 });
      expect(new Set(all.map((h) => h.sourceId)).size).toBeGreaterThan(2);
      const scoped = await search(tx, a.orgId, 'order', {
        k: 10,
        scope: { sourceIds: [ids.warranty, ids.stores] },
      });
      expect(new Set(scoped.map((h) => h.sourceId))).toEqual(new Set([ids.warranty, ids.stores]));
      expect(await search(tx, a.orgId, 'order', { k: 10, scope: { sourceIds: [] } })).toEqual([]);
      // Another org's source ids find nothing (row-level security and the org filter).
      expect(await search(tx, a.orgId, 'order', { k: 10, scope: { sourceIds: [idsB.refunds] } })).toEqual([]);
    });
  });

  it('keeps the lexicon equal to the chunks when sources are deleted', async () => {
    const created = await addSourceAndWait(t.app, b.apiKey, {
      type: 'text',
      title: 'Xylophones',
      content: '# Xylophones\n\nOur xylophones are tuned by hand in Lyon before shipping.',
    });
    expect((await top(b.apiKey, 'xylophone'))[0]).toBe(created.id);
    expect((await api(b.apiKey, 'DELETE', `/v1/knowledge/sources/${created.id}`)).statusCode).toBe(204);
    const rows = await withTenant(t.database, [b.orgId], (tx) =>
      queryRows<{ lexeme: string }>(
        tx,
        sql`select lexeme from knowledge_lexicon where lexeme like 'xylophon%' or chunks <= 0`,
      ),
    );
    expect(rows).toEqual([]);
    const [counts] = await withTenant(t.database, [b.orgId], (tx) =>
      queryRows<{ lexicon: number; chunks: number }>(
        tx,
        sql`select (select coalesce(sum(chunks), 0) from knowledge_lexicon where lexeme = '')::int as lexicon,
                   (select count(*) from knowledge_chunks)::int as chunks`,
      ),
    );
    expect(counts!.lexicon).toBe(counts!.chunks);
  });
});

class Rollback extends Error {}
