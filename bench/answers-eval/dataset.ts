import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The answer evaluation set: the help centre of Cairnline, a fictional outdoor clothing and gear
 * shop (help-centre/*.md, one article per file, the file name is the article id; a few articles
 * in French and German), questions it answers (questions.tsv) and questions it does not
 * (off-topic.tsv). See README.md for how it was written.
 */
export type Article = { id: string; title: string; content: string };
export type AnswerableQuestion = { line: number; article: string; facts: string[]; text: string };
export type OffTopicQuestion = { line: number; kind: OffTopicKind; text: string };

export const offTopicKinds = ['chit-chat', 'general', 'not-covered'] as const;
export type OffTopicKind = (typeof offTopicKinds)[number];

const here = fileURLToPath(new URL('.', import.meta.url));

/** The held-out split: questions never tuned against (README, "Held-out questions"). */
export const heldOutFiles = {
  questions: join(here, 'held-out-questions.tsv'),
  offTopic: join(here, 'held-out-off-topic.tsv'),
};

/**
 * The first `# Heading` is the article's title; it is not repeated in the content, as a help
 * centre import (and the demo's seed) passes the title separately.
 */
export function loadArticles(dir = join(here, 'help-centre')): Article[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((file) => {
      const markdown = readFileSync(join(dir, file), 'utf8');
      const match = /^#\s+(.+)\r?\n/.exec(markdown);
      if (!match?.[1]) throw new Error(`${file}: an article starts with a "# Title" line`);
      return {
        id: file.replace(/\.md$/, ''),
        title: match[1].trim(),
        content: markdown.slice(match[0].length).trim(),
      };
    });
}

/** Data lines of a TSV file with their 1-based line numbers (comments and blank lines skipped). */
function dataLines(file: string): { line: number; cells: string[] }[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((text, i) => ({ line: i + 1, text }))
    .filter(({ text }) => text.trim() !== '' && !text.startsWith('#'))
    .map(({ line, text }) => ({ line, cells: text.split('\t') }));
}

export function loadQuestions(file = join(here, 'questions.tsv')): AnswerableQuestion[] {
  return dataLines(file).map(({ line, cells }) => {
    const [article, facts, text, ...extra] = cells;
    if (!article?.trim() || !facts?.trim() || !text?.trim() || extra.length > 0)
      throw new Error(`questions.tsv line ${line}: expected "article<TAB>fact[|fact…]<TAB>question"`);
    return {
      line,
      article: article.trim(),
      facts: facts.split('|').map((f) => f.trim()),
      text: text.trim(),
    };
  });
}

export function loadOffTopic(file = join(here, 'off-topic.tsv')): OffTopicQuestion[] {
  return dataLines(file).map(({ line, cells }) => {
    const [kind, text, ...extra] = cells;
    if (!offTopicKinds.includes(kind as OffTopicKind) || !text?.trim() || extra.length > 0)
      throw new Error(`off-topic.tsv line ${line}: expected "${offTopicKinds.join('|')}<TAB>question"`);
    return { line, kind: kind as OffTopicKind, text: text.trim() };
  });
}
