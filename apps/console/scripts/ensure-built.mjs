#!/usr/bin/env node
/**
 * Builds the console when apps/console/dist is missing or older than any of its sources, so that
 * `npm start` in a fresh clone (prestart) and the test suite (vitest globalSetup) always serve the
 * current console without committing build output. A fresh build is a no-op costing a directory walk.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const appDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stamp = path.join(appDir, 'dist', 'index.html');
const sources = [
  'src',
  'public',
  'index.html',
  'vite.config.ts',
  'package.json',
  '../../packages/contract/src',
];

function newestMtime(target) {
  if (!existsSync(target)) return 0;
  const stats = statSync(target);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = stats.mtimeMs;
  for (const entry of readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}

export function consoleBuildIsStale() {
  if (!existsSync(stamp)) return true;
  const built = statSync(stamp).mtimeMs;
  return sources.some((s) => newestMtime(path.join(appDir, s)) > built);
}

export function ensureConsoleBuilt() {
  if (!consoleBuildIsStale()) return false;
  console.log('Building the console (apps/console)…');
  const vite = path.join(appDir, '..', '..', 'node_modules', 'vite', 'bin', 'vite.js');
  // NODE_ENV=production even under vitest (which sets test): React must be its production build.
  const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
    cwd: appDir,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (result.status !== 0) throw new Error('the console build failed (see the output above)');
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  try {
    ensureConsoleBuilt();
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
