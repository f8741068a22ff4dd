import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The evaluation sets, one directory each under sets/ with the same shape:
 * - set.json: `{ "organisation": "…", "description": "…" }` (the organisation names the test org);
 * - kb/*.md: one article per file, the file name is the article id, the first `# ` line its title;
 * - questions.tsv: `article-id[|second acceptable id] <TAB> question as a person types it`
 *   (lines starting with # are comments).
 * The questions of every set were written by hand from the articles' topics, in their readers'
 * words, before any ranker was run on them (README.md says how each set was written).
 */
export type Article = { id: string; title: string; markdown: string };
export type Question = { text: string; relevant: string[] };
export type EvalSet = {
  name: string;
  organisation: string;
  description: string;
  articles: Article[];
  questions: Question[];
};

const here = fileURLToPath(new URL('.', import.meta.url));
export const SETS_DIR = join(here, 'sets');

/** The names of the sets (their directory names), sorted. */
export function listSets(dir = SETS_DIR): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(dir, e.name, 'set.json')))
    .map((e) => e.name)
    .sort();
}

export function loadSet(name: string, dir = SETS_DIR): EvalSet {
  const root = join(dir, name);
  const about = JSON.parse(readFileSync(join(root, 'set.json'), 'utf8')) as {
    organisation?: unknown;
    description?: unknown;
  };
  if (typeof about.organisation !== 'string' || typeof about.description !== 'string') {
    throw new Error(`${name}/set.json: expected { "organisation": string, "description": string }`);
  }
  const articles = loadArticles(join(root, 'kb'));
  const questions = loadQuestions(new Set(articles.map((a) => a.id)), join(root, 'questions.tsv'));
  return { name, organisation: about.organisation, description: about.description, articles, questions };
}

export function loadArticles(dir: string): Article[] {
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

export function loadQuestions(articleIds: ReadonlySet<string>, file: string): Question[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((line, i) => ({ line, number: i + 1 }))
    .filter(({ line }) => line.trim() !== '' && !line.startsWith('#'))
    .map(({ line, number }) => {
      const [ids, text, extra] = line.split('\t');
      if (!ids || !text?.trim() || extra !== undefined) {
        throw new Error(`${file} line ${number}: expected "id<TAB>question"`);
      }
      const relevant = ids.split('|').map((id) => id.trim());
      for (const id of relevant) {
        if (!articleIds.has(id)) throw new Error(`${file} line ${number}: no article "${id}"`);
      }
      return { text: text.trim(), relevant };
    });
}
