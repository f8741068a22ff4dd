import { ibanValid } from './checksums.js';
import type { EntitySpan } from './entity.js';

const IBAN_CANDIDATE = /\b[A-Za-z]{2}\d{2}(?:[ ]?[A-Za-z0-9]){11,30}\b/g;

/**
 * IBANs in any case, grouped or not. The candidate may swallow a following word
 * ("…0130 00 please"), so the longest prefix ending at a group boundary that passes mod-97 wins.
 */
export function detectIbans(text: string): EntitySpan[] {
  const spans: EntitySpan[] = [];
  for (const m of text.matchAll(IBAN_CANDIDATE)) {
    const candidate = m[0];
    for (let end = candidate.length; end >= 15; end--) {
      if (end < candidate.length && candidate[end] !== ' ') continue;
      if (ibanValid(candidate.slice(0, end))) {
        spans.push({ type: 'IBAN', start: m.index, end: m.index + end });
        break;
      }
    }
  }
  return spans;
}
