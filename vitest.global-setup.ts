import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import type { TestProject } from 'vitest/node';
import { ensureConsoleBuilt } from './apps/console/scripts/ensure-built.mjs';
import { ensureServerBuilt } from './apps/server/scripts/build-server.mjs';
import {
  createPostgresTemplate,
  migratedPgliteTemplate,
  POSTGRES_TEMPLATE_ENV,
  testPostgresUrl,
} from './apps/server/src/platform/db/test-database.js';
import { CHROMIUM, CHROMIUM_ARGS } from './apps/server/test/browser/chromium.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The shared Chromium's Playwright endpoint ('' when none: each file then launches its own). */
    chromiumWsEndpoint: string;
  }
}

/**
 * Runs once before the suite: tests that load /console/ need the built console and tests that
 * spawn the server its compiled bundle (both no-ops when fresh); every test database starts from the migrated PGlite template (built here once when the
 * migrations changed, so the workers do not race to build it); and one Chromium serves every
 * browser test file (each connects and uses its own contexts), instead of one launch per file.
 * With TEST_DATABASE_URL, a migrated PostgreSQL template database is made for this run (named to
 * the workers in CONFIDANT_TEST_PG_TEMPLATE) and dropped at the end.
 */
export default async function setup(project: TestProject) {
  ensureConsoleBuilt();
  // Server processes in tests run the compiled bundle (as `npm start`): built here when missing
  // or stale, once, so two workers never build it at the same time.
  await ensureServerBuilt({ quiet: true });
  await migratedPgliteTemplate();
  const teardown: (() => Promise<void>)[] = [];
  if (testPostgresUrl && !process.env[POSTGRES_TEMPLATE_ENV]) {
    const template = await createPostgresTemplate();
    process.env[POSTGRES_TEMPLATE_ENV] = template.name;
    teardown.push(async () => {
      delete process.env[POSTGRES_TEMPLATE_ENV];
      await template.drop();
    });
  }
  if (existsSync(CHROMIUM) && !process.env.CONFIDANT_TEST_OWN_CHROMIUM) {
    const server = await chromium.launchServer({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    project.provide('chromiumWsEndpoint', server.wsEndpoint());
    teardown.push(() => server.close());
  } else project.provide('chromiumWsEndpoint', '');
  return async () => {
    for (const step of teardown.reverse()) await step();
  };
}
