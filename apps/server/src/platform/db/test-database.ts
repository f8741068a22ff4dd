import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type Database, openPglite, openPostgres } from './client.js';
import { runMigrations } from './migrate.js';

/**
 * Throwaway databases for tests: in-memory PGlite by default, or — when TEST_DATABASE_URL points
 * at a PostgreSQL server (CI sets it) — a fresh database owned by a fresh ordinary role, so RLS
 * applies exactly as in production. Both are migrated with the committed migrations.
 */
export const testPostgresUrl = process.env.TEST_DATABASE_URL || undefined;

/** `url`: the PostgreSQL database's URL (as its own role), so tools can reach it as the admin. */
export type TestDatabase = Database & { drop(): Promise<void>; url?: string };

export async function createTestDatabase(kind: 'pglite' | 'postgres' = 'pglite'): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const database = await openPglite(null);
    await runMigrations(database);
    return { ...database, drop: database.close };
  }
  if (!testPostgresUrl) throw new Error('TEST_DATABASE_URL is not set');
  const suffix = randomBytes(6).toString('hex');
  const name = `confidant_test_${suffix}`;
  const admin = new pg.Client({ connectionString: testPostgresUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE ROLE ${name} LOGIN NOSUPERUSER NOBYPASSRLS`);
    await admin.query(`CREATE DATABASE ${name} OWNER ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(testPostgresUrl);
  url.username = name;
  url.password = '';
  url.pathname = `/${name}`;
  const database = await openPostgres(url.toString(), { max: 4 });
  await runMigrations(database);
  return {
    ...database,
    url: url.toString(),
    drop: async () => {
      await database.close();
      const c = new pg.Client({ connectionString: testPostgresUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await c.query(`DROP ROLE IF EXISTS ${name}`);
      } finally {
        await c.end();
      }
    },
  } as TestDatabase;
}

/** The database kinds a suite should run against here: PGlite always, PostgreSQL when configured. */
export const testDatabaseKinds: ('pglite' | 'postgres')[] = testPostgresUrl
  ? ['pglite', 'postgres']
  : ['pglite'];
