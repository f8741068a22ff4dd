import type { SearchLanguage } from '../../../../platform/db/schema/index.js';
import { detectLanguage } from '../../text/language.js';
import { markdownToPlain } from '../../text/markdown-to-plain.js';
import { chunkMarkdown, chunkPlainText } from '../chunk-markdown.js';
import type { NewChunk } from './chunk-writer.js';
import type { LoadedDocument } from './load-document.js';

/** Language detection reads a sample (Markdown is stripped first, so bound what is stripped). */
const LANGUAGE_SAMPLE_CHARS = 20_000;

/**
 * Cuts one document into chunks, all indexed with the document's detected language (so a
 * French page is stemmed as French). Pure apart from language detection.
 */
export function chunkDocument(
  document: LoadedDocument,
  meta: { title: string; url: string | null; language?: SearchLanguage },
): NewChunk[] {
  const pieces =
    document.format === 'markdown' ? chunkMarkdown(document.markdown) : chunkPlainText(document.markdown);
  if (pieces.length === 0) return [];
  const language = meta.language ?? detectDocumentLanguage(document);
  return pieces.map((piece) => ({
    title: meta.title,
    headingPath: piece.headingPath,
    content: piece.content,
    url: meta.url,
    language,
  }));
}

export function detectDocumentLanguage(document: LoadedDocument): SearchLanguage {
  return detectLanguage(documentSample(document));
}

/** The plain text language detection reads. */
export function documentSample(document: LoadedDocument): string {
  const sample = document.markdown.slice(0, LANGUAGE_SAMPLE_CHARS);
  return document.format === 'markdown' ? markdownToPlain(sample) : sample;
}
