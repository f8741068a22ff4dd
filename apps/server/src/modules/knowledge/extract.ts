import path from 'node:path';
import { AppError } from '../../errors.js';

/**
 * Turning uploaded bytes into text we can index. The file name only chooses how the text is
 * read (Markdown or plain); whether it is text at all is decided from the bytes, so a PDF or an
 * image renamed to .md is refused instead of being indexed as garbage.
 */

export type TextFormat = 'markdown' | 'text';

export const supportedExtensions: Record<string, TextFormat> = {
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.txt': 'text',
};

export const mimeTypes: Record<TextFormat, string> = { markdown: 'text/markdown', text: 'text/plain' };

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** The format a file name asks for; throws 415 for anything but .txt, .md and .markdown. */
export function formatFromFileName(fileName: string): TextFormat {
  const ext = path.extname(fileName).toLowerCase();
  const format = supportedExtensions[ext];
  if (!format) {
    const shown = ext ? `"${ext}" files are` : 'Files without an extension are';
    throw new AppError(
      'unsupported_media_type',
      `${shown} not supported yet: upload a .txt, .md or .markdown file with UTF-8 text`,
    );
  }
  return format;
}

/** The file name without directories or extension, as a fallback title. */
export function titleFromFileName(fileName: string): string {
  const base = path.basename(fileName.replaceAll('\\', '/'));
  return base.slice(0, base.length - path.extname(base).length).trim() || base;
}

// Signatures of common binary formats whose first bytes happen to be valid ASCII.
const BINARY_SIGNATURES: [string, string][] = [
  ['%PDF-', 'a PDF document'],
  ['PK\u0003\u0004', 'a ZIP archive (or an Office document)'],
  ['{\\rtf', 'an RTF document'],
];

/** C0 controls and DEL, except tab, newline, vertical tab, form feed and carriage return. */
export const isStrayControl = (code: number) =>
  (code < 0x20 && (code < 0x09 || code > 0x0d)) || code === 0x7f;

/**
 * Decodes uploaded bytes as UTF-8 text, or explains why they are not text.
 * Empty or whitespace-only → 400; NUL bytes, invalid UTF-8, many control characters or a known
 * binary signature → 415. Line endings become \n and a byte-order mark is dropped.
 */
export function decodeTextFile(bytes: Uint8Array): string {
  if (bytes.length === 0) throw new AppError('bad_request', 'The file is empty');
  const notText = (what: string) =>
    new AppError('unsupported_media_type', `The file is ${what}, not UTF-8 text: upload a .txt or .md file`);
  if (bytes.includes(0)) throw notText('binary (it contains NUL bytes)');
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw notText('not valid UTF-8 (it may be binary or in another encoding)');
  }
  for (const [signature, what] of BINARY_SIGNATURES) if (text.startsWith(signature)) throw notText(what);
  // Text files carry tabs, newlines and form feeds; a sprinkling of other C0 controls means binary.
  let controls = 0;
  for (let i = 0; i < text.length; i++) if (isStrayControl(text.charCodeAt(i))) controls++;
  if (controls > 0 && controls * 100 > text.length) throw notText('binary (it contains control characters)');
  const normalized = text.replace(/\r\n?/g, '\n');
  if (!normalized.trim()) throw new AppError('bad_request', 'The file has no text (only whitespace)');
  return normalized;
}
