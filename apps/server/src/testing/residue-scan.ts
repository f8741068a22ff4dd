import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import type { TestDatabase } from '../platform/db/test-database.js';
import { testPostgresUrl } from '../platform/db/test-database.js';

/**
 * The residue scanner behind the privacy engine's canary tests: after an erasure, a retention
 * purge or an org's hard delete, it looks for unique canary strings in EVERY text, varchar,
 * jsonb, json, array and bytea column of EVERY table in EVERY schema (the job queue's too),
 * in every file under the data directory and in captured log lines. A test seeds canaries
 * through the public API, runs the control, and expects `[]`.
 *
 * It reads past row-level security on purpose: on PGlite the connection is a superuser outside
 * `withTenant`; on PostgreSQL it connects to the test database as the admin of
 * TEST_DATABASE_URL. Matching is case-insensitive substring search, so a canary must be
 * distinctive (e.g. `canary-7f3a9c`) and ASCII.
 */
export type Residue = { where: string; needle: string; count: number };

const SCANNED_TYPES = new Set(['text', 'character varying', 'character', 'json', 'jsonb', 'bytea', 'ARRAY']);

type ColumnRow = { table_schema: string; table_name: string; column_name: string; data_type: string };

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Runs one parameterised query past RLS and returns its rows. */
type RawQuery = (text: string, params: unknown[]) => Promise<Record<string, unknown>[]>;

async function withSuperuser<T>(database: TestDatabase, fn: (query: RawQuery) => Promise<T>): Promise<T> {
  if (database.kind === 'pglite') {
    // Outside withTenant the embedded connection is a superuser, which RLS does not bind.
    return fn(async (text, params) => {
      const result = await database.db.execute(sql.raw(bindLiterals(text, params)));
      return ((result as { rows?: Record<string, unknown>[] }).rows ?? []) as Record<string, unknown>[];
    });
  }
  if (!testPostgresUrl || !database.url) throw new Error('residue scan: no admin URL for PostgreSQL');
  const url = new URL(testPostgresUrl);
  url.pathname = new URL(database.url).pathname;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return await fn(async (text, params) => (await client.query(text, params)).rows);
  } finally {
    await client.end();
  }
}

/**
 * PGlite through drizzle's raw execute takes no parameters here: the only values bound are the
 * test's own canary strings, inlined as escaped string literals (never request input).
 */
function bindLiterals(text: string, params: unknown[]): string {
  return text.replace(/\$(\d+)/g, (_, n: string) => {
    const value = params[Number(n) - 1];
    if (Array.isArray(value)) {
      return `array[${value.map((v) => `'${String(v).replaceAll("'", "''")}'`).join(',')}]::text[]`;
    }
    return `'${String(value).replaceAll("'", "''")}'`;
  });
}

/** Every occurrence of the needles in the database, as `schema.table.column`. */
export async function scanDatabase(database: TestDatabase, needles: readonly string[]): Promise<Residue[]> {
  if (needles.length === 0) return [];
  return withSuperuser(database, async (query) => {
    const columns = (await query(
      `select c.table_schema, c.table_name, c.column_name, c.data_type
         from information_schema.columns c
         join information_schema.tables t
           on t.table_schema = c.table_schema and t.table_name = c.table_name
        where t.table_type = 'BASE TABLE'
          and c.table_schema not in ('pg_catalog', 'information_schema')
          and c.table_schema not like 'pg\\_%'
        order by 1, 2, 3`,
      [],
    )) as ColumnRow[];
    const found: Residue[] = [];
    for (const c of columns) {
      if (!SCANNED_TYPES.has(c.data_type)) continue;
      const target = `${quoteIdent(c.table_schema)}.${quoteIdent(c.table_name)}`;
      const column = quoteIdent(c.column_name);
      // bytea: the raw bytes (escape format keeps ASCII readable); everything else as text.
      const haystack =
        c.data_type === 'bytea' ? `lower(encode(${column}, 'escape'))` : `lower(${column}::text)`;
      const rows = await query(
        `select n as needle, count(*)::int as count
           from ${target}, unnest($1::text[]) as n
          where ${column} is not null and strpos(${haystack}, lower(n)) > 0
          group by n`,
        [needles],
      );
      for (const r of rows) {
        found.push({
          where: `${c.table_schema}.${c.table_name}.${c.column_name}`,
          needle: String(r.needle),
          count: Number(r.count),
        });
      }
    }
    return found;
  });
}

/** Every file under `dir` (recursively) that contains one of the needles, byte for byte (any case). */
export async function scanFiles(dir: string, needles: readonly string[]): Promise<Residue[]> {
  const found: Residue[] = [];
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const text = (await readFile(file)).toString('latin1').toLowerCase();
    for (const needle of needles) {
      const count = text.split(needle.toLowerCase()).length - 1;
      if (count > 0) found.push({ where: `file:${path.relative(dir, file)}`, needle, count });
    }
  }
  return found;
}

/** Occurrences of the needles in captured text (log lines). */
export function scanText(where: string, text: string, needles: readonly string[]): Residue[] {
  const haystack = text.toLowerCase();
  return needles.flatMap((needle) => {
    const count = haystack.split(needle.toLowerCase()).length - 1;
    return count > 0 ? [{ where, needle, count }] : [];
  });
}

/** Database, data directory and logs at once: what a canary test asserts to be `[]`. */
export async function scanForResidue(
  target: { database: TestDatabase; dataDir: string; logs?: string },
  needles: readonly string[],
): Promise<Residue[]> {
  return [
    ...(await scanDatabase(target.database, needles)),
    ...(await scanFiles(target.dataDir, needles)),
    ...(target.logs === undefined ? [] : scanText('logs', target.logs, needles)),
  ];
}

/**
 * Recorded audio anywhere it must not be (voice messages live in memory only): WebM/Matroska
 * (EBML magic 1A 45 DF A3) or Ogg ("OggS") bytes in any bytea column or file under the data
 * directory, or their base64 (`GkXfo`, `T2dnUw`) in any text column. Returns where it found some.
 */
export async function scanForAudio(target: { database: TestDatabase; dataDir: string }): Promise<Residue[]> {
  const magics = [Buffer.from([0x1a, 0x45, 0xdf, 0xa3]), Buffer.from('OggS', 'latin1')];
  const base64Needles = ['GkXfo', 'T2dnUw'];
  const found = await withSuperuser(target.database, async (query) => {
    const columns = (await query(
      `select c.table_schema, c.table_name, c.column_name, c.data_type
         from information_schema.columns c
         join information_schema.tables t
           on t.table_schema = c.table_schema and t.table_name = c.table_name
        where t.table_type = 'BASE TABLE'
          and c.table_schema not in ('pg_catalog', 'information_schema')
          and c.table_schema not like 'pg\\_%'
        order by 1, 2, 3`,
      [],
    )) as ColumnRow[];
    const residue: Residue[] = [];
    for (const c of columns) {
      if (!SCANNED_TYPES.has(c.data_type)) continue;
      const target = `${quoteIdent(c.table_schema)}.${quoteIdent(c.table_name)}`;
      const column = quoteIdent(c.column_name);
      const where =
        c.data_type === 'bytea'
          ? magics.map((m) => `position('\\x${m.toString('hex')}'::bytea in ${column}) > 0`).join(' or ')
          : base64Needles.map((n) => `strpos(${column}::text, '${n}') > 0`).join(' or ');
      const rows = await query(`select count(*)::int as count from ${target} where ${where}`, []);
      const count = Number(rows[0]?.count ?? 0);
      if (count > 0)
        residue.push({ where: `${c.table_schema}.${c.table_name}.${c.column_name}`, needle: 'audio', count });
    }
    return residue;
  });
  const entries = await readdir(target.dataDir, { recursive: true, withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    // PGlite's own files hold table pages: the database scan above covers them.
    if (file.includes(`${path.sep}pgdata${path.sep}`)) continue;
    const bytes = await readFile(file);
    if (magics.some((m) => bytes.indexOf(m) === 0) || base64Needles.some((n) => bytes.includes(n)))
      found.push({ where: `file:${path.relative(target.dataDir, file)}`, needle: 'audio', count: 1 });
  }
  return found;
}
