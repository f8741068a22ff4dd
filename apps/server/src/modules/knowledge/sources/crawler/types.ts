import type { ResolveHost } from '../../../../platform/net/outbound-policy.js';
import type { Transport } from '../../../../platform/net/safe-fetch.js';

/** Limits of one crawl (see url-source.ts for how a source's options and the config make them). */
export type CrawlOptions = { maxPages: number; maxDepth: number; sitemapUrl?: string };

/** What the crawler learned about one page; see index.ts for what each status asks of the caller. */
export type CrawledPage = {
  url: string;
  status: 'indexed' | 'not_modified' | 'skipped' | 'failed';
  title: string | null;
  markdown?: string;
  etag?: string;
  lastModified?: string;
  contentHash?: string;
  error?: string;
};

/** What an earlier crawl stored for a page (knowledge_pages), keyed by page URL. */
export type PreviousPage = { etag: string | null; lastModified: string | null; contentHash: string | null };

export type CrawlSummary = {
  pages: number;
  indexed: number;
  notModified: number;
  skipped: number;
  failed: number;
};

export type CrawlInput = {
  startUrl: string;
  options: CrawlOptions;
  previous: Map<string, PreviousPage>;
  allowPrivateNetworks: boolean;
  signal?: AbortSignal;
  /** Awaited before the crawl goes on, so a slow writer slows the crawl instead of piling up pages. */
  onPage(page: CrawledPage): Promise<void>;
  onProgress?(done: number, total: number): void;
  /** Politeness and limits; pass crawlSettings(config). Defaults are the configuration's defaults. */
  concurrency?: number;
  delayMs?: number;
  timeoutMs?: number;
  maxPageBytes?: number;
  /** Tests only: how host names resolve and how one HTTP exchange is made. */
  lookup?: ResolveHost;
  transport?: Transport;
};

/** The crawl could not start or found nothing to index. The message is for the person who added the site. */
export class CrawlError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CrawlError';
  }
}
