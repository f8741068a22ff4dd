import { getDocumentProxy } from 'unpdf';
import { coreTitle } from './docx.js';
import { oneLine } from './faq-markdown.js';
import type { SniffedDocument } from './sniff.js';
import { readZipEntries } from './zip.js';

/**
 * A document's own title, read cheaply at upload so a source is listed under a meaningful name
 * from the start: a PDF's or Word document's title property, an HTML page's first <h1> or
 * <title>, a Markdown file's first H1. Null when it has none or it cannot be read (reading the
 * whole document, and reporting why it fails, is the ingestion job's work).
 */
export async function readDocumentTitle(bytes: Uint8Array, sniffed: SniffedDocument): Promise<string | null> {
  const text = sniffed.text ?? '';
  try {
    switch (sniffed.format) {
      case 'markdown':
        return oneLine(/^ {0,3}# +(.+?)[ #]*$/m.exec(text)?.[1] ?? '') || null;
      case 'html': {
        const inner = (tag: string) =>
          new RegExp(`<${tag}\\b[^>]*>([\\s\\S]*?)</${tag}>`, 'i').exec(text)?.[1];
        const raw = inner('h1') ?? inner('title') ?? '';
        return (
          oneLine(
            raw
              .replace(/<[^>]*>/g, '')
              .replace(/&amp;/g, '&')
              .replace(/&nbsp;/g, ' '),
          ) || null
        );
      }
      case 'docx': {
        const parts = await readZipEntries(bytes, (name) => name === 'docProps/core.xml', 1024 * 1024);
        return coreTitle(parts.get('docProps/core.xml'));
      }
      case 'pdf': {
        const pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 });
        try {
          const info = (await pdf.getMetadata()).info as { Title?: unknown };
          return typeof info?.Title === 'string' ? oneLine(info.Title) || null : null;
        } finally {
          await pdf.loadingTask.destroy().catch(() => {});
        }
      }
      default:
        return null;
    }
  } catch {
    return null;
  }
}
