import { Negotiator } from '@fastify/accept-negotiator';
import type { FastifyRequest } from 'fastify';

/** The content codings a precompressed static file may be stored in, best first. */
export const encodings = ['br', 'gzip', 'identity'] as const;
export type Encoding = (typeof encodings)[number];

const encodingNegotiator = new Negotiator({ supportedValues: [...encodings], cache: new Map() });

/**
 * The best coding the client accepts (br, then gzip), identity when it accepts neither.
 * Responses chosen this way must carry `Vary: Accept-Encoding`.
 */
export function chooseEncoding(request: FastifyRequest): Encoding {
  const header = request.headers['accept-encoding'];
  if (typeof header !== 'string' || header.length === 0) return 'identity';
  return (encodingNegotiator.negotiate(header) as Encoding | null) ?? 'identity';
}

/** If-None-Match may list several tags (or *); any one matching the chosen coding's tag is a hit. */
export function matchesEtag(request: FastifyRequest, etag: string): boolean {
  const header = request.headers['if-none-match'];
  if (typeof header !== 'string') return false;
  return header
    .split(',')
    .map((t) => t.trim().replace(/^W\//, ''))
    .some((t) => t === etag || t === '*');
}
