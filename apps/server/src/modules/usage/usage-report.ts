import { sql } from 'drizzle-orm';
import type { Tx } from '../../platform/db/client.js';
import { queryRows } from '../../platform/db/query-rows.js';
import { providerOf } from './prices.js';

/**
 * Usage of an organization over UTC days [from, to]: model tokens and cost, audio seconds
 * transcribed and characters spoken (speech calls; their unpriced part alike), messages,
 * conversations and answers by mode, as totals and as a series grouped by day, agent, model or
 * provider. Counts only, no content.
 *
 * Read from the live rows plus the anonymized daily aggregates the retention purge wrote for the
 * rows it removed (privacy/retention/roll-up.ts, same transaction), so a day shows the same
 * numbers before and after a purge (as usage/daily-activity.ts). Cost is the sum of the costs
 * stored with each call (priced when it was made); tokens of calls to a model missing from the
 * price table are counted in `unpricedTokens`, and `costUsd` is null ("unknown") only when some
 * tokens were unpriced and none were priced: no calls at all cost 0, not "unknown".
 * Messages, conversations and answers have no model: grouped by model or provider they are null
 * in the series (the totals hold them). Grouped by provider, the key is the org's provider id
 * (label "Name (kind)") while the provider exists, else the provider kind recorded with the call
 * (the server's own provider, a deleted one), else — calls from before kinds were recorded — the
 * model's seller from the price table.
 */
export type UsageGroupBy = 'day' | 'agent' | 'model' | 'provider';

export type UsageMeasures = {
  tokensIn: number;
  tokensOut: number;
  cachedTokensIn: number;
  costUsd: number | null;
  unpricedTokens: number;
  /** Seconds of audio transcribed and characters spoken (speech calls). */
  audioSeconds: number;
  characters: number;
  /** Of those, the ones of models missing from the price table. */
  unpricedAudioSeconds: number;
  unpricedCharacters: number;
  messages: number | null;
  conversations: number | null;
  answers: { model: number; extractive: number; handoff: number } | null;
};
export type UsageGroup = UsageMeasures & { key: string | null; label: string };
export type UsageReport = {
  from: string;
  to: string;
  groupBy: UsageGroupBy;
  totals: UsageMeasures;
  series: UsageGroup[];
};

type CallRow = {
  day: string;
  agent_id: string | null;
  model: string;
  provider_id: string | null;
  provider_kind: string | null;
  tokens_in: string | number;
  tokens_out: string | number;
  cached_in: string | number;
  cost: string | number | null;
  unpriced: string | number;
  audio: string | number;
  chars: string | number;
  unpriced_audio: string | number;
  unpriced_chars: string | number;
};
type ActivityRow = {
  day: string;
  agent_id: string | null;
  conversations: string | number;
  messages: string | number;
  answers_model: string | number;
  answers_extractive: string | number;
  answers_handoff: string | number;
};

const empty = (withActivity: boolean): UsageMeasures => ({
  tokensIn: 0,
  tokensOut: 0,
  cachedTokensIn: 0,
  costUsd: null,
  unpricedTokens: 0,
  audioSeconds: 0,
  characters: 0,
  unpricedAudioSeconds: 0,
  unpricedCharacters: 0,
  messages: withActivity ? 0 : null,
  conversations: withActivity ? 0 : null,
  answers: withActivity ? { model: 0, extractive: 0, handoff: 0 } : null,
});

function addCalls(m: UsageMeasures, r: CallRow) {
  m.tokensIn += Number(r.tokens_in);
  m.tokensOut += Number(r.tokens_out);
  m.cachedTokensIn += Number(r.cached_in);
  m.unpricedTokens += Number(r.unpriced);
  m.audioSeconds = round3(m.audioSeconds + Number(r.audio));
  m.characters += Number(r.chars);
  m.unpricedAudioSeconds = round3(m.unpricedAudioSeconds + Number(r.unpriced_audio));
  m.unpricedCharacters += Number(r.unpriced_chars);
  if (r.cost !== null) m.costUsd = round6((m.costUsd ?? 0) + Number(r.cost));
}
function addActivity(m: UsageMeasures, r: ActivityRow) {
  m.messages = (m.messages ?? 0) + Number(r.messages);
  m.conversations = (m.conversations ?? 0) + Number(r.conversations);
  const a = m.answers ?? { model: 0, extractive: 0, handoff: 0 };
  a.model += Number(r.answers_model);
  a.extractive += Number(r.answers_extractive);
  a.handoff += Number(r.answers_handoff);
  m.answers = a;
}
const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
const round3 = (x: number) => Math.round(x * 1e3) / 1e3;
/** Nothing priced and nothing unpriced (no calls, or calls of no tokens): that cost is known, 0. */
function settleCost(m: UsageMeasures) {
  if (
    m.costUsd === null &&
    m.unpricedTokens === 0 &&
    m.unpricedAudioSeconds === 0 &&
    m.unpricedCharacters === 0
  )
    m.costUsd = 0;
}

export async function usageReport(
  tx: Tx,
  orgId: string,
  range: { from: string; to: string },
  groupBy: UsageGroupBy,
): Promise<UsageReport> {
  const { from, to } = range;
  const inRange = (column: ReturnType<typeof sql>) =>
    sql`(${column} at time zone 'UTC')::date between ${from}::date and ${to}::date`;
  const calls = await queryRows<CallRow>(
    tx,
    sql`select to_char(day, 'YYYY-MM-DD') as day, agent_id, model, provider_id, provider_kind,
               sum(tokens_in) as tokens_in, sum(tokens_out) as tokens_out, sum(cached_in) as cached_in,
               sum(cost) as cost,
               coalesce(sum(tokens_in + tokens_out) filter (where cost is null), 0) as unpriced,
               coalesce(sum(audio), 0) as audio, coalesce(sum(chars), 0) as chars,
               coalesce(sum(audio) filter (where cost is null), 0) as unpriced_audio,
               coalesce(sum(chars) filter (where cost is null), 0) as unpriced_chars
          from (
            select (mc.created_at at time zone 'UTC')::date as day, coalesce(mc.agent_id, c.agent_id) as agent_id, mc.model,
                   mc.provider_id, mc.provider_kind,
                   mc.input_tokens::bigint as tokens_in, mc.output_tokens::bigint as tokens_out,
                   coalesce(mc.cached_input_tokens, 0)::bigint as cached_in, mc.cost_usd as cost,
                   coalesce(mc.audio_seconds, 0) as audio, coalesce(mc.characters, 0)::bigint as chars
              from model_calls mc
              left join conversations c on c.org_id = mc.org_id and c.id = mc.conversation_id
             where mc.org_id = ${orgId} and ${inRange(sql`mc.created_at`)}
            union all
            select a.day, a.agent_id, coalesce(a.model, 'unknown'), a.provider_id, a.provider_kind,
                   a.tokens_in, a.tokens_out, 0, a.cost_usd, a.audio_seconds, a.characters
              from daily_aggregates a
             where a.org_id = ${orgId} and a.day between ${from}::date and ${to}::date
               and (a.model is not null or a.tokens_in <> 0 or a.tokens_out <> 0)
          ) x
         group by 1, 2, 3, 4, 5`,
  );
  const activity = await queryRows<ActivityRow>(
    tx,
    sql`select to_char(day, 'YYYY-MM-DD') as day, agent_id,
               sum(conversations) as conversations, sum(messages) as messages,
               sum(answers_model) as answers_model, sum(answers_extractive) as answers_extractive,
               sum(answers_handoff) as answers_handoff
          from (
            select (c.created_at at time zone 'UTC')::date as day, c.agent_id,
                   1 as conversations, 0 as messages, 0 as answers_model, 0 as answers_extractive,
                   0 as answers_handoff
              from conversations c where c.org_id = ${orgId} and ${inRange(sql`c.created_at`)}
            union all
            select (m.created_at at time zone 'UTC')::date, c.agent_id, 0, 1,
                   (m.answer_mode = 'model')::int, (m.answer_mode = 'extractive')::int,
                   (m.answer_mode = 'handoff')::int
              from messages m
              join conversations c on c.org_id = m.org_id and c.id = m.conversation_id
             where m.org_id = ${orgId} and m.role <> 'system' and ${inRange(sql`m.created_at`)}
            union all
            select a.day, a.agent_id, a.conversations, a.messages, a.answers_model,
                   a.answers_extractive, a.answers_handoff
              from daily_aggregates a
             where a.org_id = ${orgId} and a.day between ${from}::date and ${to}::date
          ) x
         group by 1, 2`,
  );

  const totals = empty(true);
  for (const r of calls) addCalls(totals, r);
  for (const r of activity) addActivity(totals, r);

  const withActivity = groupBy === 'day' || groupBy === 'agent';
  const groups = new Map<string | null, UsageGroup>();
  const group = (key: string | null, label: string) => {
    let g = groups.get(key);
    if (!g) {
      g = { key, label, ...empty(withActivity) };
      groups.set(key, g);
    }
    return g;
  };
  if (groupBy === 'day') {
    // Every day of the range, oldest first, zero when quiet.
    for (
      let d = new Date(`${from}T00:00:00Z`);
      d <= new Date(`${to}T00:00:00Z`);
      d.setUTCDate(d.getUTCDate() + 1)
    ) {
      const day = d.toISOString().slice(0, 10);
      group(day, day);
    }
  }
  const names = groupBy === 'agent' ? await agentNames(tx, orgId) : new Map<string, string>();
  const providers = groupBy === 'provider' ? await providerNames(tx, orgId) : new Map<string, string>();
  const keyOf = (r: {
    day: string;
    agent_id: string | null;
    model?: string;
    provider_id?: string | null;
    provider_kind?: string | null;
  }): [string | null, string] => {
    switch (groupBy) {
      case 'day':
        return [r.day, r.day];
      case 'agent':
        return r.agent_id
          ? [r.agent_id, names.get(r.agent_id) ?? 'Deleted agent']
          : [null, 'No agent (embeddings, tests)'];
      case 'model':
        return [r.model ?? null, r.model ?? 'unknown'];
      case 'provider': {
        // The org's provider row when it still exists; else the kind recorded with the call (the
        // server's own provider, a deleted one); calls metered before kinds were recorded: the
        // seller of the model, from the price table.
        const name = r.provider_id ? providers.get(r.provider_id) : undefined;
        if (name !== undefined) return [r.provider_id!, name];
        const kind = r.provider_kind ?? providerOf(r.model ?? '');
        return [kind, kind];
      }
    }
  };
  for (const r of calls) addCalls(group(...keyOf(r)), r);
  if (withActivity) for (const r of activity) addActivity(group(...keyOf(r)), r);

  const series = [...groups.values()];
  for (const m of [totals, ...series]) settleCost(m);
  if (groupBy !== 'day')
    series.sort((a, b) => (b.costUsd ?? 0) - (a.costUsd ?? 0) || b.tokensIn - a.tokensIn);
  return { from, to, groupBy, totals, series };
}

/** "Name (kind)" of each of the org's providers, by id. */
async function providerNames(tx: Tx, orgId: string): Promise<Map<string, string>> {
  const rows = await queryRows<{ id: string; name: string; kind: string }>(
    tx,
    sql`select id, name, kind from model_providers where org_id = ${orgId}`,
  );
  return new Map(rows.map((r) => [r.id, `${r.name} (${r.kind})`]));
}

async function agentNames(tx: Tx, orgId: string): Promise<Map<string, string>> {
  const rows = await queryRows<{ id: string; name: string }>(
    tx,
    sql`select id, name from agents where org_id = ${orgId}`,
  );
  return new Map(rows.map((r) => [r.id, r.name]));
}
