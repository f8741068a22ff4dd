import { luhnValid } from './checksums.js';
import type { EntitySpan } from './entity.js';
import { followsIdentifierWord } from './identifier-context.js';

const CARD = /(?<![\w.-])\d(?:[ .-]?\d){12,18}(?![\d-]|\.\d)/g;
const CARD_WORD = /\b(?:card|visa|mastercard|amex|debit|credit|cc)\b/i;

/**
 * The candidate, or the candidate without a last short group after a space, with 13–19 digits that pass Luhn:
 * "4137002211889005 04/29" swallows the expiry month, so the card is the part before it.
 */
function luhnPrefix(candidate: string): string | undefined {
  const trimmed = candidate.replace(/ \d{1,4}$/, '');
  for (const value of trimmed === candidate ? [candidate] : [candidate, trimmed]) {
    const digits = value.replace(/\D/g, '');
    if (digits.length >= 13 && digits.length <= 19 && luhnValid(digits)) return value;
  }
  return undefined;
}

/** 13–19 digit numbers that pass Luhn; not after "order"/"tracking"… unless a card is mentioned. */
export function detectCards(text: string): EntitySpan[] {
  const spans: EntitySpan[] = [];
  for (const m of text.matchAll(CARD)) {
    const value = luhnPrefix(m[0]);
    if (value === undefined) continue;
    const before = text.slice(Math.max(0, m.index - 32), m.index);
    if (followsIdentifierWord(text, m.index) && !CARD_WORD.test(before)) continue;
    spans.push({ type: 'CARD', start: m.index, end: m.index + value.length });
  }
  return spans;
}
