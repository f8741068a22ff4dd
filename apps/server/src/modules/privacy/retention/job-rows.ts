import { sql } from 'drizzle-orm';
import type { Database } from '../../../platform/db/client.js';
import { queryRows } from '../../../platform/db/query-rows.js';

/**
 * The job queue's rows of one organization (pg-boss, schema `pgboss`; payloads are ids with the
 * org id, platform/jobs/queue.ts). Two rules:
 * - a job whose payload names a row the purge removed (a conversation, a notification …) goes
 *   with it, unless it is running (it finds nothing and finishes; the second rule takes it later);
 * - with `days`, finished jobs (completed, failed, cancelled) older than that go (`job_payloads`).
 * The queue's tables are not tenant tables, so this runs outside `withTenant`, filtered by the
 * org id in the payload. Returns how many rows went (or, with `dryRun`, would go).
 */
export async function purgeJobRows(
  database: Database,
  orgId: string,
  removedIds: string[],
  days: number | null,
  now: Date,
  dryRun: boolean,
): Promise<number> {
  if (removedIds.length === 0 && days === null) return 0;
  const [exists] = await queryRows<{ ok: boolean }>(
    database.db,
    sql`select to_regclass('pgboss.job') is not null as ok`,
  );
  if (!exists?.ok) return 0;
  const named =
    removedIds.length > 0
      ? sql`(j.state <> 'active' and exists (
              select 1 from jsonb_each_text(j.data) kv
               where kv.value = any(${`{${removedIds.join(',')}}`}::text[])))`
      : sql`false`;
  const finished =
    days === null
      ? sql`false`
      : sql`(j.state in ('completed','failed','cancelled')
             and coalesce(j.completed_on, j.created_on) < ${new Date(now.getTime() - days * 86_400_000).toISOString()}::timestamptz)`;
  const where = sql`j.data->>'orgId' = ${orgId} and (${named} or ${finished})`;
  if (dryRun) {
    const [row] = await queryRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from pgboss.job j where ${where}`,
    );
    return row?.n ?? 0;
  }
  const rows = await queryRows<{ id: string }>(
    database.db,
    sql`delete from pgboss.job j where ${where} returning j.id`,
  );
  return rows.length;
}
