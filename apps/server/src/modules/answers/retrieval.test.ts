import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../../platform/db/tenancy.js';
import { testDatabaseKinds } from '../../platform/db/test-database.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { createWidgetOrg, type WidgetOrg } from '../conversations/testing/widget-fixture.js';
import { composeExtractiveAnswer } from './extractive.js';
import { retrievePassages } from './retrieval.js';
import { answerableQuestions, helpCenter, unanswerableQuestions } from './testing/help-center.js';

/**
 * Answer quality of the extractive path on a realistic help centre (the calibration set of
 * CONFIDENCE_THRESHOLD): most answerable questions are answered from the right article, most
 * unanswerable ones are declined, and answers quote the knowledge verbatim. Aggregate floors, not
 * per-question expectations, so that retrieval can improve without rewriting this test.
 */
describe.each(testDatabaseKinds)('extractive answer quality on %s', (kind) => {
  let t: TestApp;
  let org: WidgetOrg;
  const retrieve = (question: string) =>
    withTenant(t.database, [org.orgId], (tx) => retrievePassages(tx, org.orgId, question));

  beforeAll(async () => {
    t = await createTestApp({ kind });
    org = await createWidgetOrg(t, 'Lumen');
  });
  afterAll(() => t?.close());

  it('answers answerable questions from the right article', async () => {
    const misses: string[] = [];
    for (const { question, article } of answerableQuestions) {
      const retrieval = await retrieve(question);
      const answer = composeExtractiveAnswer(retrieval, question);
      if (!answer || answer.citations[0]?.title !== article) misses.push(question);
    }
    // Calibration: 27 of 28 (one lexical miss: "How long do the bulbs last?").
    expect(misses.length, misses.join('; ')).toBeLessThanOrEqual(3);
  });

  it('declines questions the knowledge does not answer', async () => {
    const answered: string[] = [];
    for (const question of unanswerableQuestions) {
      if ((await retrieve(question)).confident) answered.push(question);
    }
    // Calibration: 11 of 12 declined (one near-miss: "…pick up my order from your office?").
    expect(answered.length, answered.join('; ')).toBeLessThanOrEqual(2);
  });

  it('quotes whole sentences of the knowledge and cites each source once', async () => {
    const corpus = helpCenter.map((a) => a.content.replace(/\*\*|`/g, '')).join('\n');
    for (const question of ['How do I return something?', "what's your phone number", 'Is shipping free?']) {
      const answer = composeExtractiveAnswer(await retrieve(question), question)!;
      // Whole sentences of the knowledge, each verbatim (the answering one may lead).
      for (const line of answer.text.split('\n').filter(Boolean)) {
        for (const sentence of line.replace(/^(?:-|\d+\.) /, '').split(/(?<=[.!?])\s+(?=[A-Z])/)) {
          expect(corpus, sentence).toContain(sentence);
        }
      }
      const sources = answer.citations.map((c) => c.sourceId);
      expect(new Set(sources).size).toBe(sources.length);
    }
  });

  it('finds nothing to say to a question made only of filler words', async () => {
    const retrieval = await retrieve('How do I do it?');
    expect(retrieval.confident).toBe(false);
    expect(retrieval.passages).toEqual([]);
  });
});
