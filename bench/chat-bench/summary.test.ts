import { describe, expect, it } from 'vitest';
import { latencySummary } from '../retrieval-bench/stats.js';
import { overheadOf, passes } from './summary.js';

/** The chat bench's arithmetic (the bench itself is `npm run bench:chat`, never part of the tests). */
describe('chat bench summary', () => {
  it('overhead is Confidant’s first token minus the model server’s own, per percentile', () => {
    const direct = latencySummary([1, 1, 2, 2, 3]);
    const through = latencySummary([4, 5, 6, 7, 30]);
    expect(overheadOf(direct, through)).toEqual({ p50Ms: 4, p95Ms: 27, p99Ms: 27 });
  });

  it('a rate is sustained only with every message answered, none skipped, and p99 under a second', () => {
    const ok = { errors: 0, skipped: 0, completed: 10, wholeAnswer: latencySummary([100, 200, 999]) };
    expect(passes(ok)).toBe(true);
    expect(passes({ ...ok, wholeAnswer: latencySummary([100, 1000]) })).toBe(false);
    expect(passes({ ...ok, errors: 1 })).toBe(false);
    expect(passes({ ...ok, skipped: 1 })).toBe(false);
    expect(passes({ ...ok, completed: 0 })).toBe(false);
  });
});
