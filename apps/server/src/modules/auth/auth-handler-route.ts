import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ErrorCode, errorStatus, toProblem } from '../../platform/errors.js';
import { AUTH_BASE_PATH, type ConfidantAuth } from './better-auth.js';

/** Rate limits around one call to Better Auth (sign-in-limits.ts): check first, count the outcome after. */
export type SignInAttemptGuard = (
  request: FastifyRequest,
  reply: FastifyReply,
) => Promise<(status: number) => Promise<void>>;

/** Converts Node's incoming headers into Fetch Headers (repeated headers kept). */
export function toFetchHeaders(headers: FastifyRequest['headers']): Headers {
  const out = new Headers();
  for (const [key, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) out.append(key, v);
    else out.set(key, String(value));
  }
  return out;
}

function toFetchRequest(request: FastifyRequest): Request {
  const url = new URL(request.url, `${request.protocol}://${request.host || 'localhost'}`);
  const body = request.body;
  const hasBody =
    request.method !== 'GET' && request.method !== 'HEAD' && Buffer.isBuffer(body) && body.length > 0;
  const headers = toFetchHeaders(request.headers);
  // Better Auth takes the client IP (rate limits, session records) from X-Forwarded-For only.
  // Replace whatever the client sent with the address Fastify resolved (its trustProxy rules),
  // so the header cannot be spoofed to dodge the sign-in rate limit.
  headers.set('x-forwarded-for', request.ip);
  return new Request(url, {
    method: request.method,
    headers,
    ...(hasBody ? { body: new Uint8Array(body as Buffer) } : {}),
  });
}

const codeForStatus = (status: number): ErrorCode =>
  (Object.entries(errorStatus).find(([, s]) => s === status)?.[0] as ErrorCode | undefined) ??
  (status >= 500 ? 'internal' : 'bad_request');

/**
 * Sends Better Auth's Response through Fastify: status, every header (each Set-Cookie kept
 * separate — Headers would otherwise fold them into one line), body. Better Auth's own error
 * bodies (`{ code, message }`) become problem+json like every other error here, with Better
 * Auth's code kept as `authCode` so the console can tell e.g. a wrong password from a locked
 * account.
 */
async function sendFetchResponse(request: FastifyRequest, reply: FastifyReply, response: Response) {
  reply.status(response.status);
  for (const [key, value] of response.headers) {
    if (key === 'set-cookie' || key === 'content-length') continue;
    reply.header(key, value);
  }
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) reply.header('set-cookie', cookies);
  const text = response.body ? await response.text() : '';
  if (response.status >= 400) {
    let detail: { message?: unknown; code?: unknown } = {};
    try {
      detail = JSON.parse(text) as typeof detail;
    } catch {
      // Not JSON: keep the generic title.
    }
    const internal = response.status >= 500;
    if (internal) request.log.error({ status: response.status }, 'auth endpoint failed');
    const message = !internal && typeof detail.message === 'string' ? detail.message : undefined;
    const problem = {
      ...toProblem(
        new AppError(codeForStatus(response.status), message),
        String(request.id),
        request.url.split('?')[0],
      ),
      status: response.status,
      ...(!internal && typeof detail.code === 'string' ? { authCode: detail.code } : {}),
    };
    return reply.type('application/problem+json').send(problem);
  }
  return reply.send(text.length > 0 ? text : null);
}

/**
 * Mounts Better Auth at /api/auth/* (sign-up, sign-in, sign-out, session, two-factor …).
 * Registered OUTSIDE the org-auth hook: these routes establish the session that hook consumes.
 * The body is handed over raw: Better Auth parses and validates it itself. Not in the OpenAPI
 * document (Better Auth describes its own endpoints).
 */
export async function registerAuthHandler(
  app: FastifyInstance,
  auth: ConfidantAuth,
  beginAttempt: SignInAttemptGuard,
  /** Called after every POST (sign-out, revocations …): drops this process's cached sessions. */
  afterPost: () => void = () => {},
) {
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    scope.route({
      method: ['GET', 'POST'],
      url: `${AUTH_BASE_PATH}/*`,
      schema: { hide: true },
      handler: async (request, reply) => {
        const finishAttempt = await beginAttempt(request, reply);
        let response: Response;
        try {
          response = await auth.handler(toFetchRequest(request));
        } finally {
          if (request.method === 'POST') afterPost();
        }
        await finishAttempt(response.status);
        return sendFetchResponse(request, reply, response);
      },
    });
  });
}
