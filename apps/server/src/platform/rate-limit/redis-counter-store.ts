import type { Redis } from 'ioredis';
import type { CounterStore } from './counter-store.js';
import { decide, type WindowCounts, windowPosition } from './sliding-window.js';

/**
 * Counts one hit in the current fixed window when the sliding estimate allows it, atomically.
 * KEYS: previous window's counter, current window's counter. ARGV: max, window ms, elapsed ms,
 * count (1 = hit, 0 = peek). Returns {previous, current (after the hit), allowed}. Counters
 * expire after two windows, when they can no longer weigh on any estimate.
 */
const SCRIPT = `
local previous = tonumber(redis.call('GET', KEYS[1]) or '0')
local current = tonumber(redis.call('GET', KEYS[2]) or '0')
local max = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local elapsed = tonumber(ARGV[3])
local allowed = previous * (window - elapsed) / window + current + 1 <= max
if allowed and ARGV[4] == '1' then
  current = redis.call('INCR', KEYS[2])
  redis.call('PEXPIRE', KEYS[2], window * 2)
end
return {previous, current, allowed and 1 or 0}
`;

type SlidingWindowRedis = Redis & {
  confidantSlidingWindow(
    previousKey: string,
    currentKey: string,
    max: number,
    windowMs: number,
    elapsedMs: number,
    count: 0 | 1,
  ): Promise<[number, number, number]>;
};

/**
 * Counters in Redis, shared by every server process. The window position comes from this
 * process's clock (servers are expected to run NTP; a skew of milliseconds moves nothing that
 * matters) so both keys can be named up front, as Redis Cluster requires.
 */
export function createRedisCounterStore(
  redis: Redis,
  keyPrefix: string,
  now: () => number = Date.now,
): CounterStore {
  if (!('confidantSlidingWindow' in redis)) {
    redis.defineCommand('confidantSlidingWindow', { numberOfKeys: 2, lua: SCRIPT });
  }
  const client = redis as SlidingWindowRedis;

  const run = async (key: string, max: number, windowMs: number, count: 0 | 1) => {
    const { index, elapsedMs } = windowPosition(now(), windowMs);
    // One hash tag per limiter key keeps both windows in the same Cluster slot.
    const base = `${keyPrefix}rl:{${key}}:${windowMs}:`;
    const [previous, current, allowedFlag] = await client.confidantSlidingWindow(
      `${base}${index - 1}`,
      `${base}${index}`,
      max,
      windowMs,
      elapsedMs,
      count,
    );
    const counts: WindowCounts = { previous, current, elapsedMs, windowMs };
    const allowed = allowedFlag === 1;
    return { allowed, ...decide(counts, max, allowed) };
  };

  return {
    hit: (key, max, windowMs) => run(key, max, windowMs, 1),
    peek: (key, max, windowMs) => run(key, max, windowMs, 0),
    async close() {
      // The store owns its connection: quit lets pending replies arrive, disconnect if that fails.
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
