import { describe, expect, it } from 'vitest';
import { heldOutFiles, loadArticles, loadOffTopic, loadQuestions } from './dataset.js';
import { containsFact, endsMidSentence, normalise } from './judge.js';

/** The answer evaluation set stays what README.md says it is (no database: fast). */
describe('answers-eval data', () => {
  const articles = loadArticles();
  const questions = loadQuestions();
  const offTopic = loadOffTopic();
  const articleById = new Map(articles.map((a) => [a.id, a]));

  it('meets the minimum sizes the issue sets', () => {
    expect(articles.length).toBeGreaterThanOrEqual(40);
    expect(questions.length).toBeGreaterThanOrEqual(150);
    expect(offTopic.length).toBeGreaterThanOrEqual(50);
  });

  it('has French and German articles, each asked about in its own language', () => {
    for (const language of ['fr', 'de']) {
      const ids = articles.filter((a) => a.id.startsWith(`${language}-`)).map((a) => a.id);
      expect(ids.length, language).toBeGreaterThanOrEqual(2);
      for (const id of ids)
        expect(
          questions.some((q) => q.article === id),
          id,
        ).toBe(true);
    }
  });

  it('points every question at an existing article whose text holds each alternative of its fact', () => {
    const problems: string[] = [];
    for (const q of questions) {
      const article = articleById.get(q.article);
      if (!article) {
        problems.push(`line ${q.line}: no article "${q.article}"`);
        continue;
      }
      for (const fact of q.facts) {
        if (!containsFact(`${article.title}\n${article.content}`, [fact]))
          problems.push(`line ${q.line}: "${fact}" is not in ${q.article}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('has no duplicate question, within or across the two files', () => {
    const all = [...questions, ...offTopic].map((q) => normalise(q.text));
    const duplicates = all.filter((text, i) => all.indexOf(text) !== i);
    expect(duplicates).toEqual([]);
  });

  it('holds a held-out split whose facts are in their articles and whose questions are new', () => {
    const heldOut = loadQuestions(heldOutFiles.questions);
    const heldOutOffTopic = loadOffTopic(heldOutFiles.offTopic);
    const problems = heldOut.flatMap((q) => {
      const article = articleById.get(q.article);
      if (!article) return [`line ${q.line}: no article "${q.article}"`];
      return q.facts
        .filter((fact) => !containsFact(`${article.title}\n${article.content}`, [fact]))
        .map((fact) => `line ${q.line}: "${fact}" is not in ${q.article}`);
    });
    expect(problems).toEqual([]);
    const all = [...questions, ...offTopic, ...heldOut, ...heldOutOffTopic].map((q) => normalise(q.text));
    expect(all.filter((text, i) => all.indexOf(text) !== i)).toEqual([]);
  });

  it('asks about every article at least once', () => {
    const asked = new Set(questions.map((q) => q.article));
    expect(articles.map((a) => a.id).filter((id) => !asked.has(id))).toEqual([]);
  });
});

describe('answers-eval judging', () => {
  it('matches a fact case-insensitively across whitespace, any alternative', () => {
    expect(containsFact('Delivery takes 2 to\n 5 Business days.', ['2 to 5 business days'])).toBe(true);
    expect(containsFact('Costs €6.95.', ['€4.95', '€6.95'])).toBe(true);
    expect(containsFact('Costs €4.95.', ['€6.95'])).toBe(false);
  });

  it('finds a paragraph that stops mid-sentence', () => {
    expect(endsMidSentence('Refunds take 5 days.\n\nIt works (mostly).')).toBe(false);
    expect(endsMidSentence('Card refunds take 5 to 10 business days to appear on your statement,')).toBe(
      true,
    );
    expect(endsMidSentence('Do this:\n\nThen that.')).toBe(true);
    expect(endsMidSentence('« Livraison gratuite. »')).toBe(false);
  });
});
