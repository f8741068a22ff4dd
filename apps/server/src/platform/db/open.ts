import type { Config } from '../config.js';
import { type Database, openPglite, openPostgres } from './client.js';
import { assertUnprivilegedRole, runMigrations } from './migrate.js';

/**
 * Opens the configured database. Embedded PGlite is migrated on every boot; on PostgreSQL the
 * role is checked (no superuser, no BYPASSRLS) and migrations run too (they are idempotent and
 * `confidant migrate` runs the same code for operators who prefer an explicit step).
 */
export async function openDatabase(config: Config, options: { migrate?: boolean } = {}): Promise<Database> {
  const database =
    config.database.kind === 'pglite'
      ? await openPglite(config.database.dataDir)
      : await openPostgres(config.database.url);
  try {
    await assertUnprivilegedRole(database);
    if (options.migrate ?? true) await runMigrations(database);
    return database;
  } catch (error) {
    await database.close();
    throw error;
  }
}
