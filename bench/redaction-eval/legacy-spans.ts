/**
 * The redactor as it was before the typed detectors (the four regexes of the old
 * answers/redact.ts), turned into spans so the evaluation measures it as the peer in the same
 * run. Each regex runs over the original text in the old order; a later match overlapping an
 * earlier one is dropped, which is what sequential replacement did.
 */
import { ibanValid, luhnValid } from '../../apps/server/src/modules/models/redaction/checksums.js';
import type { Gold } from './generate.js';

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
const IBAN = /\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){11,30}\b/g;
const CARD = /(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])/g;
const PHONE = /(?<![\w+])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d{2,4}(?:[ .-]?\d{2,5}){1,4}(?![\w])/g;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function legacySpans(text: string): Gold[] {
  const spans: Gold[] = [];
  const add = (type: Gold['type'], start: number, end: number) => {
    if (spans.every((s) => end <= s.start || start >= s.end)) spans.push({ type, start, end });
  };
  for (const m of text.matchAll(EMAIL)) add('EMAIL', m.index, m.index + m[0].length);
  // The old IBAN check was upper-case only.
  for (const m of text.matchAll(IBAN)) if (ibanValid(m[0])) add('IBAN', m.index, m.index + m[0].length);
  for (const m of text.matchAll(CARD)) {
    const digits = m[0].replace(/\D/g, '');
    if (digits.length >= 13 && digits.length <= 19 && luhnValid(digits))
      add('CARD', m.index, m.index + m[0].length);
  }
  for (const m of text.matchAll(PHONE)) {
    const digits = m[0].replace(/\D/g, '').length;
    if (digits < 7 || digits > 15 || ISO_DATE.test(m[0])) continue;
    add('PHONE', m.index, m.index + m[0].length);
  }
  return spans;
}
