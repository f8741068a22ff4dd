import path from 'node:path';
import { decodeText } from './decode-text.js';
import { type DocumentFormat, ExtractionError, mimeTypeOf } from './types.js';
import { listZip } from './zip.js';

/**
 * Deciding what a file is from its bytes, not its name. Binary formats are recognised by their
 * signature (a PDF named .txt is a PDF; a text file named .pdf is text); anything else must be
 * text, and then its content (HTML markup, a JSON document) or, failing that, its extension
 * chooses how it is read (CSV, Markdown or plain text).
 */

export type SniffedDocument = { format: DocumentFormat; mimeType: string; text?: string };

const startsWith = (bytes: Uint8Array, signature: number[]) =>
  signature.every((byte, i) => bytes[i] === byte);
const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

const CFB = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/**
 * Binary formats people upload by mistake, named so the refusal says what the file is (anything
 * else binary is refused by the text decoder). Signatures are long enough not to match prose.
 */
const UNSUPPORTED_BINARIES: [number[], string][] = [
  [[0x89, 0x50, 0x4e, 0x47], 'a PNG image'],
  [[0xff, 0xd8, 0xff], 'a JPEG image'],
  [ascii('GIF87a'), 'a GIF image'],
  [ascii('GIF89a'), 'a GIF image'],
  [ascii('RIFF'), 'an image, audio or video file (RIFF)'],
  [[0x1f, 0x8b], 'a gzip archive'],
  [ascii('7z\u00bc\u00af\u0027\u001c'), 'a 7-Zip archive'],
  [ascii('Rar!\u001a\u0007'), 'a RAR archive'],
  [[0x7f, 0x45, 0x4c, 0x46], 'a program (ELF)'],
  [ascii('{\\rtf'), 'an RTF document (save it as .docx or PDF)'],
  [ascii('%!PS'), 'a PostScript file (save it as PDF)'],
];

const unsupported = (what: string) =>
  new ExtractionError(
    `The file is ${what}, which is not supported: upload a PDF, Word (.docx), HTML, Markdown, text, CSV or JSON file`,
    'unsupported',
  );

async function sniffZip(bytes: Uint8Array): Promise<SniffedDocument> {
  const { names, encrypted } = await listZip(bytes).catch((error: unknown) => {
    throw error instanceof ExtractionError ? new ExtractionError(error.message, 'unsupported') : error;
  });
  const has = (prefix: string) => names.some((n) => n.startsWith(prefix));
  if (names.includes('word/document.xml')) {
    if (encrypted) {
      throw new ExtractionError(
        'The Word document is password-protected: remove the password and upload it again',
        'unsupported',
      );
    }
    return { format: 'docx', mimeType: mimeTypeOf.docx };
  }
  if (has('xl/')) throw unsupported('an Excel workbook (export the sheet as CSV)');
  if (has('ppt/')) throw unsupported('a PowerPoint presentation (save it as PDF)');
  if (names.includes('content.xml') && names.includes('mimetype')) {
    throw unsupported('an OpenDocument file (save it as .docx or PDF)');
  }
  throw unsupported('a ZIP archive');
}

const HTML_START =
  /^\s*(?:<!--[\s\S]*?-->\s*)*(?:<\?xml[^>]*>\s*)?(?:<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>])/i;
const JSON_START = /^\s*[[{]/;

function textFormat(text: string, fileName: string, wantsColumns: boolean): DocumentFormat {
  const ext = path.extname(fileName).toLowerCase();
  if (HTML_START.test(text.slice(0, 4096))) return 'html';
  if (JSON_START.test(text)) {
    try {
      JSON.parse(text);
      return 'json-faq';
    } catch {
      // Not JSON after all (a Markdown link list starts with "[" too).
    }
  }
  if (ext === '.csv' || ext === '.tsv' || wantsColumns) return 'csv';
  if (ext === '.html' || ext === '.htm' || ext === '.xhtml') {
    if (/<[a-z][\s\S]*>/i.test(text)) return 'html';
  }
  if (ext === '.md' || ext === '.markdown' || ext === '.mdx') return 'markdown';
  return 'text';
}

/**
 * What the bytes are. Throws ExtractionError: `empty` for an empty or blank file, `unsupported`
 * for binaries we do not read (images, archives, legacy or password-protected Office files).
 * `options` with CSV column names make a text file read as CSV whatever its extension.
 */
export async function sniffDocument(
  bytes: Uint8Array,
  fileName: string,
  options: Record<string, unknown> = {},
): Promise<SniffedDocument> {
  if (bytes.length === 0) throw new ExtractionError('The file is empty', 'empty');
  if (startsWith(bytes, ascii('%PDF-'))) return { format: 'pdf', mimeType: mimeTypeOf.pdf };
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06])) {
    return sniffZip(bytes);
  }
  if (startsWith(bytes, CFB)) {
    throw new ExtractionError(
      'The file is a legacy Office document (.doc, .xls) or a password-protected one: save it as .docx or PDF without a password and upload that',
      'unsupported',
    );
  }
  for (const [signature, what] of UNSUPPORTED_BINARIES) {
    if (startsWith(bytes, signature)) throw unsupported(what);
  }
  const text = decodeText(bytes);
  const wantsColumns = ['questionColumn', 'answerColumn', 'titleColumn', 'contentColumns'].some(
    (key) => options[key] !== undefined,
  );
  const format = textFormat(text, fileName, wantsColumns);
  return { format, mimeType: mimeTypeOf[format], text };
}
