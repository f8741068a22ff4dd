/**
 * One HTTP byte range (RFC 9110 §14) of a body of `size` bytes, for seeking in a recording.
 * Returns null when the header is absent or not a single `bytes=` range we serve (the whole body
 * is sent, which the RFC allows), 'unsatisfiable' when the range starts past the end (416).
 * Multiple ranges are answered with the whole body too: audio players ask for one.
 */
export function byteRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | 'unsatisfiable' | null {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return null;
  const [, from, to] = match;
  if (from === '' && to === '') return null;
  if (from === '') {
    // A suffix: the last N bytes.
    const n = Number(to);
    if (n === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(from);
  if (start >= size) return 'unsatisfiable';
  const end = to === '' ? size - 1 : Math.min(Number(to), size - 1);
  if (end < start) return null;
  return { start, end };
}
