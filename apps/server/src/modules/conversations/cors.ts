import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ZodApp } from '../../platform/http/types.js';
import type { RequestOrigin } from './origin.js';

/**
 * CORS for /v1/widget/*: preflights are answered for any origin (they carry no body and no agent
 * key, so the real check happens on the actual request); actual responses carry
 * Access-Control-Allow-Origin — echoing the Origin — only after a handler found that origin
 * allowed for the agent concerned. Credentials are never allowed: the widget uses no cookies.
 */
const allowed = new WeakMap<FastifyRequest, string>();

/** Marks this request's Origin as allowed, so its response (success or problem) is readable there. */
export function allowOrigin(request: FastifyRequest, from: RequestOrigin): void {
  if (from.origin !== null) allowed.set(request, from.origin);
}

function addVaryOrigin(reply: FastifyReply) {
  const vary = reply.getHeader('vary');
  const current = Array.isArray(vary) ? vary.join(', ') : vary === undefined ? '' : String(vary);
  if (!/(^|,)\s*origin\s*(,|$)/i.test(current))
    reply.header('vary', current ? `${current}, Origin` : 'Origin');
}

/** Registers the preflight route and the response hook. Call inside the widget plugin only. */
export function registerWidgetCors(app: ZodApp): void {
  app.options('/v1/widget/*', { schema: { hide: true } }, async (request, reply) => {
    const origin = request.headers.origin;
    if (typeof origin === 'string' && origin.length > 0) reply.header('access-control-allow-origin', origin);
    return reply
      .header('access-control-allow-methods', 'GET, POST, OPTIONS')
      .header('access-control-allow-headers', 'content-type, authorization')
      .header('access-control-max-age', '600')
      .status(204)
      .send();
  });

  app.addHook('onSend', async (request, reply, payload) => {
    addVaryOrigin(reply);
    const origin = allowed.get(request);
    if (origin !== undefined) reply.header('access-control-allow-origin', origin);
    return payload;
  });
}
