import type { CallSegment } from '@confidant/contract';
import { sortedTimeline } from './timeline.js';

/**
 * A pause of at most this long between two segments of the same speaker, with nobody else
 * speaking in between, does not end their monologue (a breath, a transcriber splitting a turn).
 */
export const MONOLOGUE_MAX_GAP_SECONDS = 1.5;

export type Monologue = { speaker: string; start: number; end: number; seconds: number };

/**
 * Monologues: runs of consecutive segments (in time order) of one speaker, merged across gaps
 * of at most MONOLOGUE_MAX_GAP_SECONDS. Any segment of another speaker ends the run, even one
 * that overlaps it (an interruption ends a monologue). A run's length is its last end minus its
 * first start.
 */
export function monologues(segments: readonly CallSegment[]): Monologue[] {
  const runs: Monologue[] = [];
  let run: Monologue | null = null;
  for (const s of sortedTimeline(segments)) {
    if (run && s.speaker === run.speaker && s.start - run.end <= MONOLOGUE_MAX_GAP_SECONDS) {
      run.end = Math.max(run.end, s.end);
    } else {
      if (run) runs.push(run);
      run = { speaker: s.speaker, start: s.start, end: Math.max(s.start, s.end), seconds: 0 };
    }
  }
  if (run) runs.push(run);
  return runs.map((r) => ({ ...r, seconds: r.end - r.start }));
}

/** The longest monologue (the earliest of equally long ones), or null without segments. */
export function longestMonologue(runs: readonly Monologue[]): Monologue | null {
  let best: Monologue | null = null;
  for (const r of runs) if (!best || r.seconds > best.seconds) best = r;
  return best;
}
