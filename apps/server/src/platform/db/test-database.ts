import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { type Database, openPglite, openPostgres } from './client.js';
import { migrationsFolder, runMigrations } from './migrate.js';

/**
 * Throwaway databases for tests: in-memory PGlite by default, or — when TEST_DATABASE_URL points
 * at a PostgreSQL server (CI sets it) — a fresh database owned by a fresh ordinary role, so RLS
 * applies exactly as in production. Both are migrated with the committed migrations.
 */
export const testPostgresUrl = process.env.TEST_DATABASE_URL || undefined;

/** `url`: the connection string of a PostgreSQL test database (absent on PGlite). */
export type TestDatabase = Database & { url?: string; drop(): Promise<void> };

export async function createTestDatabase(kind: 'pglite' | 'postgres' = 'pglite'): Promise<TestDatabase> {
  if (kind === 'pglite') {
    // Starts from a copy of a migrated data directory (initdb plus every migration is most of a
    // fresh PGlite's start-up); runMigrations still runs, as at every boot, and finds it current.
    const database = await openPglite(null, { loadDataDir: await migratedPgliteTemplate() });
    await runMigrations(database);
    return { ...database, drop: database.close };
  }
  if (!testPostgresUrl) throw new Error('TEST_DATABASE_URL is not set');
  const suffix = randomBytes(6).toString('hex');
  const name = `confidant_test_${suffix}`;
  const template = process.env[POSTGRES_TEMPLATE_ENV];
  const admin = new pg.Client({ connectionString: testPostgresUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE ROLE ${name} LOGIN NOSUPERUSER NOBYPASSRLS`);
    await admin.query(`CREATE DATABASE ${name} OWNER ${name}${template ? ` TEMPLATE ${template}` : ''}`);
  } finally {
    await admin.end();
  }
  // A copy of the migrated template: everything in it passes to the new role, as if it had
  // migrated the database itself (runMigrations below then finds it current).
  if (template) await asSuperuserIn(name, `REASSIGN OWNED BY ${template} TO ${name}`);
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

/**
 * The environment variable naming this test run's migrated PostgreSQL template database (and
 * the role that migrated it), set by vitest's globalSetup: createTestDatabase('postgres') then
 * copies it instead of migrating from scratch.
 */
export const POSTGRES_TEMPLATE_ENV = 'CONFIDANT_TEST_PG_TEMPLATE';

async function asSuperuserIn(database: string, statement: string): Promise<void> {
  const url = new URL(testPostgresUrl!);
  url.pathname = `/${database}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/**
 * Creates a migrated template database for this run (owned by the admin; its objects by a role
 * of the same name, which ordinary test databases take over). Answers its name and a function
 * that drops it. The template role gets only what migrating needs, revoked again afterwards.
 */
export async function createPostgresTemplate(): Promise<{ name: string; drop(): Promise<void> }> {
  if (!testPostgresUrl) throw new Error('TEST_DATABASE_URL is not set');
  const name = `confidant_tpl_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: testPostgresUrl });
  await admin.connect();
  const drop = async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`DROP ROLE IF EXISTS ${name}`);
    await admin.end();
  };
  try {
    await admin.query(`CREATE ROLE ${name} LOGIN NOSUPERUSER NOBYPASSRLS`);
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.query(`GRANT CREATE ON DATABASE ${name} TO ${name}`);
    await asSuperuserIn(name, `GRANT ALL ON SCHEMA public TO ${name}`);
    const url = new URL(testPostgresUrl);
    url.username = name;
    url.password = '';
    url.pathname = `/${name}`;
    const database = await openPostgres(url.toString(), { max: 1 });
    try {
      await runMigrations(database);
    } finally {
      await database.close();
    }
    await asSuperuserIn(name, `REVOKE ALL ON SCHEMA public FROM ${name}`);
    await admin.query(`REVOKE ALL ON DATABASE ${name} FROM ${name}`);
    // No connections from now on: CREATE DATABASE … TEMPLATE refuses a template in use.
    await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
  } catch (error) {
    await drop().catch(() => {});
    throw error;
  }
  return { name, drop };
}

/** The database kinds a suite should run against here: PGlite always, PostgreSQL when configured. */
export const testDatabaseKinds: ('pglite' | 'postgres')[] = testPostgresUrl
  ? ['pglite', 'postgres']
  : ['pglite'];

/**
 * The data directory of a freshly migrated PGlite, as a tarball cached in the temp dir under a
 * hash of the migrations and the PGlite version: built once (vitest globalSetup warms it), then
 * every test database loads it instead of running initdb and the migrations again. A changed
 * migration changes the hash, so a stale template is never used.
 */
export async function migratedPgliteTemplate(): Promise<Blob> {
  templateBlob ??= loadOrBuildTemplate().catch((error) => {
    templateBlob = undefined;
    throw error;
  });
  return templateBlob;
}

let templateBlob: Promise<Blob> | undefined;

const TEMPLATE_PREFIX = 'confidant-pglite-template-';

function templateKey(): string {
  const hash = createHash('sha256');
  for (const pkg of ['@electric-sql/pglite', '@electric-sql/pglite-pgvector']) hash.update(packageJson(pkg));
  const files = [
    ...readdirSync(migrationsFolder, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.sql') || f.endsWith('.json'))
      .sort()
      .map((f) => path.join(migrationsFolder, f)),
    fileURLToPath(new URL('./migrate.ts', import.meta.url)),
    fileURLToPath(new URL('../cache/cache-change-triggers.ts', import.meta.url)),
  ];
  for (const file of files) {
    hash.update(file.slice(migrationsFolder.length));
    try {
      hash.update(readFileSync(file));
    } catch {
      // Running from a build without the TypeScript sources: the migrations alone decide.
    }
  }
  return hash.digest('hex').slice(0, 16);
}

/** The package.json of an installed package (not exported by these packages, so found on disk). */
function packageJson(name: string): Buffer {
  let dir = path.dirname(createRequire(import.meta.url).resolve(name));
  while (!dir.endsWith(path.join('node_modules', name))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`${name}: package directory not found`);
    dir = parent;
  }
  return readFileSync(path.join(dir, 'package.json'));
}

async function loadOrBuildTemplate(): Promise<Blob> {
  const file = path.join(tmpdir(), `${TEMPLATE_PREFIX}${templateKey()}.tar`);
  try {
    return new Blob([readFileSync(file)]);
  } catch {
    // Not built yet (or removed): build it below.
  }
  const database = await openPglite(null);
  try {
    await runMigrations(database);
    const dump = await database.pglite!.dumpDataDir('none');
    const bytes = new Uint8Array(await dump.arrayBuffer());
    // Written under a unique name and renamed, so concurrent workers never read half a file.
    const partial = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.partial`;
    writeFileSync(partial, bytes);
    renameSync(partial, file);
    for (const old of readdirSync(tmpdir())) {
      if (old.startsWith(TEMPLATE_PREFIX) && old.endsWith('.tar') && path.join(tmpdir(), old) !== file)
        rmSync(path.join(tmpdir(), old), { force: true });
    }
    return new Blob([bytes]);
  } finally {
    await database.close();
  }
}
