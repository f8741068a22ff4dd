import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { FastifyRequest } from 'fastify';
import type { Config } from '../../platform/config.js';

/**
 * Which web pages may talk to an agent's widget API.
 *
 * Allowed: an Origin listed in the agent's allowedOrigins, any Origin when "*" is listed, and
 * this server's own origin (its demo page): PUBLIC_URL's origin when set, otherwise the address
 * the server listens on (see ownOrigins) — never the Host header, which the client chooses (a
 * page on evil.example whose DNS points at this server would otherwise count as "own"). A request without Origin is allowed only when "*" is listed, except one
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
  const own = ownOrigins(config, request.server.server.address());
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

/**
 * The origins of this server's own pages. With PUBLIC_URL, exactly its origin (deployments behind
 * a proxy must set it). Without it, http on the listening port at the listening address; a
 * loopback listener also answers as localhost, and a wildcard listener (0.0.0.0, ::) at every
 * local interface address.
 */
export function ownOrigins(config: Config, listening: AddressInfo | string | null): Set<string> {
  if (config.publicUrl) return new Set([new URL(config.publicUrl).origin]);
  if (listening === null || typeof listening === 'string') return new Set();
  const hosts = new Set<string>();
  const wildcard = listening.address === '0.0.0.0' || listening.address === '::';
  const addresses = wildcard
    ? Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((i) => i.address))
    : [listening.address];
  for (const address of addresses) {
    hosts.add(address.includes(':') ? `[${address}]` : address);
    if (address === '127.0.0.1' || address === '::1') hosts.add('localhost');
  }
  const port = listening.port === 80 ? '' : `:${listening.port}`;
  return new Set([...hosts].map((host) => `http://${host}${port}`));
}
