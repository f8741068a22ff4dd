import type { SQL } from 'drizzle-orm';
import type { Db, Tx } from './client.js';

/**
 * Runs raw SQL and returns its rows. Both drivers (PGlite and node-postgres) answer `execute`
 * with an object holding `rows`; Drizzle's shared type cannot say so, hence this one cast.
 */
export async function queryRows<T>(executor: Db | Tx, query: SQL): Promise<T[]> {
  const result = (await executor.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}
