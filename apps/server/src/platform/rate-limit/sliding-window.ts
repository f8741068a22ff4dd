/**
 * Sliding-window counting, approximated from two fixed windows (the one now running and the one
 * before it): the previous window's count is weighted by how much of it still overlaps the
 * sliding window. This is the estimate Cloudflare and Redis' own docs describe; it never lets a
 * client double its allowance at a window boundary, as plain fixed windows do, and it costs two
 * counters per key.
 *
 * Invariant shared by both stores: a hit is counted only when it is allowed, so a client that
 * keeps hammering while refused does not push its own Retry-After further away.
 */

/** The two counters of one key at one instant. */
export type WindowCounts = { previous: number; current: number; elapsedMs: number; windowMs: number };

export type WindowDecision = {
  /** The sliding-window estimate after this hit (above `max` when refused). */
  count: number;
  /** Milliseconds until another hit would be allowed (refused) or until this window ends (allowed). */
  ttlMs: number;
};

/** Index of the fixed window `now` falls in, and how far into it we are. */
export function windowPosition(nowMs: number, windowMs: number): { index: number; elapsedMs: number } {
  const index = Math.floor(nowMs / windowMs);
  return { index, elapsedMs: nowMs - index * windowMs };
}

export function estimate({ previous, current, elapsedMs, windowMs }: WindowCounts): number {
  return (previous * (windowMs - elapsedMs)) / windowMs + current;
}

/** True when one more hit keeps the estimate within `max`. */
export function allows(counts: WindowCounts, max: number): boolean {
  return estimate(counts) + 1 <= max;
}

/**
 * How long until the estimate falls to `max - 1` (one more hit fits), assuming no further hits:
 * first the previous window's weight fades; if the current window alone is too full, its count
 * must fade in turn once it becomes the previous window.
 */
export function msUntilAllowed(counts: WindowCounts, max: number): number {
  const { previous, current, elapsedMs, windowMs } = counts;
  const room = max - 1;
  let ms: number;
  if (current <= room) {
    ms = previous === 0 ? 0 : windowMs * (1 - (room - current) / previous) - elapsedMs;
  } else {
    ms = windowMs - elapsedMs + windowMs * (1 - room / current);
  }
  return Math.max(1, Math.ceil(ms));
}

/** The answer both stores give after deciding (counts are those after an allowed hit). */
export function decide(counts: WindowCounts, max: number, allowed: boolean): WindowDecision {
  if (!allowed) return { count: max + 1, ttlMs: msUntilAllowed(counts, max) };
  return { count: Math.ceil(estimate(counts)), ttlMs: counts.windowMs - counts.elapsedMs };
}
