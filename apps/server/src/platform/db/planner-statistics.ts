import { sql } from 'drizzle-orm';
import type { Database } from './client.js';
import { queryRows } from './query-rows.js';

/**
 * Planner statistics for embedded PGlite, which has no autovacuum: without ANALYZE its tables
 * never get statistics, and the planner keeps the plans it chose for empty tables. Measured on
 * 50,000 chunks (npm run bench:retrieval): knowledge search takes ~470 ms per query before
 * ANALYZE and ~14 ms after.
 *
 * refreshPlannerStatistics does what autovacuum's analyze does on PostgreSQL: it ANALYZEs the
 * knowledge tables whose row count moved by more than 50 + 10% since they were last analyzed
 * (or that never were and have rows). Cheap when nothing changed (a count per table), so it can
 * run after every ingestion and on a timer. A no-op on PostgreSQL, where autovacuum does it.
 * Run it outside any transaction: PGlite runs it between transactions.
 */
const TABLES = [
  'knowledge_chunks',
  'knowledge_embeddings',
  'knowledge_lexicon',
  'knowledge_sources',
] as const;
const THRESHOLD_ROWS = 50;
const THRESHOLD_SHARE = 0.1;

/** Returns the tables it analyzed. */
export async function refreshPlannerStatistics(database: Database): Promise<string[]> {
  if (database.kind !== 'pglite') return [];
  const known = await queryRows<{ table: string; estimated: number }>(
    database.db,
    sql`select t as table, c.reltuples::float8 as estimated
        from jsonb_array_elements_text(${JSON.stringify(TABLES)}::jsonb) as t
        join pg_class c on c.oid = to_regclass(t)`,
  );
  const stale: string[] = [];
  for (const { table, estimated } of known) {
    // PGlite connects as a superuser: the count sees every org's rows (row-level security does
    // not apply), which is what the table's statistics describe.
    const [row] = await queryRows<{ actual: number }>(
      database.db,
      sql`select count(*)::float8 as actual from ${sql.identifier(table)}`,
    );
    const actual = Number(row?.actual ?? 0);
    const before = Number(estimated);
    // reltuples is -1 until the first ANALYZE.
    const isStale =
      before < 0 ? actual > 0 : Math.abs(actual - before) > THRESHOLD_ROWS + THRESHOLD_SHARE * before;
    if (isStale) stale.push(table);
  }
  if (stale.length > 0) {
    await database.db.execute(sql.raw(`analyze ${stale.map((t) => `"${t}"`).join(', ')}`));
  }
  return stale;
}
