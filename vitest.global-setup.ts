import { ensureConsoleBuilt } from './apps/console/scripts/ensure-built.mjs';
import { migratedPgliteTemplate } from './apps/server/src/platform/db/test-database.js';

/**
 * Runs once before the suite: tests that load /console/ need the built console (a no-op when
 * fresh), and every test database starts from the migrated PGlite template (built here once when
 * the migrations changed, so the workers do not race to build it).
 */
export default async function setup() {
  ensureConsoleBuilt();
  await migratedPgliteTemplate();
}
