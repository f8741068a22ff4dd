import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../../../platform/db/tenancy.js';
import { createTestApp, type TestApp } from '../../../testing/test-app.js';
import { addSourceAndWait } from '../../../testing/wait-for-source.js';
import { search } from './search.js';
import { matchTermsInTexts } from './term-matches.js';

/**
 * search() with `terms`: per hit, every query term as search read it and where the hit contains
 * it — what the answer engine's confidence gate judges from, in any language search supports.
 */
describe('search hits with per-term matches', () => {
  let t: TestApp;
  let org: { orgId: string; apiKey: string };

  beforeAll(async () => {
    t = await createTestApp({ kind: 'pglite' });
    org = await t.createOrg('Terms');
    for (const article of [
      {
        title: 'Washing a down jacket',
        content: `# Washing a down jacket

Down jackets only need washing once or twice a season, when the down looks flat.

## How to wash a down jacket

Close all zips and wash the jacket on its own at 30°C with a down-specific wash.`,
      },
      {
        title: 'Livraison en France',
        content: `# Livraison en France

La livraison en France prend deux à quatre jours ouvrés, puis le colis est remis au point relais
choisi. Elle est gratuite dès 75 euros d'achat, et le suivi arrive par e-mail.`,
      },
    ]) {
      const source = await addSourceAndWait(t.app, org.apiKey, { type: 'text', ...article });
      expect(source.status).toBe('ready');
    }
  }, 60_000);
  afterAll(() => t?.close());

  const searchTerms = (query: string) =>
    withTenant(t.database, [org.orgId], (tx) => search(tx, org.orgId, query, { k: 5, terms: true }));

  it('says where each query term matched each hit, and how long its own heading is', async () => {
    const hits = await searchTerms('how do I wash my jacket');
    const section = hits.find((h) => h.headingPath.endsWith('How to wash a down jacket'))!;
    expect(section).toBeDefined();
    // "how", "do", "I", "my" are stop words: two terms, wash and jacket.
    expect(section.terms).toHaveLength(2);
    for (const term of section.terms) {
      expect(term).toMatchObject({ inTitle: true, inHeading: true, inBody: true, inOwnHeading: true });
      expect(term.idf).toBeGreaterThan(0);
      expect(term.chunks).toBeGreaterThanOrEqual(3);
      expect(term.repairCost).toBe(0);
    }
    // "How to wash a down jacket": wash and jacket in English ("how", "to", "a", "down" are stop words).
    expect(section.headingLexemes).toBe(2);
  });

  it('reads French questions with French stop words dropped, and marks repaired words', async () => {
    const hits = await searchTerms('puis-je avoir la livraison de la commande gratuite ?');
    const lexemes = hits.flatMap((h) => h.terms.flatMap((term) => term.lexemes));
    for (const functionWord of ['puis', 'la', 'de']) expect(lexemes).not.toContain(functionWord);
    const repaired = await searchTerms('livraison gratiute');
    expect(repaired[0]?.terms.some((term) => term.repairCost > 0 && term.inBody)).toBe(true);
  });

  it('matches the same terms in sentences with the database stemmers', async () => {
    const [hit] = await searchTerms('washing jackets');
    const matches = await withTenant(t.database, [org.orgId], (tx) =>
      matchTermsInTexts(tx, hit!.terms, ['Wash it warm.', 'Jackets and more washing.', 'Nothing here.']),
    );
    expect(matches).toEqual([[0], [0, 1], []]);
  });
});
