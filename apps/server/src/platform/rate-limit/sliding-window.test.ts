import { describe, expect, it } from 'vitest';
import { createMemoryCounterStore } from './memory-counter-store.js';
import { estimate, msUntilAllowed } from './sliding-window.js';

const MINUTE = 60_000;

describe('sliding-window counters (in-process store, controlled clock)', () => {
  it('allows max hits per window, refuses the next without counting it', async () => {
    let now = 10 * MINUTE;
    const store = createMemoryCounterStore(() => now);
    for (let i = 1; i <= 3; i++)
      expect(await store.hit('k', 3, MINUTE)).toMatchObject({ allowed: true, count: i });
    const refused = await store.hit('k', 3, MINUTE);
    expect(refused).toMatchObject({ allowed: false, count: 4 });
    // Hammering while refused does not push the retry time further away.
    now += 1000;
    expect((await store.hit('k', 3, MINUTE)).ttlMs).toBeLessThan(refused.ttlMs);
    expect(await store.peek('k', 3, MINUTE)).toMatchObject({ allowed: false });
  });

  it('weighs the previous window by its overlap, so a boundary does not double the allowance', async () => {
    let now = 10 * MINUTE + 59_000;
    const store = createMemoryCounterStore(() => now);
    for (let i = 0; i < 4; i++) await store.hit('k', 4, MINUTE);
    now = 11 * MINUTE + 1000; // 2 s later, in the next fixed window: the old hits still weigh ~98%
    expect((await store.hit('k', 4, MINUTE)).allowed).toBe(false);
    now = 11 * MINUTE + 30_000; // half the previous window has slid out: two hits fit again
    expect((await store.hit('k', 4, MINUTE)).allowed).toBe(true);
    expect((await store.hit('k', 4, MINUTE)).allowed).toBe(true);
    expect((await store.hit('k', 4, MINUTE)).allowed).toBe(false);
  });

  it('keeps keys and window sizes apart', async () => {
    const store = createMemoryCounterStore(() => 0);
    await store.hit('a', 1, MINUTE);
    expect((await store.hit('b', 1, MINUTE)).allowed).toBe(true);
    expect((await store.hit('a', 1, MINUTE)).allowed).toBe(false);
  });

  it('says when the next hit fits', () => {
    const counts = { previous: 10, current: 0, elapsedMs: 0, windowMs: MINUTE };
    const wait = msUntilAllowed(counts, 5);
    const later = { ...counts, elapsedMs: wait };
    expect(estimate(later) + 1).toBeLessThanOrEqual(5);
    expect(estimate({ ...counts, elapsedMs: wait - 100 }) + 1).toBeGreaterThan(5);
    // The current window alone is over: it must fade after becoming the previous one.
    const full = { previous: 0, current: 6, elapsedMs: 30_000, windowMs: MINUTE };
    expect(msUntilAllowed(full, 5)).toBeGreaterThan(30_000);
  });
});
