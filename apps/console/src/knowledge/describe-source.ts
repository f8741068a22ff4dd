import type { KnowledgeSource, KnowledgeSourceType } from '@confidant/contract';
import type { BadgeTone } from '../ui/badge';

/** How the Knowledge page words a source: its kind, status, progress and size. */

export const typeLabel: Record<KnowledgeSourceType, string> = {
  file: 'File',
  url: 'Website',
  qa: 'Q&A',
  text: 'Text',
};

export const statusLabel: Record<KnowledgeSource['status'], { label: string; tone: BadgeTone }> = {
  queued: { label: 'Queued', tone: 'neutral' },
  processing: { label: 'Indexing', tone: 'info' },
  ready: { label: 'Ready', tone: 'success' },
  failed: { label: 'Failed', tone: 'danger' },
};

/**
 * Indexing progress in percent. Pages (a PDF's, a website's) are the unit people recognise
 * when there are any; otherwise passages (chunks). Queued, or nothing counted yet: 0.
 */
export function progressPercent(source: KnowledgeSource): number {
  const { pagesDone, pagesTotal, chunksDone, chunksTotal } = source.progress;
  const fraction = pagesTotal > 0 ? pagesDone / pagesTotal : chunksTotal > 0 ? chunksDone / chunksTotal : 0;
  return Math.round(Math.min(1, Math.max(0, fraction)) * 100);
}

/** "12 passages · 3 of 5 pages", in words; empty when nothing was counted. */
export function countsLabel(source: KnowledgeSource): string {
  const { pagesDone, pagesTotal, chunksDone, chunksTotal } = source.progress;
  const indexing = source.status === 'queued' || source.status === 'processing';
  const parts: string[] = [];
  const chunks = indexing && chunksTotal > 0 ? `${chunksDone} of ${chunksTotal}` : String(chunksDone);
  if (chunksDone > 0 || chunksTotal > 0)
    parts.push(`${chunks} ${plural(chunksTotal || chunksDone, 'passage')}`);
  if (pagesTotal > 0) {
    parts.push(
      indexing ? `${pagesDone} of ${pagesTotal} pages` : `${pagesDone} ${plural(pagesDone, 'page')}`,
    );
  }
  return parts.join(' · ');
}

const plural = (n: number, word: string) => (n === 1 ? word : `${word}s`);

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** Where the source came from, for the line under its title. */
export const originOf = (source: KnowledgeSource) => source.url ?? source.fileName ?? null;

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
export const formatDateTime = (iso: string) => dateTime.format(new Date(iso));
