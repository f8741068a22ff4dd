import type { RepCoaching } from '@confidant/contract';
import type { StoredCriterionScore } from '../../../platform/db/schema/index.js';
import type { AnalysedCall } from './analysed-calls.js';
import { mean } from './iso-week.js';

/** How many of a rep's recent calls the coaching summarises, and how many it lists. */
export const REP_CALLS = 20;
export const REP_RECENT_LISTED = 10;
const MAX_ITEMS = 5;
/** A criterion is a strength at 70% of its scale or more, a focus area below 60%. */
const STRONG = 0.7;
const WEAK = 0.6;

/**
 * Coaching for one rep over time (pure, no model): their recent calls (`own`, newest first)
 * against the team's calls of the same period (`team`, including the rep's).
 *
 * - criteria: per criterion in the rep's scores, their mean score and the team's;
 * - strengths: criteria where the rep averages at least 70% of the scale and no lower than the
 *   team (largest lead first), then "went well" points that recur in the stored per-call
 *   coaching of two or more calls (most calls first);
 * - focus areas: criteria below 60% of the scale or below the team (weakest first), then
 *   recurring "try next" points; with nothing recurring, the latest call's "try next" points.
 * Recurring points are grouped by their words with numbers ignored ("you spoke 72% of the time"
 * and "…70%…" are one theme) and shown in their newest wording. At most 5 of each.
 */
export function buildRepCoaching(
  repName: string,
  own: readonly AnalysedCall[],
  team: readonly AnalysedCall[],
): RepCoaching {
  const repCriteria = criterionStats(own);
  const teamCriteria = criterionStats(team);
  const rows = [...repCriteria].map(([criterionId, s]) => {
    const teamAverage = mean(teamCriteria.get(criterionId)?.scores ?? []);
    const average = mean(s.scores)!;
    return { criterionId, name: s.name, average, teamAverage, share: share(average, s), max: s.max };
  });
  const criterionLine = (r: (typeof rows)[number]) =>
    `${r.name}: ${r.average} of ${r.max} on average${r.teamAverage !== null ? ` (team ${r.teamAverage})` : ''}`;
  const strengths = rows
    .filter((r) => r.share >= STRONG && (r.teamAverage === null || r.average >= r.teamAverage))
    .sort((a, b) => b.average - (b.teamAverage ?? b.average) - (a.average - (a.teamAverage ?? a.average)))
    .map(criterionLine);
  const focusAreas = rows
    .filter((r) => r.share < WEAK || (r.teamAverage !== null && r.average < r.teamAverage))
    .sort((a, b) => a.share - b.share)
    .map(criterionLine);
  const wentWell = recurring(own.map((c) => c.coaching?.wentWell ?? []));
  const tryNext = recurring(own.map((c) => c.coaching?.tryNext ?? []));
  const latestTryNext = own.find((c) => c.coaching)?.coaching?.tryNext ?? [];
  return {
    repName,
    calls: own.length,
    averageScore: mean(own.flatMap((c) => (c.total === null ? [] : [c.total]))),
    criteria: rows.map(({ criterionId, name, average, teamAverage }) => ({
      criterionId,
      name,
      average,
      teamAverage,
    })),
    strengths: [...strengths, ...wentWell].slice(0, MAX_ITEMS),
    focusAreas: [...focusAreas, ...(tryNext.length > 0 ? tryNext : latestTryNext)].slice(0, MAX_ITEMS),
    recent: own.slice(0, REP_RECENT_LISTED).map((c) => ({
      callId: c.callId,
      title: c.title,
      score: c.total,
      createdAt: c.createdAt.toISOString(),
    })),
  };
}

type CriterionStats = { name: string; min: number; max: number; scores: number[] };

function criterionStats(calls: readonly AnalysedCall[]): Map<string, CriterionStats> {
  const stats = new Map<string, CriterionStats>();
  for (const call of calls) {
    for (const c of call.criteria as StoredCriterionScore[]) {
      const s = stats.get(c.criterionId) ?? { name: c.name, min: c.min, max: c.max, scores: [] };
      s.scores.push(c.score);
      stats.set(c.criterionId, s);
    }
  }
  return stats;
}

const share = (average: number, s: { min: number; max: number }) =>
  s.max > s.min ? (average - s.min) / (s.max - s.min) : 1;

/** Points made in two or more calls (each call counted once per theme), most calls first. */
export function recurring(perCall: readonly (readonly string[])[]): string[] {
  const themes = new Map<string, { text: string; calls: number; first: number }>();
  perCall.forEach((items, i) => {
    const seen = new Set<string>();
    for (const text of items) {
      const key = themeKey(text);
      if (!key || seen.has(key)) continue;
      seen.add(key);
      const theme = themes.get(key);
      if (theme) theme.calls++;
      else themes.set(key, { text: text.trim(), calls: 1, first: i });
    }
  });
  return [...themes.values()]
    .filter((t) => t.calls >= 2)
    .sort((a, b) => b.calls - a.calls || a.first - b.first)
    .map((t) => t.text);
}

const themeKey = (text: string) =>
  text
    .toLowerCase()
    .replace(/[\p{N}]+/gu, '#')
    .replace(/[^\p{L}#]+/gu, ' ')
    .trim();
