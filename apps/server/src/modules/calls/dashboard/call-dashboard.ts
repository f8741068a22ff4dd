import type { CallDashboard } from '@confidant/contract';
import type { AnalysedCall } from './analysed-calls.js';
import { isoWeekStart, mean } from './iso-week.js';

/**
 * The team dashboard of a period, from its analysed calls (pure):
 * - `calls`: the calls counted; `averageScore`: the mean weighted total of the scored ones;
 * - per criterion (by id, named as in its latest score): the mean score on the rubric's scale,
 *   overall and per ISO week (weeks without a score are absent);
 * - per rep (calls without a rep name are left out): calls, mean total, mean talk share of the
 *   rep speaker, and the mean total per week.
 * Averages are rounded to 2 places; weeks ascend; criteria keep first-seen (newest) order; reps
 * are sorted by name.
 */
export function buildCallDashboard(calls: readonly AnalysedCall[], from: string, to: string): CallDashboard {
  const criteria = new Map<string, { name: string; scores: { week: string; score: number }[] }>();
  const reps = new Map<string, AnalysedCall[]>();
  for (const call of calls) {
    const week = isoWeekStart(call.createdAt);
    for (const c of call.criteria) {
      const entry = criteria.get(c.criterionId) ?? { name: c.name, scores: [] };
      entry.scores.push({ week, score: c.score });
      criteria.set(c.criterionId, entry);
    }
    if (call.repName !== null) reps.set(call.repName, [...(reps.get(call.repName) ?? []), call]);
  }
  const scored = calls.filter((c) => c.total !== null);
  return {
    from,
    to,
    calls: calls.length,
    averageScore: mean(scored.map((c) => c.total!)),
    perCriterion: [...criteria].map(([criterionId, { name, scores }]) => ({
      criterionId,
      name,
      average: mean(scores.map((s) => s.score)),
      weeks: weekly(scores.map((s) => ({ week: s.week, value: s.score }))),
    })),
    perRep: [...reps]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([repName, own]) => ({
        repName,
        calls: own.length,
        averageScore: mean(own.flatMap((c) => (c.total === null ? [] : [c.total]))),
        talkShare: mean(own.flatMap((c) => (c.repTalkShare === null ? [] : [c.repTalkShare]))),
        weeks: weekly(
          own.flatMap((c) => (c.total === null ? [] : [{ week: isoWeekStart(c.createdAt), value: c.total }])),
        ),
      })),
  };
}

function weekly(values: readonly { week: string; value: number }[]) {
  const byWeek = new Map<string, number[]>();
  for (const v of values) byWeek.set(v.week, [...(byWeek.get(v.week) ?? []), v.value]);
  return [...byWeek]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([week, list]) => ({ week, average: mean(list)!, calls: list.length }));
}
