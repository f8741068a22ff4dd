import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The evaluation set: a help centre for Pedalway, a fictional bike-share and e-bike rental company
 * (kb/*.md, one article per file, the file name is the article id), and questions as visitors
 * type them (questions.tsv: `article-id[|second acceptable id] <TAB> question`). The questions
 * were written from the articles' topics, in visitors' words, before any ranker was run on them.
 */
export type Article = { id: string; title: string; markdown: string };
export type Question = { text: string; relevant: string[] };

const here = fileURLToPath(new URL('.', import.meta.url));

export function loadArticles(dir = join(here, 'kb')): Article[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((file) => {
      const markdown = readFileSync(join(dir, file), 'utf8');
      const title = /^#\s+(.+)$/m.exec(markdown)?.[1]?.trim();
      if (!title) throw new Error(`${file}: an article starts with a # title`);
      return { id: file.replace(/\.md$/, ''), title, markdown };
    });
}

export function loadQuestions(
  articleIds: ReadonlySet<string>,
  file = join(here, 'questions.tsv'),
): Question[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .map((line, i) => {
      const [ids, text] = line.split('\t');
      if (!ids || !text?.trim()) throw new Error(`questions.tsv line ${i + 1}: expected "id<TAB>question"`);
      const relevant = ids.split('|').map((id) => id.trim());
      for (const id of relevant) {
        if (!articleIds.has(id)) throw new Error(`questions.tsv line ${i + 1}: no article "${id}"`);
      }
      return { text: text.trim(), relevant };
    });
}
