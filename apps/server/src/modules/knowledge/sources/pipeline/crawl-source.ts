import { and, eq } from 'drizzle-orm';
import type { Config } from '../../../../platform/config.js';
import type { Database } from '../../../../platform/db/client.js';
import { knowledgePages } from '../../../../platform/db/schema/index.js';
import { withTenant } from '../../../../platform/db/tenancy.js';
import {
  type CrawledPage,
  crawlOptionsFor,
  crawlSettings,
  crawlSite,
  type PreviousPage,
} from '../crawler/index.js';
import { chunkDocument } from './chunk-document.js';
import type { ChunkWriter } from './chunk-writer.js';
import { SourceError } from './errors.js';
import { documentLanguage, knowledgeLanguage } from './knowledge-language.js';
import type { PageRecord, SourceRun } from './source-run.js';

/**
 * The website branch of a run: crawls from the source's URL and turns each fetched page into
 * chunks carrying the page's URL (for citations). A page that did not change since the last
 * crawl (ETag / Last-Modified / content hash) keeps its chunks: they are copied into the new
 * version, embeddings included.
 *
 * The page records (validators for the next conditional fetch) are returned, not written: they
 * are written with the version swap. Written earlier, a run interrupted after fetching a page
 * would leave validators saying "you have this page" for chunks that were never kept.
 */
export async function crawlSourcePages(
  deps: { config: Config; database: Database },
  run: SourceRun,
  writer: ChunkWriter,
  signal?: AbortSignal,
): Promise<PageRecord[]> {
  const { source } = run;
  if (!source.url) throw new SourceError('The website source has no URL');
  const { previous, titles } = await loadPreviousPages(deps.database, run);
  const records: PageRecord[] = [];
  let firstError: string | null = null;

  // Pages too short to tell are indexed in the knowledge base's language (knowledge-language.ts).
  const kbLanguage = await knowledgeLanguage(deps.database, run.orgId);
  const result = await crawlSite({
    startUrl: source.url,
    options: crawlOptionsFor(source.options, deps.config),
    previous,
    ...crawlSettings(deps.config),
    ...(signal ? { signal } : {}),
    onPage: async (page: CrawledPage) => {
      // A 304 carries no title: the page keeps the one stored last time.
      records.push(pageRecord(page.title === null ? { ...page, title: titles.get(page.url) ?? null } : page));
      if (page.status === 'indexed' && page.markdown) {
        const document = { markdown: page.markdown, format: 'markdown' as const };
        const language = await documentLanguage(document, kbLanguage);
        await writer.add(
          chunkDocument(document, {
            title: page.title?.trim() || source.title,
            url: page.url,
            language,
          }),
        );
      } else if (page.status === 'not_modified') {
        const copied = await writer.copyPageChunks(page.url);
        // Validators said "unchanged" but we hold nothing for it (it failed last time): it gets
        // no validators now, so the next crawl fetches it in full.
        if (copied === 0) {
          records[records.length - 1] = {
            ...pageRecord(page),
            etag: null,
            lastModified: null,
            contentHash: null,
          };
        }
      } else if (page.status === 'failed' && firstError === null) {
        firstError = page.error ?? null;
      }
      await writer.recordPagesProgress();
    },
    onProgress: (done, total) => writer.setPages(done, total),
  });
  writer.setPages(result.pages, result.pages);

  if (writer.added === 0) {
    const reason = firstError ? ` (${firstError})` : '';
    throw new SourceError(
      result.pages === 0
        ? `No page of ${source.url} could be fetched${reason}`
        : `None of the ${result.pages} pages fetched from ${source.url} had text to index${reason}`,
    );
  }
  return records;
}

function pageRecord(page: CrawledPage): PageRecord {
  return {
    url: page.url,
    status: page.status,
    title: page.title,
    etag: page.etag ?? null,
    lastModified: page.lastModified ?? null,
    contentHash: page.contentHash ?? null,
    error: page.error ?? null,
  };
}

/** The last crawl's validators, for conditional re-fetch, and its page titles. */
async function loadPreviousPages(
  database: Database,
  run: SourceRun,
): Promise<{ previous: Map<string, PreviousPage>; titles: Map<string, string> }> {
  const rows = await withTenant(database, [run.orgId], (tx) =>
    tx
      .select({
        url: knowledgePages.url,
        etag: knowledgePages.etag,
        lastModified: knowledgePages.lastModified,
        contentHash: knowledgePages.contentHash,
        status: knowledgePages.status,
        title: knowledgePages.title,
      })
      .from(knowledgePages)
      .where(and(eq(knowledgePages.orgId, run.orgId), eq(knowledgePages.sourceId, run.sourceId))),
  );
  const kept = rows.filter((r) => r.status === 'indexed' || r.status === 'not_modified');
  return {
    previous: new Map(
      kept.map((r) => [r.url, { etag: r.etag, lastModified: r.lastModified, contentHash: r.contentHash }]),
    ),
    titles: new Map(kept.flatMap((r) => (r.title ? [[r.url, r.title] as const] : []))),
  };
}
