import type { FastifyRequest } from 'fastify';
import type { Config } from '../../platform/config.js';

/**
 * Which web pages may talk to an agent's widget API.
 *
 * Allowed: an Origin listed in the agent's allowedOrigins, any Origin when "*" is listed, and
 * this server's own origin (its demo page) — whether given as PUBLIC_URL or seen as the request's
 * own scheme and host. A request without Origin is allowed only when "*" is listed, except one
 * that comes from this server's own page: browsers omit Origin on same-origin GETs, so such a
 * request is recognised by `Sec-Fetch-Site: same-origin` or, where browsers send no fetch
 * metadata (plain http on a LAN address), by a Referer on this server's origin.
 *
 * The Origin check stops other websites' pages from using an agent; it is not authentication
 * (non-browser clients can send any header), which is why the publishable key is public.
 */
export type RequestOrigin = {
  /** The Origin header as sent, or null. */
  origin: string | null;
  /** The request comes from a page of this server itself. */
  own: boolean;
};

export function requestOrigin(request: FastifyRequest, config: Config): RequestOrigin {
  const header = request.headers.origin;
  const origin = typeof header === 'string' && header.length > 0 ? header : null;
  const own = new Set([`${request.protocol}://${request.host}`]);
  if (config.publicUrl) own.add(new URL(config.publicUrl).origin);
  if (origin !== null) return { origin, own: own.has(origin) };
  if (request.headers['sec-fetch-site'] === 'same-origin') return { origin, own: true };
  const referer = originOfUrl(request.headers.referer);
  return { origin, own: referer !== null && own.has(referer) };
}

function originOfUrl(url: string | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

export function isOriginAllowed(allowedOrigins: readonly string[], from: RequestOrigin): boolean {
  if (from.own || allowedOrigins.includes('*')) return true;
  return from.origin !== null && allowedOrigins.includes(from.origin);
}
