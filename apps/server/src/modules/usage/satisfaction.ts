import type { SatisfactionReport } from '@confidant/contract';
import { sql } from 'drizzle-orm';
import type { Tx } from '../../platform/db/client.js';
import { queryRows } from '../../platform/db/query-rows.js';

/**
 * Customer satisfaction over UTC days [from, to]: how many ratings, their mean and how many gave
 * each score. Numbers only, never a comment. Read from the live ratings plus the anonymized
 * daily aggregates the retention purge wrote for the ratings it removed with their conversations
 * (privacy/retention/roll-up.ts, same transaction), each on the day it was given, so a day reads
 * the same before and after a purge.
 */
export async function satisfactionReport(
  tx: Tx,
  orgId: string,
  range: { from: string; to: string },
  agentId?: string,
): Promise<SatisfactionReport> {
  const [row] = await queryRows<{
    n: number;
    total: number;
    s1: number;
    s2: number;
    s3: number;
    s4: number;
    s5: number;
  }>(
    tx,
    sql`select coalesce(sum(n), 0)::int as n, coalesce(sum(total), 0)::int as total,
               coalesce(sum(s1), 0)::int as s1, coalesce(sum(s2), 0)::int as s2, coalesce(sum(s3), 0)::int as s3,
               coalesce(sum(s4), 0)::int as s4, coalesce(sum(s5), 0)::int as s5
          from (
            select count(*) as n, sum(r.score) as total,
                   count(*) filter (where r.score = 1) as s1, count(*) filter (where r.score = 2) as s2,
                   count(*) filter (where r.score = 3) as s3, count(*) filter (where r.score = 4) as s4,
                   count(*) filter (where r.score = 5) as s5
              from conversation_ratings r
             where r.org_id = ${orgId}
               and (r.created_at at time zone 'UTC')::date between ${range.from}::date and ${range.to}::date
               ${agentId ? sql`and r.agent_id = ${agentId}` : sql``}
            union all
            select sum(a.csat_count), sum(a.csat_sum), sum(a.csat_1), sum(a.csat_2), sum(a.csat_3),
                   sum(a.csat_4), sum(a.csat_5)
              from daily_aggregates a
             where a.org_id = ${orgId} and a.csat_count > 0
               and a.day between ${range.from}::date and ${range.to}::date
               ${agentId ? sql`and a.agent_id = ${agentId}` : sql``}
          ) x`,
  );
  const r = row!;
  return {
    from: range.from,
    to: range.to,
    count: r.n,
    average: r.n > 0 ? Math.round((r.total / r.n) * 100) / 100 : null,
    distribution: [r.s1, r.s2, r.s3, r.s4, r.s5],
  };
}
