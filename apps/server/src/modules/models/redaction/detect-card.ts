import { luhnValid } from './checksums.js';
import type { EntitySpan } from './entity.js';
import { followsIdentifierWord } from './identifier-context.js';

const CARD = /(?<![\w.-])\d(?:[ .-]?\d){12,18}(?![\d-]|\.\d)/g;
const CARD_WORD = /\b(?:card|visa|mastercard|amex|debit|credit|cc)\b/i;

/** 13–19 digit numbers that pass Luhn; not after "order"/"tracking"… unless a card is mentioned. */
export function detectCards(text: string): EntitySpan[] {
  const spans: EntitySpan[] = [];
  for (const m of text.matchAll(CARD)) {
    const digits = m[0].replace(/\D/g, '');
    if (digits.length < 13 || digits.length > 19 || !luhnValid(digits)) continue;
    const before = text.slice(Math.max(0, m.index - 32), m.index);
    if (followsIdentifierWord(text, m.index) && !CARD_WORD.test(before)) continue;
    spans.push({ type: 'CARD', start: m.index, end: m.index + m[0].length });
  }
  return spans;
}
