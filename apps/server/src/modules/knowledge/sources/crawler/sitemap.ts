import { gunzipSync } from 'node:zlib';
import { XMLParser } from 'fast-xml-parser';
import type { SafeResponse } from '../../../../platform/net/safe-fetch.js';

/**
 * Sitemap discovery: XML sitemaps (sitemaps.org), sitemap indexes pointing at more sitemaps,
 * gzip-compressed files and plain-text sitemaps (one URL per line). Bounded: a crawl reads at most
 * MAX_SITEMAP_FILES files, each at most SITEMAP_MAX_BYTES once decompressed, follows indexes
 * MAX_INDEX_DEPTH levels deep, and stops once it has `limit` wanted URLs. A sitemap that cannot be
 * read is skipped: link discovery still finds the site.
 */

const MAX_SITEMAP_FILES = 50;
const MAX_INDEX_DEPTH = 3;
/** The sitemaps.org limit for one file, uncompressed. */
export const SITEMAP_MAX_BYTES = 50 * 1024 * 1024;

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
  htmlEntities: false,
  isArray: (name) => name === 'url' || name === 'sitemap',
});

export type ParsedSitemap = { pages: string[]; sitemaps: string[] };

const locs = (entries: unknown): string[] =>
  Array.isArray(entries)
    ? entries
        .map((entry) => (entry as { loc?: unknown })?.loc)
        .filter((loc): loc is string => typeof loc === 'string' && loc.length > 0)
    : [];

/** Parses one sitemap file (XML urlset, XML sitemapindex, or plain text). Pure; throws on bad XML. */
export function parseSitemap(body: Uint8Array): ParsedSitemap {
  let bytes = body;
  if (bytes[0] === 0x1f && bytes[1] === 0x8b)
    bytes = gunzipSync(bytes, { maxOutputLength: SITEMAP_MAX_BYTES });
  const text = Buffer.from(bytes)
    .toString('utf8')
    .replace(/^\uFEFF/, '');
  if (!text.trimStart().startsWith('<')) {
    const pages = text
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => /^https?:\/\//i.test(line));
    return { pages, sitemaps: [] };
  }
  const doc = parser.parse(text) as {
    urlset?: { url?: unknown };
    sitemapindex?: { sitemap?: unknown };
  };
  return { pages: locs(doc.urlset?.url), sitemaps: locs(doc.sitemapindex?.sitemap) };
}

/**
 * Reads the given sitemaps (and the sitemaps their indexes list, when `isSitemapAllowed` lets
 * them be fetched) and returns the page URLs `isWanted` accepts, in document order, at most `limit`.
 */
export async function collectSitemapUrls(input: {
  sitemapUrls: string[];
  fetchUrl: (url: URL, maxBytes: number) => Promise<SafeResponse>;
  isSitemapAllowed: (url: URL) => boolean;
  isWanted: (url: string) => string | null;
  limit: number;
  signal?: AbortSignal;
}): Promise<string[]> {
  const found: string[] = [];
  const seenPages = new Set<string>();
  const seenFiles = new Set<string>();
  let queue = input.sitemapUrls.map((url) => ({ url, depth: 0 }));
  let files = 0;
  while (queue.length > 0 && files < MAX_SITEMAP_FILES && found.length < input.limit) {
    const next: typeof queue = [];
    for (const { url, depth } of queue) {
      if (files >= MAX_SITEMAP_FILES || found.length >= input.limit) break;
      input.signal?.throwIfAborted();
      let target: URL;
      try {
        target = new URL(url);
      } catch {
        continue;
      }
      target.hash = '';
      if (seenFiles.has(target.href) || !input.isSitemapAllowed(target)) continue;
      seenFiles.add(target.href);
      files++;
      const parsed = await readSitemap(target, input.fetchUrl, input.signal);
      if (!parsed) continue;
      for (const page of parsed.pages) {
        const wanted = input.isWanted(page);
        if (!wanted || seenPages.has(wanted)) continue;
        seenPages.add(wanted);
        found.push(wanted);
        if (found.length >= input.limit) break;
      }
      if (depth < MAX_INDEX_DEPTH) next.push(...parsed.sitemaps.map((s) => ({ url: s, depth: depth + 1 })));
    }
    queue = next;
  }
  return found;
}

async function readSitemap(
  url: URL,
  fetchUrl: (url: URL, maxBytes: number) => Promise<SafeResponse>,
  signal: AbortSignal | undefined,
): Promise<ParsedSitemap | null> {
  try {
    const response = await fetchUrl(url, SITEMAP_MAX_BYTES);
    if (response.status !== 200) {
      response.discard();
      return null;
    }
    return parseSitemap(await response.readBody());
  } catch (error) {
    // A missing or broken sitemap only means fewer starting points; an abort must still stop the crawl.
    if (signal?.aborted) throw error;
    return null;
  }
}
