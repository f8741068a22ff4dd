import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { Database } from '../platform/db/client.js';
import { describeDatabase, loadCliConfig, withCliDatabase } from './context.js';

type JournalEntry = { tag: string; when: number };

/** Applied migrations, identified by the timestamp drizzle records for each (its journal `when`). */
async function appliedMigrationTimes(database: Database): Promise<Set<number>> {
  const { sql } = await import('drizzle-orm');
  const { queryRows } = await import('../platform/db/query-rows.js');
  const [exists] = await queryRows<{ present: boolean }>(
    database.db,
    sql`select to_regclass('drizzle.__drizzle_migrations') is not null as present`,
  );
  if (!exists?.present) return new Set();
  const rows = await queryRows<{ created_at: string | number }>(
    database.db,
    sql`select created_at from drizzle.__drizzle_migrations`,
  );
  return new Set(rows.map((r) => Number(r.created_at)));
}

/** `confidant migrate`: applies pending migrations and says which. */
export function registerMigrate(program: Command) {
  program
    .command('migrate')
    .description('Apply pending database migrations')
    .action(async () => {
      const config = loadCliConfig();
      const { migrationsFolder, runMigrations } = await import('../platform/db/migrate.js');
      const journal = JSON.parse(
        readFileSync(path.join(migrationsFolder, 'meta', '_journal.json'), 'utf8'),
      ) as {
        entries: JournalEntry[];
      };
      // withCliDatabase opens the database without migrating first, so "before" is measured
      // on the untouched schema.
      const { before, after } = await withCliDatabase(
        config,
        async (database) => {
          const before = await appliedMigrationTimes(database);
          await runMigrations(database);
          return { before, after: await appliedMigrationTimes(database) };
        },
        { migrate: false },
      );
      const applied = journal.entries.filter((e) => after.has(e.when) && !before.has(e.when));
      const latest = journal.entries.filter((e) => after.has(e.when)).at(-1)?.tag ?? 'none';
      if (applied.length === 0) {
        console.log(`The ${describeDatabase(config)} is up to date (latest migration: ${latest}).`);
      } else {
        console.log(`Applied ${applied.length} migration(s) to the ${describeDatabase(config)}:`);
        for (const e of applied) console.log(`  ${e.tag}`);
        console.log(`Latest migration: ${latest}.`);
      }
    });
}
