/**
 * An in-memory circuit breaker per org and provider: after FAILURE_THRESHOLD consecutive
 * failures a provider is skipped for COOL_DOWN_MS, so visitors do not each wait for a timeout
 * from a provider that is down; the next call after the cool-down tries it again (one success
 * closes the circuit). Per process: each server instance learns on its own, which is enough to
 * spare visitors the wait and needs no shared state.
 */
export type CircuitBreaker = {
  /** Whether calls to this provider should be skipped now. */
  isOpen(key: string): boolean;
  recordSuccess(key: string): void;
  recordFailure(key: string): void;
};

export const FAILURE_THRESHOLD = 3;
export const COOL_DOWN_MS = 60_000;

export function createCircuitBreaker(
  options: { threshold?: number; coolDownMs?: number; now?: () => number } = {},
): CircuitBreaker {
  const threshold = options.threshold ?? FAILURE_THRESHOLD;
  const coolDownMs = options.coolDownMs ?? COOL_DOWN_MS;
  const now = options.now ?? Date.now;
  const state = new Map<string, { failures: number; openUntil: number }>();
  return {
    isOpen(key) {
      const s = state.get(key);
      return s !== undefined && s.openUntil > now();
    },
    recordSuccess(key) {
      state.delete(key);
    },
    recordFailure(key) {
      const s = state.get(key) ?? { failures: 0, openUntil: 0 };
      s.failures += 1;
      if (s.failures >= threshold) {
        s.openUntil = now() + coolDownMs;
        s.failures = 0;
      }
      state.set(key, s);
    },
  };
}

/** The breaker's key: an org's provider (the same endpoint of two orgs fails or not per key). */
export const circuitKey = (orgId: string, providerKey: string) => `${orgId}\u0000${providerKey}`;

/** The server's breaker for model providers (one per process). */
export const providerCircuits = createCircuitBreaker();
