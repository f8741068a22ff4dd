import { constants, inflateSync } from 'node:zlib';
import { ExtractionError } from './types.js';

/**
 * A PDF's compressed streams are inflated by pdf.js as it reads them, without any limit, so a
 * small file can hold a content stream that inflates to gigabytes (a decompression bomb). Before
 * pdf.js sees the file, every Flate-compressed stream that text extraction would decode (page
 * contents, object streams, fonts — not images, which it skips) is inflated here with a hard cap
 * on the output, and the total must stay within `maxExpandedBytes`. Memory stays bounded by the
 * cap; a stream that is not valid zlib is left for pdf.js to judge.
 */

const STREAM = /stream\r?\n/g;
/** How far back from `stream` the stream's dictionary is looked for. */
const DICT_WINDOW = 4096;

const bomb = (limit: number) =>
  new ExtractionError(
    `The PDF expands to more than ${limit} bytes of content when decompressed (the limit); it may be a decompression bomb`,
  );

export function checkPdfExpansion(bytes: Uint8Array, maxExpandedBytes: number): void {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = buffer.toString('latin1');
  let left = maxExpandedBytes;
  for (const match of text.matchAll(STREAM)) {
    const at = match.index;
    // `endstream` also ends in "stream": only a keyword after the dictionary's ">>" opens a stream.
    if (text.slice(Math.max(0, at - 3), at) === 'end') continue;
    const dictStart = text.lastIndexOf('<<', at);
    if (dictStart < 0 || at - dictStart > DICT_WINDOW) continue;
    const dict = text.slice(dictStart, at);
    if (!/\/FlateDecode|\/Fl\b/.test(dict) || /\/Subtype\s*\/Image/.test(dict)) continue;
    const start = at + match[0].length;
    const end = text.indexOf('endstream', start);
    if (end < 0) continue;
    let inflated: Buffer;
    try {
      inflated = inflateSync(buffer.subarray(start, end), {
        maxOutputLength: left + 1,
        // Tolerates a truncated stream (pdf.js does too) instead of failing the check on it.
        finishFlush: constants.Z_SYNC_FLUSH,
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException)?.code === 'ERR_BUFFER_TOO_LARGE') throw bomb(maxExpandedBytes);
      continue;
    }
    left -= inflated.length;
    if (left < 0) throw bomb(maxExpandedBytes);
  }
}
