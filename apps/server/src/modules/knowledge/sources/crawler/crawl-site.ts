import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { FetchError, FetchRefusedError } from '../../../../platform/net/outbound-policy.js';
import { type SafeResponse, safeFetch } from '../../../../platform/net/safe-fetch.js';
import { readHtmlPage } from './read-html-page.js';
import { loadRobots, type RobotsRules, RobotsUnavailableError } from './robots.js';
import { collectSitemapUrls } from './sitemap.js';
import {
  CrawlError,
  type CrawledPage,
  type CrawlInput,
  type CrawlSummary,
  type PreviousPage,
} from './types.js';
import {
  decodeHtml,
  hasNonHtmlExtension,
  isHtmlMediaType,
  looksLikeHtml,
  mediaType,
  toPageUrl,
  xRobotsDirectives,
} from './url-rules.js';
import { crawlerHeaders } from './user-agent.js';

/** Defaults matching the configuration's (config.ts), for callers that pass none. */
const DEFAULTS = { concurrency: 2, delayMs: 250, timeoutMs: 20_000, maxPageBytes: 5 * 1024 * 1024 };
/** Links taken from one page; a page with more is a link farm or a generated index. */
const MAX_LINKS_PER_PAGE = 1000;
/** How many times the start URL may move the crawl to another origin by redirecting. */
const MAX_START_REDIRECTS = 5;

type QueueItem = { url: string; depth: number };

/**
 * Crawls one site breadth-first. See index.ts for the contract; the invariants kept here:
 * - Only URLs of the site's origin are fetched (the start URL's, or the one its redirects lead
 *   to); robots.txt is checked before every page request, and redirects are followed only when
 *   they stay on the site and are allowed by robots.txt.
 * - At most options.maxPages page requests, at most options.maxDepth link hops from the start
 *   page or a sitemap entry, at most `concurrency` requests at once, and request starts spaced by
 *   the delay (or the site's Crawl-delay, which also makes the crawl sequential).
 * - onPage is called once per reported URL, never after crawlSite has settled.
 */
export async function crawlSite(input: CrawlInput): Promise<CrawlSummary> {
  try {
    return await runCrawl(input);
  } catch (error) {
    // Whatever was interrupted (a request, a politeness pause), an abort ends with its reason.
    if (input.signal?.aborted) throw input.signal.reason;
    throw error;
  }
}

async function runCrawl(input: CrawlInput): Promise<CrawlSummary> {
  const timeoutMs = input.timeoutMs ?? DEFAULTS.timeoutMs;
  const maxPageBytes = input.maxPageBytes ?? DEFAULTS.maxPageBytes;
  const { maxPages, maxDepth } = input.options;
  // Stops in-flight requests when one page fails the whole crawl (onPage threw) or the caller aborts.
  const stop = new AbortController();
  const signal = input.signal ? AbortSignal.any([input.signal, stop.signal]) : stop.signal;

  const start = toPageUrl(input.startUrl);
  if (!start)
    throw new CrawlError('The start address must be an http or https URL without a user name or password');

  let origin = start.origin;
  let robots: RobotsRules;
  const summary: CrawlSummary = { pages: 0, indexed: 0, notModified: 0, skipped: 0, failed: 0 };
  const seen = new Set<string>();
  const queues: QueueItem[][] = [];
  let requestsStarted = 0;

  let nextRequestAt = 0;
  const interval = () => Math.max(input.delayMs ?? DEFAULTS.delayMs, robots?.crawlDelayMs ?? 0);
  /** Spaces request starts to the same site by the politeness interval. */
  const waitTurn = async () => {
    const now = Date.now();
    const wait = Math.max(0, nextRequestAt - now);
    nextRequestAt = Math.max(now, nextRequestAt) + interval();
    if (wait > 0) await sleep(wait, undefined, { signal });
  };

  const fetchUrl = async (
    url: URL,
    maxBytes: number,
    extra: Pick<Parameters<typeof safeFetch>[1], 'headersFor' | 'followRedirect'> = {},
  ): Promise<SafeResponse> => {
    await waitTurn();
    return safeFetch(url, {
      allowPrivateNetworks: input.allowPrivateNetworks,
      timeoutMs,
      maxBytes,
      signal,
      headers: crawlerHeaders,
      ...(input.lookup ? { resolveHost: input.lookup } : {}),
      ...(input.transport ? { transport: input.transport } : {}),
      ...extra,
    });
  };

  const loadSiteRobots = async (siteOrigin: string) => {
    try {
      return await loadRobots(siteOrigin, (url, maxBytes) => fetchUrl(url, maxBytes));
    } catch (error) {
      if (error instanceof FetchRefusedError || error instanceof RobotsUnavailableError) {
        throw new CrawlError(error.message, { cause: error });
      }
      throw error;
    }
  };

  /** The canonical spelling of a URL the crawl may fetch, or null (off-site, robots, not HTML). */
  const wantedUrl = (raw: string, base?: URL): string | null => {
    const url = toPageUrl(raw, base);
    if (!url || url.origin !== origin || hasNonHtmlExtension(url)) return null;
    return robots.isAllowed(url.href) ? url.href : null;
  };

  const enqueue = (url: string, depth: number) => {
    if (seen.has(url)) return;
    seen.add(url);
    const queue = queues[depth] ?? [];
    queues[depth] = queue;
    queue.push({ url, depth });
  };
  const takeNext = (): QueueItem | undefined => {
    for (const queue of queues) if (queue?.length) return queue.shift();
    return undefined;
  };

  let firstProblem: string | undefined;
  const report = async (page: CrawledPage) => {
    if (signal.aborted) return;
    if (page.error) firstProblem ??= `${page.url}: ${page.error}`;
    await input.onPage(page);
    summary.pages++;
    if (page.status === 'indexed') summary.indexed++;
    else if (page.status === 'not_modified') summary.notModified++;
    else if (page.status === 'skipped') summary.skipped++;
    else summary.failed++;
    input.onProgress?.(summary.pages, Math.max(summary.pages, Math.min(maxPages, seen.size)));
  };

  const conditionalHeaders = (url: URL) => {
    const previous = input.previous.get(url.href);
    const headers: Record<string, string> = {};
    if (previous?.etag) headers['if-none-match'] = previous.etag;
    if (previous?.lastModified) headers['if-modified-since'] = previous.lastModified;
    return headers;
  };

  /** Fetches one page and reports it; `isStart` lets a cross-origin redirect move the whole crawl. */
  const crawlPage = async (item: QueueItem, isStart = false): Promise<void> => {
    let url = new URL(item.url);
    let response: SafeResponse;
    let duplicate = false;
    // Redirects are followed within the site only, and only to pages not already claimed: the
    // target is claimed here, synchronously, so two pages redirecting to it fetch it once.
    const followRedirect = (_from: URL, to: URL) => {
      if (to.origin !== origin || !robots.isAllowed(to.href)) return false;
      if (seen.has(to.href)) {
        duplicate = true;
        return false;
      }
      seen.add(to.href);
      return true;
    };
    for (let moves = 0; ; moves++) {
      try {
        response = await fetchUrl(url, maxPageBytes, { headersFor: conditionalHeaders, followRedirect });
      } catch (error) {
        if (isStart && error instanceof FetchRefusedError)
          throw new CrawlError(error.message, { cause: error });
        if (isStart && error instanceof FetchError) {
          throw new CrawlError(`The start page ${url.href} could not be fetched: ${error.message}`, {
            cause: error,
          });
        }
        if (error instanceof FetchError || error instanceof FetchRefusedError) {
          return report({ url: item.url, status: 'failed', title: null, error: error.message });
        }
        throw error;
      }
      const target = response.location;
      if (!target) break;
      if (duplicate) return; // the page it leads to is crawled (or queued) under its own URL
      // The start URL may lead to the site's real home (http → https, apex → www): follow the site there.
      if (isStart && target.origin !== origin && moves < MAX_START_REDIRECTS && toPageUrl(target.href)) {
        origin = target.origin;
        robots = await loadSiteRobots(origin);
        if (!robots.isAllowed(target.href)) {
          throw new CrawlError(`robots.txt of ${origin} does not allow ${target.href} to be crawled`);
        }
        seen.add(target.href);
        url = target;
        continue;
      }
      return report({
        url: item.url,
        status: 'skipped',
        title: null,
        error: `Redirects to ${target.href}, which is outside the site or disallowed by robots.txt`,
      });
    }

    // After a redirect within the site, the page is known by where it lives.
    const pageUrl = response.url;
    const previous: PreviousPage | undefined = input.previous.get(pageUrl.href);
    const etag = response.headers.etag;
    const lastModified = response.headers['last-modified'];
    const validators = {
      ...((etag ?? previous?.etag) ? { etag: etag ?? previous?.etag ?? undefined } : {}),
      ...((lastModified ?? previous?.lastModified)
        ? { lastModified: lastModified ?? previous?.lastModified ?? undefined }
        : {}),
    };

    if (response.status === 304 && previous && (previous.etag || previous.lastModified)) {
      response.discard();
      return report({ url: pageUrl.href, status: 'not_modified', title: null, ...validators });
    }
    if (response.status !== 200 && response.status !== 203) {
      response.discard();
      return report({
        url: pageUrl.href,
        status: 'failed',
        title: null,
        error: `The page answered HTTP ${response.status}`,
      });
    }
    const type = mediaType(response.headers['content-type']);
    if (type && !isHtmlMediaType(type)) {
      response.discard();
      return report({
        url: pageUrl.href,
        status: 'skipped',
        title: null,
        error: `Not an HTML page (${type})`,
      });
    }
    let body: Buffer;
    try {
      body = await response.readBody();
    } catch (error) {
      if (error instanceof FetchError) {
        return report({ url: pageUrl.href, status: 'failed', title: null, error: error.message });
      }
      throw error;
    }
    if (!type && !looksLikeHtml(body)) {
      return report({ url: pageUrl.href, status: 'skipped', title: null, error: 'Not an HTML page' });
    }

    const page = readHtmlPage(decodeHtml(body, response.headers['content-type']), pageUrl);
    const headerRobots = xRobotsDirectives(response.headers['x-robots-tag']);
    if (item.depth < maxDepth && !headerRobots.nofollow) {
      for (const link of page.links.slice(0, MAX_LINKS_PER_PAGE)) {
        const wanted = wantedUrl(link);
        if (wanted) enqueue(wanted, item.depth + 1);
      }
    }
    if (page.noindex || headerRobots.noindex) {
      return report({
        url: pageUrl.href,
        status: 'skipped',
        title: page.title,
        error: 'The page asks not to be indexed (noindex)',
      });
    }
    if (!page.markdown.trim()) {
      return report({
        url: pageUrl.href,
        status: 'skipped',
        title: page.title,
        error: 'The page has no text',
      });
    }
    const contentHash = createHash('sha256').update(page.markdown).digest('hex');
    if (previous?.contentHash === contentHash) {
      return report({
        url: pageUrl.href,
        status: 'not_modified',
        title: page.title,
        contentHash,
        ...validators,
      });
    }
    return report({
      url: pageUrl.href,
      status: 'indexed',
      title: page.title,
      markdown: page.markdown,
      contentHash,
      ...validators,
    });
  };

  // 1. robots.txt of the start origin, and the start page (which may move the crawl to another origin).
  robots = await loadSiteRobots(origin);
  if (!robots.isAllowed(start.href)) {
    throw new CrawlError(`robots.txt of ${origin} does not allow ${start.href} to be crawled`);
  }
  seen.add(start.href);
  requestsStarted++;
  await crawlPage({ url: start.href, depth: 0 }, true);

  // 2. Sitemaps: the one the source names, those robots.txt lists, else the conventional /sitemap.xml.
  const sitemapUrls = [...(input.options.sitemapUrl ? [input.options.sitemapUrl] : []), ...robots.sitemaps];
  if (sitemapUrls.length === 0) sitemapUrls.push(new URL('/sitemap.xml', origin).href);
  const fromSitemaps = await (requestsStarted >= maxPages
    ? Promise.resolve([])
    : collectSitemapUrls({
        sitemapUrls,
        fetchUrl: (url, maxBytes) => fetchUrl(url, maxBytes),
        // Sitemaps are read from the site itself only (the start origin too, for a source's sitemapUrl).
        isSitemapAllowed: (url) => url.origin === origin || url.origin === start.origin,
        isWanted: (raw) => wantedUrl(raw),
        limit: maxPages,
        signal,
      }));
  // Sitemap entries are starting points (depth 0), fetched before pages found through links.
  for (const url of fromSitemaps) enqueue(url, 0);
  input.onProgress?.(summary.pages, Math.max(summary.pages, Math.min(maxPages, seen.size)));

  // 3. Breadth-first over the queue with a small pool of workers.
  const concurrency = robots.crawlDelayMs ? 1 : Math.max(1, input.concurrency ?? DEFAULTS.concurrency);
  await new Promise<void>((resolve, reject) => {
    let inFlight = 0;
    let firstError: unknown;
    let settled = false;
    const pump = () => {
      while (firstError === undefined && inFlight < concurrency && requestsStarted < maxPages) {
        const item = takeNext();
        if (!item) break;
        requestsStarted++;
        inFlight++;
        crawlPage(item)
          .catch((error: unknown) => {
            if (firstError === undefined) {
              firstError = error;
              stop.abort(error);
            }
          })
          .finally(() => {
            inFlight--;
            pump();
          });
      }
      if (inFlight === 0 && !settled) {
        settled = true;
        if (firstError !== undefined) reject(firstError);
        else resolve();
      }
    };
    pump();
  });

  if (summary.indexed + summary.notModified === 0) {
    throw new CrawlError(
      `No page of ${origin} could be indexed (${summary.skipped} skipped, ${summary.failed} failed${firstProblem ? `; first: ${firstProblem}` : ''})`,
    );
  }
  return summary;
}
