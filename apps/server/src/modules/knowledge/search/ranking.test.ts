import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../../../platform/db/tenancy.js';
import { testDatabaseKinds } from '../../../platform/db/test-database.js';
import { createTestApp, type TestApp } from '../../../testing/test-app.js';
import { addSourceAndWait } from '../../../testing/wait-for-source.js';
import { search } from './search.js';

/**
 * The ranking mechanisms that make retrieval generalise (issue 11), each on its own small
 * knowledge base (one organization per case), through the real ingestion path.
 */
describe.each(testDatabaseKinds)('ranking on %s', (kind) => {
  let t: TestApp;
  afterAll(() => t?.close());
  beforeAll(async () => {
    t = await createTestApp({ kind });
  });

  /** A fresh organization with these articles (added in this order); their source ids by key. */
  async function knowledgeBase<K extends string>(articles: Record<K, { title: string; content: string }>) {
    const org = await t.createOrg(`Ranking ${Object.keys(articles).join(' ')}`);
    const ids = {} as Record<K, string>;
    for (const [key, article] of Object.entries(articles) as [K, { title: string; content: string }][]) {
      const source = await addSourceAndWait(t.app, org.apiKey, { type: 'text', ...article });
      expect(source.status, JSON.stringify(source)).toBe('ready');
      ids[key] = source.id;
    }
    const top = (query: string, k = 5) =>
      withTenant(t.database, [org.orgId], (tx) => search(tx, org.orgId, query, { k }));
    return { ...org, ids, top };
  }

  it('orders exact ties by the order knowledge was added, never at random', async () => {
    const same = '# Opening hours\n\nThe office opens at nine on weekdays.';
    const kb = await knowledgeBase({
      first: { title: 'Opening hours', content: same },
      second: { title: 'Opening hours', content: same },
      third: { title: 'Opening hours', content: same },
    });
    for (let i = 0; i < 3; i++) {
      const hits = await kb.top('office opening hours');
      expect(hits.map((h) => h.sourceId)).toEqual([kb.ids.first, kb.ids.second, kb.ids.third]);
      expect(new Set(hits.map((h) => h.score)).size).toBe(1);
    }
  });
});
