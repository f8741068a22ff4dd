import type { CallSegment } from '@confidant/contract';

/**
 * The transcript as a timeline every metric reads: segments sorted by start (then end, speaker,
 * index), so a metric never depends on the order the provider returned them in.
 */
export function sortedTimeline(segments: readonly CallSegment[]): CallSegment[] {
  return [...segments].sort(
    (a, b) =>
      a.start - b.start ||
      a.end - b.end ||
      (a.speaker < b.speaker ? -1 : a.speaker > b.speaker ? 1 : 0) ||
      a.index - b.index,
  );
}

/** A segment's length; a segment that ends before it starts (a provider glitch) counts 0. */
export const segmentSeconds = (s: Pick<CallSegment, 'start' | 'end'>) => Math.max(0, s.end - s.start);

/** The recording's length as the transcript knows it: the latest end (0 without segments). */
export const transcriptDuration = (segments: readonly CallSegment[]) =>
  segments.reduce((max, s) => Math.max(max, s.end), 0);

/** Rounds for the wire (seconds to centiseconds, shares to 4 places): no float noise in JSON. */
export const round = (value: number, places: number) => {
  const f = 10 ** places;
  return Math.round(value * f) / f;
};
