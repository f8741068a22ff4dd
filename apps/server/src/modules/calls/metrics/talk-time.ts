import type { CallSegment } from '@confidant/contract';

/**
 * How long each speaker talked: the union of their segments' intervals, so a provider that
 * returns overlapping segments of one speaker (split sentences) does not count a second twice.
 * Overlap between DIFFERENT speakers counts for both (both were talking).
 */
export function talkSecondsBySpeaker(segments: readonly CallSegment[]): Map<string, number> {
  const intervals = new Map<string, [number, number][]>();
  for (const s of segments) {
    if (!(s.end > s.start)) continue;
    const list = intervals.get(s.speaker) ?? [];
    list.push([s.start, s.end]);
    intervals.set(s.speaker, list);
  }
  const talk = new Map<string, number>();
  for (const s of segments) if (!talk.has(s.speaker)) talk.set(s.speaker, 0);
  for (const [speaker, list] of intervals) talk.set(speaker, unionLength(list));
  return talk;
}

function unionLength(list: [number, number][]): number {
  const sorted = [...list].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let total = 0;
  let [from, to] = sorted[0]!;
  for (const [start, end] of sorted.slice(1)) {
    if (start <= to) {
      to = Math.max(to, end);
    } else {
      total += to - from;
      from = start;
      to = end;
    }
  }
  return total + (to - from);
}

/** Each speaker's share of all talk time (0..1, summing to 1 when anyone talked; else all 0). */
export function talkShares(talk: ReadonlyMap<string, number>): Map<string, number> {
  const total = [...talk.values()].reduce((a, b) => a + b, 0);
  return new Map([...talk].map(([speaker, seconds]) => [speaker, total > 0 ? seconds / total : 0]));
}
