import type { CounterStore } from './counter-store.js';
import { allows, decide, type WindowCounts, windowPosition } from './sliding-window.js';

type Entry = { index: number; previous: number; current: number; windowMs: number };

/** Most keys kept; beyond it stale keys are swept, then the oldest dropped (memory stays bounded). */
const MAX_KEYS = 100_000;

/** Counters in this process: right for one server process (the default, embedded deployment). */
export function createMemoryCounterStore(now: () => number = Date.now): CounterStore {
  const entries = new Map<string, Entry>();

  const countsOf = (key: string, windowMs: number): { entry: Entry; counts: WindowCounts } => {
    const { index, elapsedMs } = windowPosition(now(), windowMs);
    let entry = entries.get(key);
    if (!entry || entry.windowMs !== windowMs || entry.index < index - 1) {
      entry = { index, previous: 0, current: 0, windowMs };
    } else if (entry.index === index - 1) {
      entry = { index, previous: entry.current, current: 0, windowMs };
    }
    return { entry, counts: { previous: entry.previous, current: entry.current, elapsedMs, windowMs } };
  };

  const remember = (key: string, entry: Entry) => {
    entries.delete(key);
    if (entries.size >= MAX_KEYS) sweep();
    entries.set(key, entry);
  };

  const sweep = () => {
    const at = now();
    for (const [key, entry] of entries) {
      if (entry.index < windowPosition(at, entry.windowMs).index - 1) entries.delete(key);
    }
    // Still full: drop the least recently touched tenth (Map order is insertion order).
    if (entries.size >= MAX_KEYS) {
      let drop = Math.ceil(MAX_KEYS / 10);
      for (const key of entries.keys()) {
        if (drop-- <= 0) break;
        entries.delete(key);
      }
    }
  };

  return {
    async hit(key, max, windowMs) {
      const { entry, counts } = countsOf(key, windowMs);
      const allowed = allows(counts, max);
      if (allowed) {
        entry.current += 1;
        counts.current += 1;
      }
      remember(key, entry);
      return { allowed, ...decide(counts, max, allowed) };
    },
    async peek(key, max, windowMs) {
      const { counts } = countsOf(key, windowMs);
      const allowed = allows(counts, max);
      return { allowed, ...decide(counts, max, allowed) };
    },
    async close() {
      entries.clear();
    },
  };
}
