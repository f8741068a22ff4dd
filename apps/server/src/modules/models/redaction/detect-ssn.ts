import type { EntitySpan } from './entity.js';

const SSN_GROUPED = /(?<![\d-])(\d{3})([- ])(\d{2})\2(\d{4})(?![\d-])/g;
/** Nine bare digits only after an SSN word, with a few words between ("SSN? sure, it's 078051120"). */
const SSN_BARE =
  /\b(?:ssn|ss#?|social security(?: number| no\.?| #)?|social(?: sec\.?)?(?: number| no\.?| #)?|soc\.? sec\.?(?: no\.?| #)?)(?![\p{L}])[^\d\n]{0,30}?(\d{9})\b/giu;

/** SSA rules: area not 000, 666 or 9xx; group not 00; serial not 0000. */
export function ssnValid(area: string, group: string, serial: string): boolean {
  return area !== '000' && area !== '666' && area[0] !== '9' && group !== '00' && serial !== '0000';
}

export function detectSsns(text: string): EntitySpan[] {
  const spans: EntitySpan[] = [];
  for (const m of text.matchAll(SSN_GROUPED)) {
    if (ssnValid(m[1] ?? '', m[3] ?? '', m[4] ?? ''))
      spans.push({ type: 'SSN', start: m.index, end: m.index + m[0].length });
  }
  for (const m of text.matchAll(SSN_BARE)) {
    const digits = m[1] ?? '';
    if (!ssnValid(digits.slice(0, 3), digits.slice(3, 5), digits.slice(5))) continue;
    const start = m.index + m[0].length - digits.length;
    spans.push({ type: 'SSN', start, end: start + digits.length });
  }
  return spans;
}
