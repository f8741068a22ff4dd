import { z } from 'zod';
import type { Config } from '../../../../platform/config.js';
import type { CrawlOptions } from './types.js';

/** What a URL source stores in knowledge_sources.options (only what the client set). */
const storedOptions = z.object({
  maxPages: z.number().int().min(1).optional(),
  maxDepth: z.number().int().min(0).optional(),
  sitemapUrl: z.string().optional(),
  refreshIntervalHours: z.number().int().min(1).optional(),
});

/** The operator's politeness and size limits, spread into crawlSite's input. */
export const crawlSettings = (config: Config) => ({
  allowPrivateNetworks: config.network.allowPrivateNetworks,
  concurrency: config.crawl.concurrency,
  delayMs: config.crawl.delayMs,
  timeoutMs: config.crawl.timeoutMs,
  maxPageBytes: config.crawl.maxPageBytes,
});

/**
 * A source's crawl limits: what it asked for, within what the operator allows now (the
 * configuration may have been lowered since the source was created), else the operator's.
 */
export function crawlOptionsFor(options: Record<string, unknown>, config: Config): CrawlOptions {
  const parsed = storedOptions.safeParse(options);
  const stored = parsed.success ? parsed.data : {};
  return {
    maxPages: Math.min(stored.maxPages ?? config.crawl.maxPages, config.crawl.maxPages),
    maxDepth: Math.min(stored.maxDepth ?? config.crawl.maxDepth, config.crawl.maxDepth),
    ...(stored.sitemapUrl ? { sitemapUrl: stored.sitemapUrl } : {}),
  };
}
