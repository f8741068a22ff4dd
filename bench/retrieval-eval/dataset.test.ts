import { describe, expect, it } from 'vitest';
import { listSets, loadSet } from './dataset.js';

/**
 * The evaluation data stays usable: every set loads (loadQuestions rejects a question whose
 * article id does not exist), and each set keeps the size it was promised at. Fast: reads files only.
 */
const MINIMUMS: Record<string, { articles: number; questions: number }> = {
  pedalway: { articles: 49, questions: 200 },
  // Issue 11: a public-service FAQ of at least 60 entries with at least 300 questions.
  'ashbury-council': { articles: 60, questions: 300 },
};

describe('retrieval evaluation sets', () => {
  it('lists every set that has a minimum, and a minimum for every set', () => {
    expect(listSets()).toEqual(Object.keys(MINIMUMS).sort());
  });

  for (const name of Object.keys(MINIMUMS)) {
    describe(name, () => {
      const set = loadSet(name);

      it('meets its minimum counts', () => {
        expect(set.articles.length).toBeGreaterThanOrEqual(MINIMUMS[name]!.articles);
        expect(set.questions.length).toBeGreaterThanOrEqual(MINIMUMS[name]!.questions);
      });

      it('has unique titles, unique questions, at most two relevant articles each', () => {
        const titles = set.articles.map((a) => a.title);
        expect(new Set(titles).size).toBe(titles.length);
        const texts = set.questions.map((q) => q.text.toLowerCase());
        expect(texts.filter((t, i) => texts.indexOf(t) !== i)).toEqual([]);
        for (const q of set.questions) {
          expect(q.relevant.length, q.text).toBeGreaterThanOrEqual(1);
          expect(q.relevant.length, q.text).toBeLessThanOrEqual(2);
          expect(new Set(q.relevant).size, q.text).toBe(q.relevant.length);
        }
      });

      it('asks about every article at least once', () => {
        const asked = new Set(set.questions.flatMap((q) => q.relevant));
        expect(set.articles.map((a) => a.id).filter((id) => !asked.has(id))).toEqual([]);
      });
    });
  }

  it('the FAQ set titles each entry with its question', () => {
    for (const article of loadSet('ashbury-council').articles) {
      expect(article.title, article.id).toMatch(/\?$/);
    }
  });
});
