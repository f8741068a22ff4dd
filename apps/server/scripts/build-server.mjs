#!/usr/bin/env node
/**
 * Compiles the server (apps/server/src/main.ts and everything it imports) to one ES module,
 * apps/server/dist/main.js, when it is missing or older than any of its sources, so `npm start`
 * runs plain JavaScript: no TypeScript compiled at each start (tsx took most of a 6 s boot).
 * Dependencies stay external (node_modules is read as is); the workspace's TypeScript-only
 * package (@confidant/contract) is bundled in. A fresh build is a no-op costing a directory walk.
 * Nothing here is committed (dist/ is ignored).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const repoDir = path.resolve(serverDir, '../..');
export const serverEntry = path.join(serverDir, 'dist', 'main.js');
const sources = [
  path.join(serverDir, 'src'),
  path.join(serverDir, 'scripts', 'build-server.mjs'),
  path.join(repoDir, 'packages', 'contract', 'src'),
  path.join(repoDir, 'package-lock.json'),
];

function newestMtime(target) {
  if (!existsSync(target)) return 0;
  const stats = statSync(target);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = stats.mtimeMs;
  for (const entry of readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}

export function serverBuildIsStale() {
  if (!existsSync(serverEntry)) return true;
  const built = statSync(serverEntry).mtimeMs;
  return sources.some((s) => newestMtime(s) > built);
}

/** Builds when stale; returns whether it built. */
export async function ensureServerBuilt({ quiet = false } = {}) {
  if (!serverBuildIsStale()) return false;
  if (!quiet) console.log('Compiling the server (apps/server/dist)…');
  const { build } = await import('esbuild');
  await build({
    entryPoints: [path.join(serverDir, 'src', 'main.ts')],
    outfile: serverEntry,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    sourcemap: 'linked',
    logLevel: 'warning',
    plugins: [
      {
        name: 'external-packages-but-contract',
        setup(b) {
          // Bare imports are packages: external, except the workspace's TypeScript source package.
          b.onResolve({ filter: /^[^./]/ }, (args) =>
            args.path.startsWith('@confidant/contract') ? undefined : { path: args.path, external: true },
          );
        },
      },
    ],
  });
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  await ensureServerBuilt();
}
