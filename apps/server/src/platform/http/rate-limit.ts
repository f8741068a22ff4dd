import rateLimitPlugin, { normalizeIP } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { RateLimits, RateRule } from '../config.js';
import { AppError } from '../errors.js';
import type { CounterStore } from '../rate-limit/counter-store.js';
import { limitKey } from '../rate-limit/limit-key.js';

/**
 * Rate limiting for every surface a stranger can reach. @fastify/rate-limit does the plumbing
 * (its `createRateLimit` limiter, store interface and error tolerance); the counters are our
 * sliding windows (platform/rate-limit/), in this process or in Redis. Each surface defines its
 * limits beside its routes with `defineRateLimit` and calls them where it knows what to count
 * (an address, a key id, a conversation, an account). A refused request is a 429
 * problem+json with Retry-After and the IETF draft RateLimit-Limit/-Remaining/-Reset headers.
 *
 * With CONFIDANT_RATE_LIMIT=off (`config.rateLimits` null) nothing is registered and every
 * limiter lets everything through.
 */

export type RateLimitContext = {
  /** Null when rate limiting is off. */
  limits: RateLimits | null;
  counters: CounterStore;
  /** HMAC key for counter keys (derived from the master key): no plain identifier is stored. */
  keySecret: Buffer;
  log: Logger;
};

export type RateLimiter = {
  /** Counts this request; throws a 429 when it does not fit. Does nothing when `subject` is null. */
  consume(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  /**
   * For limits that count failures: throws a 429 when no failure is left, counting nothing.
   * Returns how many failures the window holds (0 when nothing is counted for this request).
   */
  refuseWhenSpent(request: FastifyRequest, reply: FastifyReply): Promise<{ used: number }>;
  /** Counts one failure; returns how many the window holds now. */
  recordFailure(request: FastifyRequest): Promise<number>;
};

export type LimitDefinition = {
  /** Stable name, part of the counter key (e.g. `widget-config-ip`). */
  name: string;
  rule: (limits: RateLimits) => RateRule;
  /** What is counted for this request (an address, an id…), or null to count nothing. */
  subject: (request: FastifyRequest) => string | null;
};

/** The client address as counted: IPv6 clients by their /64, IPv4-mapped addresses as IPv4. */
export const clientAddress = (request: FastifyRequest): string => normalizeIP(request.ip);

const off: RateLimiter = {
  consume: async () => {},
  refuseWhenSpent: async () => ({ used: 0 }),
  recordFailure: async () => 0,
};

/** Registers @fastify/rate-limit (no global limit: each surface asks for its own). */
export async function registerRateLimiting(app: FastifyInstance, context: RateLimitContext): Promise<void> {
  if (!context.limits) return;
  const { counters, log } = context;
  const reportStoreError = (error: unknown) =>
    // Fails open (skipOnError): an unreachable Redis must not take sign-in and the widget down.
    log.error({ error: error instanceof Error ? error.message : String(error) }, 'rate-limit store failed');
  type Callback = (error: Error | null, result?: { current: number; ttl: number }) => void;
  const adapt =
    (method: 'hit' | 'peek') => (key: string, callback: Callback, timeWindow: number, max: number) => {
      counters[method](key, max, timeWindow).then(
        (decision) => callback(null, { current: decision.count, ttl: decision.ttlMs }),
        (error: unknown) => {
          reportStoreError(error);
          callback(error instanceof Error ? error : new Error(String(error)));
        },
      );
    };
  class SlidingWindowStore {
    incr = adapt('hit');
    read = adapt('peek');
    // Every limiter's keys already carry its name: children share the one store.
    child() {
      return this;
    }
  }
  await app.register(rateLimitPlugin, {
    global: false,
    enableDraftSpec: true,
    skipOnError: true,
    store: SlidingWindowStore,
  });
}

type LimitResult = { max: number; remaining: number; ttlInSeconds: number; isExceeded: boolean };

function setHeaders(reply: FastifyReply, result: LimitResult, refused: boolean) {
  if (!refused) {
    // Several limits may apply to one request: the response shows the tightest.
    const shown = Number(reply.getHeader('ratelimit-remaining'));
    if (Number.isFinite(shown) && shown <= result.remaining) return;
  }
  reply.header('ratelimit-limit', result.max);
  reply.header('ratelimit-remaining', refused ? 0 : result.remaining);
  reply.header('ratelimit-reset', result.ttlInSeconds);
  if (refused) reply.header('retry-after', result.ttlInSeconds);
}

const tooMany = (seconds: number) =>
  new AppError('rate_limited', `Too many requests; retry in ${seconds} second${seconds === 1 ? '' : 's'}`);

/** A limiter for one surface; call inside the scope the plugin was registered in (or below it). */
export function defineRateLimit(
  app: FastifyInstance,
  context: RateLimitContext,
  definition: LimitDefinition,
): RateLimiter {
  if (!context.limits) return off;
  const rule = definition.rule(context.limits);
  // The key is computed once per call (subjects may parse a body) and handed to the plugin here.
  const keys = new WeakMap<FastifyRequest, string>();
  const check = app.createRateLimit({
    max: rule.max,
    timeWindow: rule.windowMs,
    keyGenerator: (request) => keys.get(request) ?? '',
  });
  const run = async (request: FastifyRequest, increment: boolean): Promise<LimitResult | null> => {
    const subject = definition.subject(request);
    if (subject === null) return null;
    keys.set(request, limitKey(context.keySecret, definition.name, subject));
    const result = await check(request, { increment });
    return result.isAllowed ? null : result;
  };

  return {
    async consume(request, reply) {
      const result = await run(request, true);
      if (!result) return;
      setHeaders(reply, result, result.isExceeded);
      if (result.isExceeded) throw tooMany(result.ttlInSeconds);
    },
    async refuseWhenSpent(request, reply) {
      const result = await run(request, false);
      if (!result) return { used: 0 };
      if (result.remaining === 0) {
        setHeaders(reply, result, true);
        throw tooMany(result.ttlInSeconds);
      }
      return { used: result.max - result.remaining };
    },
    async recordFailure(request) {
      const result = await run(request, true);
      return result ? result.max - result.remaining : 0;
    },
  };
}

/** The context from the app's dependencies (structural: platform code does not import deps.ts). */
export function rateLimitContext(deps: {
  config: { rateLimits: RateLimits | null };
  rateLimitCounters: CounterStore;
  keyring: { derive(purpose: string): Buffer };
  log: Logger;
}): RateLimitContext {
  return {
    limits: deps.config.rateLimits,
    counters: deps.rateLimitCounters,
    keySecret: deps.keyring.derive('rate-limit-keys'),
    log: deps.log,
  };
}
