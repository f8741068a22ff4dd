import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Encoding } from '../../platform/http/content-coding.js';
import { serverRoot } from '../../platform/server-root.js';

/** Where `vite build` writes the console (apps/console/dist); never committed. */
export const consoleDistDir = `${path.join(serverRoot, '..', 'console', 'dist')}${path.sep}`;

/** One built file in the codings the build stored for it (identity always; .br/.gz when written). */
export type ConsoleFile = {
  contentType: string;
  variants: Partial<Record<Encoding, { body: Buffer; etag: string }>> & {
    identity: { body: Buffer; etag: string };
  };
};

/** The built console: files by their path under /console/ (e.g. `index.html`, `assets/index-1a2b.js`). */
export type ConsoleAssets = { files: Map<string, ConsoleFile>; index: ConsoleFile };

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
};

const etagOf = (body: Buffer, suffix: string) =>
  `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}${suffix}"`;

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) =>
      e.isDirectory() ? listFiles(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
    ),
  );
  return nested.flat();
}

async function loadConsoleAssets(): Promise<ConsoleAssets> {
  const names = await listFiles(consoleDistDir);
  const files = new Map<string, ConsoleFile>();
  for (const name of names) {
    if (name.endsWith('.br') || name.endsWith('.gz')) continue;
    const body = await readFile(path.join(consoleDistDir, name));
    const file: ConsoleFile = {
      contentType: contentTypes[path.extname(name)] ?? 'application/octet-stream',
      variants: { identity: { body, etag: etagOf(body, '') } },
    };
    // Precompressed by the build (apps/console/vite.config.ts); each coding has its own strong ETag.
    for (const [encoding, extension, suffix] of [
      ['br', '.br', '-br'],
      ['gzip', '.gz', '-gz'],
    ] as const) {
      if (names.includes(`${name}${extension}`)) {
        const compressed = await readFile(path.join(consoleDistDir, `${name}${extension}`));
        file.variants[encoding] = { body: compressed, etag: etagOf(body, suffix) };
      }
    }
    files.set(name, file);
  }
  const index = files.get('index.html');
  if (!index) throw new Error('apps/console/dist has no index.html');
  return { files, index };
}

let cached: { builtAt: number; assets: Promise<ConsoleAssets> } | undefined;

/**
 * The built console, read once into memory and read again when apps/console/dist/index.html
 * changes (a rebuild while the server runs). Throws when the console was never built.
 */
export function getConsoleAssets(): Promise<ConsoleAssets> {
  const indexFile = path.join(consoleDistDir, 'index.html');
  if (!existsSync(indexFile))
    return Promise.reject(new Error('the console is not built: run npm run build -w apps/console'));
  const builtAt = statSync(indexFile).mtimeMs;
  if (!cached || cached.builtAt !== builtAt) {
    const assets = loadConsoleAssets();
    cached = { builtAt, assets };
    // A failed read is not kept: the next request tries again.
    assets.catch(() => {
      if (cached?.assets === assets) cached = undefined;
    });
  }
  return cached.assets;
}
