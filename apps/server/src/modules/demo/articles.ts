import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { serverRoot } from '../../platform/server-root.js';

/** The sample knowledge base of the fictional demo company (articles/*.md, one article each). */
export type DemoArticle = { title: string; content: string };

const articlesDir = path.join(serverRoot, 'src', 'modules', 'demo', 'articles');

/**
 * Reads the articles in file-name order. The first `# Heading` is the article's title and is
 * not repeated in its content (the knowledge source carries the title separately).
 */
export async function loadDemoArticles(): Promise<DemoArticle[]> {
  const files = (await readdir(articlesDir)).filter((f) => f.endsWith('.md')).sort();
  return Promise.all(
    files.map(async (file) => {
      const text = await readFile(path.join(articlesDir, file), 'utf8');
      const match = /^#\s+(.+)\r?\n/.exec(text);
      if (!match?.[1]) throw new Error(`demo article ${file} must start with a "# Title" line`);
      return { title: match[1].trim(), content: text.slice(match[0].length).trim() };
    }),
  );
}
