import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../deps.js';
import { clientAddress, defineRateLimit, rateLimitContext } from '../../platform/http/rate-limit.js';
import { AUTH_BASE_PATH } from './better-auth.js';

/** Better Auth endpoints that take a credential or a one-time code: the ones worth guessing at. */
const CREDENTIAL_PATH = new RegExp(
  `^${AUTH_BASE_PATH}/(sign-in/|sign-up/|two-factor/verify-|request-password-reset|forget-password|reset-password)`,
);
const SIGN_IN_EMAIL_PATH = `${AUTH_BASE_PATH}/sign-in/email`;
const MAX_EMAIL_LENGTH = 320;

/** Better Auth's answers to a wrong email/password (401) or a refused account (403). */
const isFailedSignIn = (status: number) => status === 401 || status === 403;

/** The account a sign-in names: its email, normalised (trimmed, NFKC, lower case), or null. */
function signInAccount(request: FastifyRequest): string | null {
  const body = request.body;
  if (!Buffer.isBuffer(body) || body.length === 0 || body.length > 64 * 1024) return null;
  try {
    const email = (JSON.parse(body.toString('utf8')) as { email?: unknown } | null)?.email;
    if (typeof email !== 'string') return null;
    const normalised = email.trim().normalize('NFKC').toLowerCase();
    return normalised.length > 0 && normalised.length <= MAX_EMAIL_LENGTH ? normalised : null;
  } catch {
    return null;
  }
}

const path = (request: FastifyRequest) => request.url.split('?')[0] ?? '';

/**
 * Limits on console sign-in, replacing Better Auth's own limiter (which is per process and on
 * only in production) with ours: the same store, the same 429 everywhere.
 *
 * 1. Per client address, every attempt at a credential endpoint (sign-in, sign-up, two-factor
 *    codes, password reset) counts.
 * 2. Per account (the email, normalised, kept only as a keyed hash), failed sign-ins count
 *    twice: per account and address (strict), and per account from anywhere (generous).
 *    - An address that spent its failures for an account is refused for that account.
 *    - Once the account's failures from everywhere are spent (a distributed guess), only the
 *      addresses that themselves failed for it are refused: the owner signing in from an
 *      address that made no mistake still gets in, so no attacker can lock a user out, and
 *      the attacker's every new address buys at most one more guess.
 *    Successful sign-ins count nothing per account.
 */
export function createSignInLimits(app: FastifyInstance, deps: AppDeps) {
  const context = rateLimitContext(deps);
  const isCredentialAttempt = (request: FastifyRequest) =>
    request.method === 'POST' && CREDENTIAL_PATH.test(path(request));
  const accountOf = (request: FastifyRequest) =>
    request.method === 'POST' && path(request) === SIGN_IN_EMAIL_PATH ? signInAccount(request) : null;

  const perIp = defineRateLimit(app, context, {
    name: 'sign-in-ip',
    rule: (l) => l.signInPerIp,
    subject: (request) => (isCredentialAttempt(request) ? clientAddress(request) : null),
  });
  const perAccount = defineRateLimit(app, context, {
    name: 'sign-in-failures-account',
    rule: (l) => l.signInFailuresPerAccount,
    subject: accountOf,
  });
  const perAccountAndIp = defineRateLimit(app, context, {
    name: 'sign-in-failures-account-ip',
    rule: (l) => l.signInFailuresPerAccountAndIp,
    subject: (request) => {
      const account = accountOf(request);
      return account === null ? null : `${account}\0${clientAddress(request)}`;
    },
  });

  /**
   * Checks the request before Better Auth sees it (throws a 429 when limited); the returned
   * function counts the outcome once Better Auth has answered.
   */
  return async function beginAttempt(
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<(status: number) => Promise<void>> {
    await perIp.consume(request, reply);
    const { used: failedHere } = await perAccountAndIp.refuseWhenSpent(request, reply);
    if (failedHere > 0) await perAccount.refuseWhenSpent(request, reply);
    return async (status) => {
      if (!isFailedSignIn(status)) return;
      await perAccountAndIp.recordFailure(request);
      await perAccount.recordFailure(request);
    };
  };
}
