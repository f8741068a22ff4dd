/**
 * At most one "typing" event per person and conversation per window: a client may call on
 * every keystroke; the visitor still sees a steady indicator and the outbox is not flooded.
 * Per process (a client sticks to one process for its requests' burst, and a few extra events
 * across processes are harmless).
 */
export const TYPING_WINDOW_MS = 2_000;

export function createTypingThrottle(windowMs = TYPING_WINDOW_MS) {
  const last = new Map<string, number>();
  return {
    /** True when this key may send now (and records it). */
    allow(key: string, now = Date.now()): boolean {
      const previous = last.get(key);
      if (previous !== undefined && now - previous < windowMs) return false;
      last.set(key, now);
      if (last.size > 10_000) {
        for (const [k, t] of last) if (now - t >= windowMs) last.delete(k);
      }
      return true;
    },
  };
}
