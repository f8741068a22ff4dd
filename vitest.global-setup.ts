import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import type { TestProject } from 'vitest/node';
import { ensureConsoleBuilt } from './apps/console/scripts/ensure-built.mjs';
import { migratedPgliteTemplate } from './apps/server/src/platform/db/test-database.js';
import { CHROMIUM, CHROMIUM_ARGS } from './apps/server/test/browser/chromium.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The shared Chromium's Playwright endpoint ('' when none: each file then launches its own). */
    chromiumWsEndpoint: string;
  }
}

/**
 * Runs once before the suite: tests that load /console/ need the built console (a no-op when
 * fresh); every test database starts from the migrated PGlite template (built here once when the
 * migrations changed, so the workers do not race to build it); and one Chromium serves every
 * browser test file (each connects and uses its own contexts), instead of one launch per file.
 */
export default async function setup(project: TestProject) {
  ensureConsoleBuilt();
  await migratedPgliteTemplate();
  if (!existsSync(CHROMIUM) || process.env.CONFIDANT_TEST_OWN_CHROMIUM) {
    project.provide('chromiumWsEndpoint', '');
    return;
  }
  const server = await chromium.launchServer({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  project.provide('chromiumWsEndpoint', server.wsEndpoint());
  return async () => {
    await server.close();
  };
}
