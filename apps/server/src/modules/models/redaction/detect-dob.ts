import type { EntitySpan } from './entity.js';

const MONTH =
  '(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?|Januar|Februar|März|Mai|Juni|Juli|Oktober|Dezember|janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre)';
const DATE = `(?:\\d{4}[-/.]\\d{1,2}[-/.]\\d{1,2}|\\d{1,2}[./-]\\d{1,2}[./-]\\d{2,4}|\\d{1,2}(?:st|nd|rd|th)?(?:\\s+of)?\\s+${MONTH}\\.?,?\\s+\\d{4}|${MONTH}\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+\\d{4})`;
/** A date is a date of birth only in context: "born", "DOB", "date of birth", "birthday", "geboren", "né le". */
const DOB = new RegExp(
  `(?:\\bborn(?:\\s+on)?|\\bd\\.?o\\.?b\\.?|date\\s+of\\s+birth|birth\\s*date|birthday|geboren(?:\\s+am)?|née?\\s+le|geboortedatum)\\s*(?:is|was|:|-)?\\s*(?:on\\s+)?(?:the\\s+)?(${DATE})`,
  'giu',
);

export function detectDatesOfBirth(text: string): EntitySpan[] {
  const spans: EntitySpan[] = [];
  for (const m of text.matchAll(DOB)) {
    const date = m[1] ?? '';
    const start = m.index + m[0].length - date.length;
    spans.push({ type: 'DOB', start, end: start + date.length });
  }
  return spans;
}
