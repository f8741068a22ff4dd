/**
 * When a failed delivery is tried again: exponential-ish backoff over about two and a half days
 * (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, 14 h, 20 h), each delay with ±10 % jitter so many
 * endpoints failing together do not retry in lockstep. After the last, the delivery has failed.
 * An endpoint failing continuously for five days (across its deliveries) is disabled.
 */
export const RETRY_DELAYS_MS = [
  5_000,
  5 * 60_000,
  30 * 60_000,
  2 * 3_600_000,
  5 * 3_600_000,
  10 * 3_600_000,
  10 * 3_600_000,
  14 * 3_600_000,
  20 * 3_600_000,
] as const;

export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;
export const DISABLE_AFTER_FAILING_MS = 5 * 24 * 3_600_000;
/** How long the previous secret stays valid after a rotation (deliveries carry both signatures). */
export const ROTATION_OVERLAP_MS = 24 * 3_600_000;
export const JITTER = 0.1;

/** The next attempt after `attempts` failed ones, or null when there is none left. */
export function nextAttemptAfter(
  attempts: number,
  now: Date,
  random: () => number = Math.random,
): Date | null {
  const base = RETRY_DELAYS_MS[attempts - 1];
  if (base === undefined) return null;
  const factor = 1 - JITTER + 2 * JITTER * random();
  return new Date(now.getTime() + Math.round(base * factor));
}
