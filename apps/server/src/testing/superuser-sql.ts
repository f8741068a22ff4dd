import pg from 'pg';
import { type TestDatabase, testPostgresUrl } from '../platform/db/test-database.js';

/**
 * Raw SQL as a database superuser, behind the application's back: outside withTenant, so
 * row-level security does not apply and triggers can be disabled. Tests use it to look for
 * secrets in every column and to tamper with the audit log the way an attacker with database
 * access could.
 *
 * PGlite connects as a superuser already; on PostgreSQL this opens a connection with the admin
 * credentials of TEST_DATABASE_URL to the test's own database.
 */
export type SuperuserSql = {
  query<T>(text: string, params?: unknown[]): Promise<T[]>;
  /** Several statements, no parameters. */
  exec(text: string): Promise<void>;
  close(): Promise<void>;
};

export async function openSuperuserSql(database: TestDatabase): Promise<SuperuserSql> {
  if (database.kind === 'pglite') {
    const pglite = database.pglite!;
    return {
      query: async <T>(text: string, params?: unknown[]) => (await pglite.query<T>(text, params)).rows,
      exec: async (text) => {
        await pglite.exec(text);
      },
      close: async () => {},
    };
  }
  const testUrl = (database as TestDatabase & { url?: string }).url;
  if (!testPostgresUrl || !testUrl) throw new Error('superuser SQL on PostgreSQL needs TEST_DATABASE_URL');
  const adminUrl = new URL(testPostgresUrl);
  adminUrl.pathname = new URL(testUrl).pathname;
  const client = new pg.Client({ connectionString: adminUrl.toString() });
  await client.connect();
  return {
    query: async <T>(text: string, params?: unknown[]) =>
      (await client.query(text, params as unknown[] | undefined)).rows as T[],
    exec: async (text) => {
      await client.query(text);
    },
    close: () => client.end(),
  };
}

/**
 * Every place in the database where `needle` occurs: each column of each base table outside the
 * system schemas, read as text (bytea columns are searched as raw bytes).
 */
export async function findInEveryColumn(
  su: SuperuserSql,
  needle: string,
): Promise<{ table: string; column: string; count: number }[]> {
  const columns = await su.query<{ schema: string; table: string; column: string; type: string }>(
    `select c.table_schema as schema, c.table_name as table, c.column_name as column, c.data_type as type
       from information_schema.columns c
       join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
      where t.table_type = 'BASE TABLE' and c.table_schema not in ('pg_catalog', 'information_schema')
      order by 1, 2, 3`,
  );
  if (columns.length === 0) throw new Error('no columns found: the scan would prove nothing');
  const hits: { table: string; column: string; count: number }[] = [];
  for (const c of columns) {
    const ident = `"${c.schema}"."${c.table}"`;
    const col = `"${c.column}"`;
    const where =
      c.type === 'bytea' ? `position(convert_to($1, 'UTF8') in ${col}) > 0` : `strpos(${col}::text, $1) > 0`;
    const [row] = await su.query<{ n: number }>(`select count(*)::int as n from ${ident} where ${where}`, [
      needle,
    ]);
    if (row && row.n > 0) hits.push({ table: `${c.schema}.${c.table}`, column: c.column, count: row.n });
  }
  return hits;
}
