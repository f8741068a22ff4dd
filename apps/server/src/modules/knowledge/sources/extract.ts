import path from 'node:path';

/**
 * What the API records about a text source's format. Uploaded files are sniffed and read by
 * extractors/ (their MIME type is the sniffed one); pasted text and Q&A entries are Markdown.
 */

export type TextFormat = 'markdown' | 'text';

export const mimeTypes: Record<TextFormat, string> = { markdown: 'text/markdown', text: 'text/plain' };

/** The file name without directories or extension, as a fallback title. */
export function titleFromFileName(fileName: string): string {
  const base = path.basename(fileName.replaceAll('\\', '/'));
  return base.slice(0, base.length - path.extname(base).length).trim() || base;
}
