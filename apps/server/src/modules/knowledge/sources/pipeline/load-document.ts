import type { Config } from '../../../../platform/config.js';
import { extractDocument } from '../extractors/index.js';
import { SourceError } from './errors.js';
import type { SourceRun } from './source-run.js';

/** What the pipeline needs of the blob store (blobs/blob-store.ts). */
export type BlobReader = { get(orgId: string, hash: string): Promise<Uint8Array> };

/** A document's text, ready to chunk: Markdown (headings kept) or plain text; PDFs say their pages. */
export type LoadedDocument = { markdown: string; format: 'markdown' | 'text'; pages?: number };

export const formatFromMimeType = (mimeType: string | null): LoadedDocument['format'] =>
  mimeType === 'text/plain' ? 'text' : 'markdown';

/**
 * The text of a non-crawled source: pasted text and Q&A entries from their stored content; an
 * uploaded file by reading its original from the blob store and extracting it again (so a
 * re-index picks up a better extractor, and the database holds no second copy of the file).
 * A file source without a blob (added before the blob store existed) uses its stored content.
 */
export async function loadDocument(
  deps: { config: Config; blobStore?: BlobReader },
  run: SourceRun,
  signal?: AbortSignal,
): Promise<LoadedDocument> {
  const { source } = run;
  if (source.type === 'file' && source.blobHash) {
    if (!deps.blobStore) throw new Error('loadDocument: no blob store configured');
    let bytes: Uint8Array;
    try {
      bytes = await deps.blobStore.get(run.orgId, source.blobHash);
    } catch (error) {
      if ((error as NodeJS.ErrnoException)?.code === 'ENOENT') {
        throw new SourceError('The original file is missing from storage; upload it again');
      }
      throw error;
    }
    signal?.throwIfAborted();
    const document = await extractDocument({
      bytes,
      fileName: source.fileName ?? '',
      options: source.options,
      limits: {
        maxBytes: deps.config.maxUploadBytes,
        maxPages: deps.config.maxPdfPages,
        maxExpandedBytes: deps.config.maxExpandedBytes,
        maxRows: deps.config.maxCsvRows,
      },
    });
    return {
      markdown: document.markdown,
      format: document.format === 'text' ? 'text' : 'markdown',
      ...(document.pages !== undefined ? { pages: document.pages } : {}),
    };
  }
  if (source.content === null || source.content.trim() === '') {
    throw new SourceError('The source has no text to index');
  }
  return { markdown: source.content, format: formatFromMimeType(source.mimeType) };
}
