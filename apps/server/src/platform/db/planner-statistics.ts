import { sql } from 'drizzle-orm';
import type { Database } from './client.js';
import { queryRows } from './query-rows.js';

/**
 * Planner statistics for embedded PGlite, which has no autovacuum: without ANALYZE its tables
 * never get statistics, and the planner keeps the plans it chose for empty tables. Measured on
 * 50,000 chunks (npm run bench:retrieval): knowledge search takes ~470 ms per query before
 * ANALYZE and ~14 ms after. The conversation tables grow with every message (the answer path
 * reads them several times per message), so they are covered too: before they were, the chat
 * bench's throughput halved after ~10,000 stored messages with `reltuples = -1` on them.
 *
 * refreshPlannerStatistics does what autovacuum's analyze does on PostgreSQL, with its rule:
 * ANALYZE a table when the rows modified since its last analyze exceed 50 + 10% of its rows, or
 * when it was never analyzed and has rows. The modification counts come from the cumulative
 * statistics (pg_stat_user_tables, flushed first), so a check costs no table scan and it can run
 * after every ingestion and on a timer. A no-op on PostgreSQL, where autovacuum does it. Run it
 * outside any transaction: PGlite runs it between transactions.
 */
export const PLANNER_STATISTICS_TABLES = [
  'knowledge_chunks',
  'knowledge_embeddings',
  'knowledge_lexicon',
  'knowledge_sources',
  'conversations',
  'messages',
  'events',
  'model_calls',
  'conversation_reads',
] as const;
const THRESHOLD_ROWS = 50;
const THRESHOLD_SHARE = 0.1;

/** Returns the tables it analyzed. */
export async function refreshPlannerStatistics(database: Database): Promise<string[]> {
  if (database.kind !== 'pglite') return [];
  // This process's pending counters reach pg_stat_user_tables at its next transaction's end
  // (PGlite is one backend: every write of the database is counted here).
  await database.db.execute(sql`select pg_stat_force_next_flush()`);
  const known = await queryRows<{ table: string; estimated: number; modified: number }>(
    database.db,
    sql`select t as table, c.reltuples::float8 as estimated,
               coalesce(s.n_mod_since_analyze, 0)::float8 as modified
        from jsonb_array_elements_text(${JSON.stringify(PLANNER_STATISTICS_TABLES)}::jsonb) as t
        join pg_class c on c.oid = to_regclass(t)
        left join pg_stat_user_tables s on s.relid = c.oid`,
  );
  const stale: string[] = [];
  for (const { table, estimated, modified } of known) {
    const before = Number(estimated);
    // reltuples is -1 until the first ANALYZE: analyze once there is a row (one index probe;
    // PGlite connects as a superuser, so the probe sees every org's rows, as statistics do).
    const isStale =
      before < 0
        ? await hasAnyRow(database, table)
        : Number(modified) > THRESHOLD_ROWS + THRESHOLD_SHARE * before;
    if (isStale) stale.push(table);
  }
  if (stale.length > 0) {
    await database.db.execute(sql.raw(`analyze ${stale.map((t) => `"${t}"`).join(', ')}`));
  }
  return stale;
}

async function hasAnyRow(database: Database, table: string): Promise<boolean> {
  const [row] = await queryRows<{ any: boolean }>(
    database.db,
    sql`select exists (select 1 from ${sql.identifier(table)}) as any`,
  );
  return Boolean(row?.any);
}
