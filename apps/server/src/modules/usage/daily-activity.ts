import { sql } from 'drizzle-orm';
import type { Tx } from '../../platform/db/client.js';
import { queryRows } from '../../platform/db/query-rows.js';

/**
 * Daily activity of an organization, for the console's Usage page: counts and timings only, no
 * content. Days are UTC calendar days, oldest first, every day present (zero when quiet).
 *
 * - conversations: started that day;
 * - handoffs: a person was asked for that day;
 * - resolvedWithoutPerson: of the conversations started that day, those no operator ever
 *   claimed or wrote in;
 * - medianFirstResponseSeconds: for handoffs that day, the median time from the handoff to the
 *   first operator reply (null when no handoff was answered);
 * - tokens in/out: model calls (answers and embeddings) that day.
 *
 * Computed from the live tables; once retention purges old transcripts, the purge's anonymized
 * daily aggregates (privacy engine) take over for the days it removed.
 */
export type DailyActivity = {
  day: string;
  conversations: number;
  handoffs: number;
  resolvedWithoutPerson: number;
  medianFirstResponseSeconds: number | null;
  tokensIn: number;
  tokensOut: number;
};

export async function dailyActivity(
  tx: Tx,
  orgId: string,
  days: number,
  today = new Date(),
): Promise<DailyActivity[]> {
  const end = today.toISOString().slice(0, 10);
  const rows = await queryRows<{
    day: string;
    conversations: number;
    handoffs: number;
    resolved: number;
    median_first_response: number | null;
    tokens_in: number | string;
    tokens_out: number | string;
  }>(
    tx,
    sql`with days as (
          select d::date as day
            from generate_series(${end}::date - (${days}::int - 1), ${end}::date, interval '1 day') d
        ),
        started as (
          select (c.created_at at time zone 'UTC')::date as day, count(*)::int as n,
                 count(*) filter (
                   where c.claimed_at is null and not exists (
                     select 1 from messages m
                      where m.org_id = c.org_id and m.conversation_id = c.id and m.role = 'operator'
                   ))::int as resolved
            from conversations c where c.org_id = ${orgId}
           group by 1
        ),
        handed as (
          select (c.handoff_requested_at at time zone 'UTC')::date as day, count(*)::int as n,
                 percentile_cont(0.5) within group (order by extract(epoch from (
                   select min(m.created_at) from messages m
                    where m.org_id = c.org_id and m.conversation_id = c.id and m.role = 'operator'
                      and not m.internal and m.created_at >= c.handoff_requested_at
                 ) - c.handoff_requested_at)) as median_first_response
            from conversations c
           where c.org_id = ${orgId} and c.handoff_requested_at is not null
           group by 1
        ),
        tokens as (
          select (created_at at time zone 'UTC')::date as day,
                 sum(input_tokens) as tokens_in, sum(output_tokens) as tokens_out
            from model_calls where org_id = ${orgId}
           group by 1
        )
        select to_char(d.day, 'YYYY-MM-DD') as day,
               coalesce(s.n, 0) as conversations, coalesce(h.n, 0) as handoffs,
               coalesce(s.resolved, 0) as resolved, h.median_first_response,
               coalesce(t.tokens_in, 0) as tokens_in, coalesce(t.tokens_out, 0) as tokens_out
          from days d
          left join started s on s.day = d.day
          left join handed h on h.day = d.day
          left join tokens t on t.day = d.day
         order by d.day`,
  );
  return rows.map((r) => ({
    day: r.day,
    conversations: r.conversations,
    handoffs: r.handoffs,
    resolvedWithoutPerson: r.resolved,
    medianFirstResponseSeconds:
      r.median_first_response === null ? null : Math.round(Number(r.median_first_response) * 10) / 10,
    tokensIn: Number(r.tokens_in),
    tokensOut: Number(r.tokens_out),
  }));
}
