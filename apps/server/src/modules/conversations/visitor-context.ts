import type { FastifyRequest } from 'fastify';

/**
 * What the operator's side panel shows about where a chat started, reduced to what helps answer
 * and nothing that identifies the visitor: the page as origin and path only (a query string or
 * fragment may carry an email address, an order token or a session id), and the first language
 * of Accept-Language. No user agent, no IP address: neither helps an operator answer, and both
 * help to fingerprint.
 */
export type VisitorContext = { pageUrl: string | null; language: string | null };

const MAX_PAGE_URL = 2048;
const languageTag = /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8}){0,3}$/;

/**
 * The page's origin and path, or null: not http(s), too long, or not on the origin the request
 * came from (a page the widget is not on is not where the visitor was).
 */
export function pageOf(page: string | undefined, requestOrigin: string | null): string | null {
  if (!page) return null;
  let url: URL;
  try {
    url = new URL(page);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (requestOrigin !== null && url.origin !== requestOrigin) return null;
  const clean = `${url.origin}${url.pathname}`;
  return clean.length <= MAX_PAGE_URL ? clean : null;
}

/** The visitor's first preferred language from Accept-Language (e.g. "de-CH"), or null. */
export function languageOf(request: FastifyRequest): string | null {
  const header = request.headers['accept-language'];
  if (typeof header !== 'string') return null;
  const first = header.split(',')[0]?.split(';')[0]?.trim() ?? '';
  return first !== '*' && languageTag.test(first) ? first : null;
}

export function visitorContextOf(
  request: FastifyRequest,
  page: string | undefined,
  requestOrigin: string | null,
): VisitorContext {
  return { pageUrl: pageOf(page, requestOrigin), language: languageOf(request) };
}
