import { ExtractionError } from './types.js';

/**
 * Decoding uploaded bytes as text. Whether a file is text is decided from its bytes: NUL bytes,
 * invalid UTF-8 or many control characters mean it is not, whatever its name says.
 */

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** C0 controls and DEL, except tab, newline, vertical tab, form feed and carriage return. */
export const isStrayControl = (code: number) =>
  (code < 0x20 && (code < 0x09 || code > 0x0d)) || code === 0x7f;

const notText = (what: string) =>
  new ExtractionError(
    `The file is ${what}: upload a PDF, Word (.docx), HTML, Markdown, text, CSV or JSON file`,
    'unsupported',
  );

/** UTF-16 with a byte-order mark (what spreadsheet tools call "Unicode text"), else null. */
function decodeUtf16(bytes: Uint8Array): string | null {
  const le = bytes[0] === 0xff && bytes[1] === 0xfe;
  const be = bytes[0] === 0xfe && bytes[1] === 0xff;
  if (!le && !be) return null;
  try {
    return new TextDecoder(le ? 'utf-16le' : 'utf-16be', { fatal: true }).decode(bytes);
  } catch {
    throw notText('not valid UTF-16 text');
  }
}

/**
 * Bytes → text with \n line endings and no byte-order mark, or an ExtractionError saying why the
 * bytes are not text (`unsupported`) or hold nothing (`empty`).
 */
export function decodeText(bytes: Uint8Array): string {
  if (bytes.length === 0) throw new ExtractionError('The file is empty', 'empty');
  let text = decodeUtf16(bytes);
  if (text === null) {
    if (bytes.includes(0)) throw notText('binary (it contains NUL bytes)');
    try {
      text = utf8.decode(bytes);
    } catch {
      throw notText('not valid UTF-8 text (it may be binary or in another encoding)');
    }
  }
  if (text.includes('\u0000')) throw notText('binary (it contains NUL characters)');
  // Text files carry tabs, newlines and form feeds; a sprinkling of other C0 controls means binary.
  let controls = 0;
  for (let i = 0; i < text.length; i++) if (isStrayControl(text.charCodeAt(i))) controls++;
  if (controls > 0 && controls * 100 > text.length) throw notText('binary (it contains control characters)');
  const normalized = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  if (!normalized.trim()) throw new ExtractionError('The file has no text (only whitespace)', 'empty');
  return normalized;
}
