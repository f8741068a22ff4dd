import type { EntitySpan } from './entity.js';

/** Starts only where a run of address characters starts, so long runs without "@" stay linear. */
const EMAIL = /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;

/**
 * Addresses people write to dodge scrapers: "anna [at] example [dot] com", "anna(at)example.de",
 * "jan.k at gmail dot com". The bare " at " form needs a spelled-out " dot " too, so "meet at
 * home.com" style text does not qualify.
 */
const AT = '(?:\\s*[[({]\\s*at\\s*[\\])}]\\s*|\\s+at\\s+)';
const DOT = '(?:\\s*[[({]\\s*dot\\s*[\\])}]\\s*|\\s+dot\\s+|\\.)';
const OBFUSCATED = new RegExp(
  `(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+${AT}[A-Za-z0-9-]+(?:${DOT}[A-Za-z0-9-]+)*${DOT}[A-Za-z]{2,}\\b`,
  'gi',
);
const AT_WORD = /\bat\b/i;
const BRACKETED_OR_SPELLED = /[[({]\s*at\s*[\])}]|\sdot\s|[[({]\s*dot/i;

export function detectEmails(text: string): EntitySpan[] {
  const spans: EntitySpan[] = [...text.matchAll(EMAIL)].map((m) => ({
    type: 'EMAIL',
    start: m.index,
    end: m.index + m[0].length,
  }));
  if (!AT_WORD.test(text)) return spans;
  for (const m of text.matchAll(OBFUSCATED)) {
    if (!BRACKETED_OR_SPELLED.test(m[0])) continue;
    spans.push({ type: 'EMAIL', start: m.index, end: m.index + m[0].length });
  }
  return spans;
}
