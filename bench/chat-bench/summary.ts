import type { LatencySummary } from '../retrieval-bench/stats.js';

/**
 * Pure helpers of the chat bench (smoke-tested in summary.test.ts): what Confidant adds to the
 * model's time to first token, and whether a rate was sustained.
 */
export const SUSTAINED_P99_MS = 1000;

/** Percentile by percentile: Confidant's TTFT minus the model server's own, measured at one rate. */
export function overheadOf(direct: LatencySummary, through: LatencySummary) {
  const d = (a: number, b: number) => Math.round((a - b) * 100) / 100;
  return {
    p50Ms: d(through.p50Ms, direct.p50Ms),
    p95Ms: d(through.p95Ms, direct.p95Ms),
    p99Ms: d(through.p99Ms, direct.p99Ms),
  };
}

/** A rate is sustained when every message was sent and answered and the p99 answer took < 1 s. */
export function passes(step: {
  errors: number;
  skipped: number;
  completed: number;
  wholeAnswer: LatencySummary;
}) {
  return (
    step.errors === 0 && step.skipped === 0 && step.completed > 0 && step.wholeAnswer.p99Ms < SUSTAINED_P99_MS
  );
}
