/**
 * Website crawling for URL knowledge sources.
 *
 * `crawlSite` fetches the pages of one site (same origin as the start URL, or the origin the
 * start URL itself redirects to), honouring robots.txt for "ConfidantBot", reading sitemaps and
 * following links breadth-first within the depth and page limits, and reports each page through
 * `onPage`, awaited one at a time per worker. Every request goes through platform/net/safe-fetch.ts,
 * which refuses private and reserved addresses (unless `allowPrivateNetworks`) and cloud
 * metadata addresses (always) on every redirect hop.
 *
 * Contract for the caller (the ingestion pipeline):
 * - `indexed`: `markdown` holds the page's main text (boilerplate removed, headings kept) and
 *   `contentHash` its SHA-256; index it under `url`, titled `title` when present.
 * - `not_modified`: the page is the same as last time, either because the server answered
 *   304 to our If-None-Match / If-Modified-Since (then `title` is null: keep the stored one) or
 *   because its text hashes to `previous.contentHash`. There is NO `markdown`: keep (copy) the
 *   chunks the previous version holds for this `url`. Store the returned validators.
 * - `skipped`: fetched but not indexable (not HTML, noindex, no text, redirects off-site);
 *   `error` says why. `failed`: could not be fetched (HTTP error, timeout, too large); `error`
 *   says why. Neither has markdown; the page's old chunks should go.
 * - URLs that robots.txt disallows, off-site links and non-HTML extensions are never fetched
 *   and never reported.
 * - `previous` is keyed by the `url` values this function reported last time (knowledge_pages.url).
 * - `etag` / `lastModified` are what to send next time (the new ones, or the previous ones when
 *   a 304 did not repeat them).
 * - Throws CrawlError (message for the user) when the start URL is refused by the address policy,
 *   cannot be fetched or is disallowed by robots.txt, when robots.txt is unreachable (RFC 9309:
 *   assume complete disallow), or when no page ended indexed or not_modified. Throws the abort
 *   reason when `signal` aborts, and whatever `onPage` throws; `onPage` is never called after
 *   crawlSite has settled.
 *
 * Pass `...crawlSettings(config)` for the operator's politeness and size limits, and
 * `crawlOptionsFor(source.options, config)` for the source's limits within the operator's.
 */

export { FetchError, FetchRefusedError } from '../../../../platform/net/outbound-policy.js';
export { crawlOptionsFor, crawlSettings } from './crawl-settings.js';
export { crawlSite } from './crawl-site.js';
export {
  CrawlError,
  type CrawledPage,
  type CrawlInput,
  type CrawlOptions,
  type CrawlSummary,
  type PreviousPage,
} from './types.js';
export { USER_AGENT, USER_AGENT_TOKEN } from './user-agent.js';
