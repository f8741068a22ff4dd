import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../deps.js';
import { AppError } from '../../platform/errors.js';
import { clientAddress, defineRateLimit, rateLimitContext } from '../../platform/http/rate-limit.js';

/** Failures an address may make at full speed before each further one is answered more slowly. */
const FAILURES_BEFORE_DELAY = 3;
const DELAY_STEP_MS = 250;
const MAX_DELAY_MS = 2000;

/**
 * Limits on the admin API (`/v1/*` but the widget):
 * - failed authentication per client address: after a few failures each 401 comes a little
 *   later (250 ms more per failure, at most 2 s), and once the window's failures are spent
 *   the address gets 429 without its credential being looked at;
 * - requests per caller: the API key id or the console user id (never the secret itself).
 */
export function createAdminRateLimits(app: FastifyInstance, deps: AppDeps) {
  const context = rateLimitContext(deps);
  const failures = defineRateLimit(app, context, {
    name: 'auth-failures-ip',
    rule: (l) => l.authFailuresPerIp,
    subject: clientAddress,
  });
  const perCaller = defineRateLimit(app, context, {
    name: 'admin-caller',
    rule: (l) => l.adminPerPrincipal,
    subject: (request) => {
      const p = request.principal;
      if (!p) return null;
      return p.type === 'api_key' ? `key:${p.keyId}` : `user:${p.userId}`;
    },
  });

  /** Runs `authenticate` under the failure limit, then counts the request for its caller. */
  return async function authenticateLimited(
    request: FastifyRequest,
    reply: FastifyReply,
    authenticate: (request: FastifyRequest) => Promise<void>,
  ): Promise<void> {
    await failures.refuseWhenSpent(request, reply);
    try {
      await authenticate(request);
    } catch (error) {
      if (error instanceof AppError && error.code === 'unauthorized') {
        const counted = await failures.recordFailure(request);
        const excess = counted - FAILURES_BEFORE_DELAY;
        if (excess > 0) await sleep(Math.min(excess * DELAY_STEP_MS, MAX_DELAY_MS));
      }
      throw error;
    }
    await perCaller.consume(request, reply);
  };
}
