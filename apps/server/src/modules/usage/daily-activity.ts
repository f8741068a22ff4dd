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
 * Computed from the live tables plus the anonymized daily aggregates the retention purge wrote
 * for the rows it removed (privacy/retention/roll-up.ts). The purge rolls up and deletes in one
 * transaction, so each conversation is counted in exactly one of the two: a day shows the same
 * numbers before and after its conversations are purged.
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
          select day, sum(n)::int as n, sum(resolved)::int as resolved from (
            select (c.created_at at time zone 'UTC')::date as day, count(*)::int as n,
                   count(*) filter (
                     where c.claimed_at is null and not exists (
                       select 1 from messages m
                        where m.org_id = c.org_id and m.conversation_id = c.id and m.role = 'operator'
                     ))::int as resolved
              from conversations c where c.org_id = ${orgId}
             group by 1
            union all
            select a.day, sum(a.conversations), sum(a.resolved_without_person)
              from daily_aggregates a where a.org_id = ${orgId}
             group by 1
          ) s group by day
        ),
        handoff_times as (
          select (c.handoff_requested_at at time zone 'UTC')::date as day, 1 as n,
                 extract(epoch from (
                   select min(m.created_at) from messages m
                    where m.org_id = c.org_id and m.conversation_id = c.id and m.role = 'operator'
                      and not m.internal and m.created_at >= c.handoff_requested_at
                 ) - c.handoff_requested_at)::double precision as first_response
            from conversations c
           where c.org_id = ${orgId} and c.handoff_requested_at is not null
          union all
          select a.day, a.handoffs, null from daily_aggregates a
           where a.org_id = ${orgId} and a.handoffs > 0
          union all
          select a.day, 0, unnest(a.first_response_seconds) from daily_aggregates a
           where a.org_id = ${orgId}
        ),
        handed as (
          select day, sum(n)::int as n,
                 percentile_cont(0.5) within group (order by first_response) as median_first_response
            from handoff_times group by day
        ),
        tokens as (
          select day, sum(tokens_in) as tokens_in, sum(tokens_out) as tokens_out from (
            select (created_at at time zone 'UTC')::date as day,
                   sum(input_tokens) as tokens_in, sum(output_tokens) as tokens_out
              from model_calls where org_id = ${orgId}
             group by 1
            union all
            select a.day, sum(a.tokens_in), sum(a.tokens_out)
              from daily_aggregates a where a.org_id = ${orgId}
             group by 1
          ) t group by day
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
