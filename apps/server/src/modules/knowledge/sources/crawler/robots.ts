import * as robotsParserModule from 'robots-parser';
import { FetchError, FetchRefusedError } from '../../../../platform/net/outbound-policy.js';
import type { SafeResponse } from '../../../../platform/net/safe-fetch.js';
import { USER_AGENT_TOKEN } from './user-agent.js';

/**
 * robots.txt for one origin, read as RFC 9309 says: a 4xx answer (none published) allows
 * everything; a server error or an unreachable file means "assume complete disallow", which the
 * crawler reports instead of crawling. Rules are matched for our product token, ConfidantBot,
 * falling back to the `*` group.
 */
export type RobotsRules = {
  isAllowed(url: string): boolean;
  /** Crawl-delay for our group in milliseconds, when the site sets one. */
  crawlDelayMs: number | null;
  /** Sitemap: lines, absolute URLs. */
  sitemaps: string[];
};

/** A site's Crawl-delay is honoured up to this; beyond it a crawl of a few hundred pages would take days. */
const MAX_CRAWL_DELAY_MS = 30_000;

/** RFC 9309 asks crawlers to parse at least 500 KiB. */
const ROBOTS_MAX_BYTES = 512 * 1024;

type Robot = {
  isAllowed(url: string, ua?: string): boolean | undefined;
  getCrawlDelay(ua?: string): number | undefined;
  getSitemaps(): string[];
};
// The package is CommonJS (module.exports is the function) and its types do not resolve to a
// callable under NodeNext; through a namespace import the function is `.default` at run time.
const robotsParser = robotsParserModule.default as unknown as (url: string, contents: string) => Robot;

export class RobotsUnavailableError extends Error {}

export const allowAll: RobotsRules = { isAllowed: () => true, crawlDelayMs: null, sitemaps: [] };

export async function loadRobots(
  origin: string,
  fetchUrl: (url: URL, maxBytes: number) => Promise<SafeResponse>,
): Promise<RobotsRules> {
  const robotsUrl = new URL('/robots.txt', origin);
  let text: string;
  try {
    const response = await fetchUrl(robotsUrl, ROBOTS_MAX_BYTES);
    if (response.status >= 400 && response.status < 500) {
      response.discard();
      return allowAll;
    }
    if (response.status !== 200) {
      response.discard();
      throw new RobotsUnavailableError(
        `${robotsUrl.href} answered HTTP ${response.status}; the site asks crawlers to stay away while it cannot be read`,
      );
    }
    text = (await response.readBody()).toString('utf8');
  } catch (error) {
    if (error instanceof FetchRefusedError || error instanceof RobotsUnavailableError) throw error;
    if (error instanceof FetchError) {
      throw new RobotsUnavailableError(`${robotsUrl.href} could not be read: ${error.message}`);
    }
    throw error;
  }
  const robots = robotsParser(robotsUrl.href, text);
  const delay = robots.getCrawlDelay(USER_AGENT_TOKEN);
  return {
    // robots-parser answers undefined for URLs of another origin: those are not ours to crawl.
    isAllowed: (url) => robots.isAllowed(url, USER_AGENT_TOKEN) === true,
    crawlDelayMs:
      delay !== undefined && Number.isFinite(delay) && delay > 0
        ? Math.min(delay * 1000, MAX_CRAWL_DELAY_MS)
        : null,
    sitemaps: robots.getSitemaps(),
  };
}
