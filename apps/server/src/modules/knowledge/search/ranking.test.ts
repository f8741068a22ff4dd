import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../../platform/db/query-rows.js';
import { withTenant } from '../../../platform/db/tenancy.js';
import { testDatabaseKinds } from '../../../platform/db/test-database.js';
import { createTestApp, type TestApp } from '../../../testing/test-app.js';
import { addSourceAndWait } from '../../../testing/wait-for-source.js';
import { dampedIdf } from './query-terms.js';
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

  it('tells FAQ entries on one topic apart by their question words, found in the titles', async () => {
    const kb = await knowledgeBase({
      apply: {
        title: 'How do I apply for a dog licence?',
        content:
          "# How do I apply for a dog licence?\n\nFill in the dog licence form online with your dog's microchip number.",
      },
      cost: {
        title: 'How much does a dog licence cost?',
        content:
          '# How much does a dog licence cost?\n\nA dog licence costs twelve pounds a year, or six for a neutered dog.',
      },
      who: {
        title: 'Who needs a dog licence?',
        content:
          '# Who needs a dog licence?\n\nEvery dog older than six months needs a licence, kept by its owner.',
      },
    });
    const first = async (query: string) => (await kb.top(query))[0]?.sourceId;
    expect(await first('how much is a dog licence')).toBe(kb.ids.cost);
    expect(await first('who has to get a dog licence')).toBe(kb.ids.who);
    expect(await first('how do i get a dog licence')).toBe(kb.ids.apply);
  });

  it('prefers the title the question covers most over a longer title with the same words', async () => {
    const kb = await knowledgeBase({
      // Added first: on an exact tie it would come first.
      long: {
        title: 'Parking permits for visitors, carers and tradespeople working at your home',
        content: '# Visitors\n\nBuy visitor vouchers by the day; carers get a free yearly pass.',
      },
      exact: {
        title: 'Parking permits',
        content:
          '# Residents\n\nResidents of a controlled zone can buy one for each car registered at the address.',
      },
    });
    expect((await kb.top('parking permits')).map((h) => h.sourceId)).toEqual([kb.ids.exact, kb.ids.long]);
  });

  it('repairs misspellings only, never a real word the knowledge base lacks', async () => {
    const kb = await knowledgeBase({
      state: {
        title: 'State benefits',
        content:
          '# State benefits\n\nWe ship to every state of Canada and test each parcel before it leaves.',
      },
    });
    // Real English words: kept as they are, so they find nothing here (not "state", "test", "small").
    expect(await kb.top('started')).toEqual([]);
    expect(await kb.top('taste')).toEqual([]);
    expect(await kb.top('smell')).toEqual([]);
    // Misspellings within reach of a word the knowledge base has are still repaired.
    expect((await kb.top('do u ship to canda'))[0]?.sourceId).toBe(kb.ids.state);
    expect((await kb.top('benifits'))[0]?.sourceId).toBe(kb.ids.state);
  });

  it('indexes a passage too short to detect in the language of its words or of the knowledge base', async () => {
    const delivery = {
      title: 'Delivery',
      content:
        '# Delivery\n\nOrders placed before noon leave our warehouse the same day. Most parcels arrive within two working days, and you can follow yours with the tracking link we send by email.',
    };
    const languagesOf = async (orgId: string) =>
      (
        await withTenant(t.database, [orgId], (tx) =>
          queryRows<{ language: string }>(tx, sql`select distinct language from knowledge_chunks order by 1`),
        )
      ).map((r) => r.language);
    // A one-line English answer, first in its knowledge base or after a long article: English.
    const first = await knowledgeBase({
      short: { title: 'Refunds', content: 'Refunds take five days.' },
      delivery,
    });
    const after = await knowledgeBase({
      delivery,
      short: { title: 'Refunds', content: 'Refunds take five days.' },
    });
    expect(await languagesOf(first.orgId)).toEqual(['english']);
    expect(await languagesOf(after.orgId)).toEqual(['english']);
    // Stemmed like the rest: "refunded" finds "Refunds".
    expect((await first.top('refunded'))[0]?.sourceId).toBe(first.ids.short);
    // A short line whose words no dictionary knows takes the knowledge base's language.
    const codes = await knowledgeBase({ delivery, code: { title: 'Codes', content: 'Zx9 qorvex blimtaf.' } });
    expect(await languagesOf(codes.orgId)).toEqual(['english']);
  });

  it('scores a term with several forms (one per language of the knowledge base) by its best form', async () => {
    const kb = await knowledgeBase({
      english: {
        title: 'Refunds',
        content:
          '# Refunds\n\nOnce your return reaches our warehouse we check it within two working days and pay you back.',
      },
      // Polish has no stemmer here: indexed 'simple', so every question is analysed in both.
      polish: {
        title: 'Zwroty',
        content:
          '# Zwroty\n\nPieniądze oddajemy w ciągu pięciu dni roboczych od otrzymania paczki w naszym magazynie w Krakowie.',
      },
    });
    const [english] = await kb.top('refunds');
    const [polish] = await kb.top('zwroty');
    expect(english?.sourceId).toBe(kb.ids.english);
    expect(polish?.sourceId).toBe(kb.ids.polish);
    // An exact title match counts fully in either language ('refund' | 'refunds' is not halved).
    expect(english!.score).toBeGreaterThan(0.95);
    expect(polish!.score).toBeCloseTo(english!.score, 6);
  });

  it('matches letters and digits however they are written', async () => {
    const kb = await knowledgeBase({
      hyphen: {
        title: 'Vaccination clinic',
        content: '# Vaccination clinic\n\nThe COVID-19 booster is given on Tuesdays at the health centre.',
      },
      joined: {
        title: 'Sick leave',
        content: '# Sick leave\n\nStaff who test positive for covid19 stay home for five days.',
      },
      other: {
        title: 'Opening hours',
        content: '# Opening hours\n\nThe library has 19 reading rooms and a covid policy.',
      },
    });
    for (const query of ['COVID-19 booster', 'covid19 booster', 'covid 19 booster']) {
      expect((await kb.top(query))[0]?.sourceId, query).toBe(kb.ids.hyphen);
    }
    for (const query of ['covid-19 stay home', 'Covid19 stay home', 'covid 19 stay home']) {
      expect((await kb.top(query))[0]?.sourceId, query).toBe(kb.ids.joined);
    }
    const scores = await Promise.all(
      ['covid-19', 'covid19', 'covid 19'].map(async (q) =>
        (await kb.top(q)).map((h) => [h.sourceId, h.score]),
      ),
    );
    expect(scores[1]).toEqual(scores[0]);
    expect(scores[2]).toEqual(scores[0]);
    // The two articles that have it, before the one with "covid" and "19" apart.
    expect(scores[0]!.slice(0, 2).map(([id]) => id)).toEqual(
      expect.arrayContaining([kb.ids.hyphen, kb.ids.joined]),
    );
  });

  it('damps IDF in a small knowledge base, so a word every entry has still counts', async () => {
    // BM25's IDF of a word found in every one of three chunks is about 0.13; damped, it keeps weight.
    expect(dampedIdf(3, 3)).toBeGreaterThan(1);
    expect(dampedIdf(3, 1)).toBeGreaterThan(dampedIdf(3, 3));
    // In a large knowledge base the prior changes next to nothing.
    const bm25 = (n: number, df: number) => Math.log(1 + (n - df + 0.5) / (df + 0.5));
    expect(dampedIdf(10_000, 50) / bm25(10_000, 50)).toBeCloseTo(1, 2);

    const kb = await knowledgeBase({
      refunds: { title: 'Acme refunds', content: '# Acme refunds\n\nAcme refunds orders within 14 days.' },
      shipping: { title: 'Acme shipping', content: '# Acme shipping\n\nAcme ships orders within 2 days.' },
      plans: {
        title: 'Acme plans',
        content: '# Acme plans\n\nThe Acme plan can be refunded within 14 days.',
      },
    });
    // "acme" is everywhere: the entry having both words is clearly ahead, not tied with the rest.
    const hits = await kb.top('acme refund');
    expect(hits[0]?.sourceId).toBe(kb.ids.refunds);
    const shipping = hits.find((h) => h.sourceId === kb.ids.shipping);
    expect(shipping?.score ?? 0).toBeGreaterThan(0.15);
    expect(hits[0]!.score - (shipping?.score ?? 0)).toBeGreaterThan(0.2);
  });
});
