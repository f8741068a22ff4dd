import { sql } from 'drizzle-orm';
import type { Tx } from '../../../platform/db/client.js';

/**
 * Rolls rows about to be purged into `daily_aggregates`, in the transaction that deletes them,
 * so every number the Usage page shows is counted exactly once: live while the rows exist, from
 * the aggregates after (usage/daily-activity.ts reads both). Each measure lands on the UTC day the
 * live query would count it on. Numbers only: no visitor, conversation or message ids.
 */

/** Whole conversations (and their messages): conversations, handoffs, resolved, first responses. */
export async function rollUpConversations(tx: Tx, orgId: string, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const idList = sql`${`{${ids.join(',')}}`}::uuid[]`;
  // Model calls outlive the conversation (their own period; conversation_id is nulled): keep
  // which agent they served, for usage per agent (usage/usage-report.ts).
  await tx.execute(sql`
    update model_calls mc set agent_id = c.agent_id
      from conversations c
     where mc.org_id = ${orgId} and c.org_id = mc.org_id and c.id = mc.conversation_id
       and mc.conversation_id = any(${idList}) and mc.agent_id is null`);
  await tx.execute(sql`
    insert into daily_aggregates
      (org_id, day, agent_id, conversations, messages, handoffs, resolved_without_person, first_response_seconds,
       answers_model, answers_extractive, answers_handoff)
    select ${orgId}::uuid, x.day, x.agent_id, sum(x.conversations)::int, sum(x.messages)::int,
           sum(x.handoffs)::int, sum(x.resolved)::int,
           coalesce(array_agg(x.first_response) filter (where x.first_response is not null), '{}'),
           sum(x.answers_model)::int, sum(x.answers_extractive)::int, sum(x.answers_handoff)::int
      from (
        select (c.created_at at time zone 'UTC')::date as day, c.agent_id, 1 as conversations,
               0 as messages, 0 as handoffs,
               case when c.claimed_at is null and not exists (
                 select 1 from messages m
                  where m.org_id = c.org_id and m.conversation_id = c.id and m.role = 'operator'
               ) then 1 else 0 end as resolved,
               null::double precision as first_response,
               0 as answers_model, 0 as answers_extractive, 0 as answers_handoff
          from conversations c where c.org_id = ${orgId} and c.id = any(${idList})
        union all
        select (c.handoff_requested_at at time zone 'UTC')::date, c.agent_id, 0, 0, 1, 0,
               extract(epoch from (
                 select min(m.created_at) from messages m
                  where m.org_id = c.org_id and m.conversation_id = c.id and m.role = 'operator'
                    and not m.internal and m.created_at >= c.handoff_requested_at
               ) - c.handoff_requested_at)::double precision, 0, 0, 0
          from conversations c
         where c.org_id = ${orgId} and c.id = any(${idList}) and c.handoff_requested_at is not null
        union all
        select (m.created_at at time zone 'UTC')::date, c.agent_id, 0, 1, 0, 0, null,
               (m.answer_mode = 'model')::int, (m.answer_mode = 'extractive')::int,
               (m.answer_mode = 'handoff')::int
          from messages m
          join conversations c on c.org_id = m.org_id and c.id = m.conversation_id
         where m.org_id = ${orgId} and m.conversation_id = any(${idList}) and m.role <> 'system'
      ) x
     group by x.day, x.agent_id`);
  // Satisfaction ratings: the scores only (sum, count, one count per score), never the comment,
  // on the day the rating was given (usage/satisfaction.ts reads the same).
  await tx.execute(sql`
    insert into daily_aggregates (org_id, day, agent_id, csat_sum, csat_count, csat_1, csat_2, csat_3, csat_4, csat_5)
    select ${orgId}::uuid, (r.created_at at time zone 'UTC')::date, r.agent_id, sum(r.score)::int, count(*)::int,
           count(*) filter (where r.score = 1)::int, count(*) filter (where r.score = 2)::int,
           count(*) filter (where r.score = 3)::int, count(*) filter (where r.score = 4)::int,
           count(*) filter (where r.score = 5)::int
      from conversation_ratings r
     where r.org_id = ${orgId} and r.conversation_id = any(${idList})
     group by 2, 3`);
}

/**
 * Model-call records (by physical row, see purge.ts): tokens in and out (audio seconds and
 * characters of speech calls) per day, agent, model and
 * provider (its row id and kind), so usage by provider reads the same after the purge.
 */
export async function rollUpModelCalls(tx: Tx, orgId: string, ctids: string[]): Promise<void> {
  if (ctids.length === 0) return;
  await tx.execute(sql`
    insert into daily_aggregates
      (org_id, day, agent_id, model, provider_id, provider_kind, tokens_in, tokens_out, cost_usd,
       audio_seconds, characters)
    select ${orgId}::uuid, (mc.created_at at time zone 'UTC')::date, coalesce(mc.agent_id, c.agent_id), mc.model,
           mc.provider_id, mc.provider_kind, sum(mc.input_tokens), sum(mc.output_tokens), sum(mc.cost_usd),
           coalesce(sum(mc.audio_seconds), 0), coalesce(sum(mc.characters), 0)
      from model_calls mc
      left join conversations c on c.org_id = mc.org_id and c.id = mc.conversation_id
     where mc.org_id = ${orgId} and mc.ctid = any(${`{${ctids.map((c) => `"${c}"`).join(',')}}`}::tid[])
     group by 2, 3, 4, 5, 6`);
}
