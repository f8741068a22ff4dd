import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Answers uses knowledge (its search), never the other way round; both reach models through
 * models/. So nothing in modules/knowledge imports modules/answers (the playground, which runs
 * the answer engine, lives in answers/). Everything outside knowledge — other modules, app.ts, worker.ts, the CLI, tests,
 * benchmarks — imports it through knowledge/index.ts, its public surface; test helpers under a
 * `testing/` folder of knowledge are the one exception.
 */
const knowledgeDir = path.dirname(fileURLToPath(import.meta.url));
const serverDir = path.resolve(knowledgeDir, '../../..');
const repoDir = path.resolve(serverDir, '../..');
const answersDir = path.resolve(knowledgeDir, '../answers');
const publicSurface = path.join(knowledgeDir, 'index.ts');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter(
      (e) => e.isFile() && /\.(ts|tsx|mts|mjs|js)$/.test(e.name) && !e.parentPath.includes('node_modules'),
    )
    .map((e) => path.join(e.parentPath, e.name));
}

/** Every relative module specifier of a file (static and dynamic imports, re-exports), resolved. */
function importsOf(file: string): { specifier: string; target: string }[] {
  const text = readFileSync(file, 'utf8');
  const found: { specifier: string; target: string }[] = [];
  for (const match of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"]+)\1/g)) {
    const specifier = match[2]!;
    found.push({ specifier, target: path.resolve(path.dirname(file), specifier).replace(/\.js$/, '.ts') });
  }
  return found;
}

const inside = (dir: string, file: string) => !path.relative(dir, file).startsWith('..');
const files = [
  ...sourceFiles(path.join(serverDir, 'src')),
  ...sourceFiles(path.join(serverDir, 'test')),
  ...sourceFiles(path.join(repoDir, 'bench')),
];
const where = (file: string, specifier: string) => `${path.relative(repoDir, file)} → ${specifier}`;

describe('knowledge module boundaries', () => {
  it('knowledge never imports answers', () => {
    const offending = files
      .filter((file) => inside(knowledgeDir, file))
      .flatMap((file) =>
        importsOf(file)
          .filter(({ target }) => inside(answersDir, target))
          .map(({ specifier }) => where(file, specifier)),
      );
    expect(offending).toEqual([]);
  });

  it('everything else imports knowledge only through knowledge/index.ts (or its testing/ helpers)', () => {
    const uses = files
      .filter((file) => !inside(knowledgeDir, file))
      .flatMap((file) =>
        importsOf(file)
          .filter(({ target }) => inside(knowledgeDir, target))
          .map((use) => ({ file, ...use })),
      );
    // The scan sees real imports (answers, app.ts, worker.ts at least).
    expect(uses.filter((u) => u.target === publicSurface).length).toBeGreaterThanOrEqual(3);
    const offending = uses
      .filter(
        ({ target }) =>
          target !== publicSurface &&
          !path.relative(knowledgeDir, target).split(path.sep).includes('testing'),
      )
      .map(({ file, specifier }) => where(file, specifier));
    expect(offending).toEqual([]);
  });
});
