import { ibanValid } from './checksums.js';
import type { EntitySpan } from './entity.js';

const IBAN_CANDIDATE = /\b[A-Za-z]{2}\d{2}(?:[ -]?[A-Za-z0-9]){11,30}\b/g;

/**
 * IBANs in any case, grouped or not. The candidate may swallow a following word
 * ("…0130 00 please"), so the longest prefix ending at a group boundary that passes mod-97 wins.
 */
/** IBAN length per country (ISO 13616 registry: SEPA countries and common others). */
const IBAN_LENGTH: Record<string, number> = {
  AD: 24,
  AE: 23,
  AT: 20,
  BA: 20,
  BE: 16,
  BG: 22,
  BH: 22,
  BR: 29,
  CH: 21,
  CY: 28,
  CZ: 24,
  DE: 22,
  DK: 18,
  EG: 29,
  EE: 20,
  ES: 24,
  FI: 18,
  FO: 18,
  FR: 27,
  GB: 22,
  GI: 23,
  GL: 18,
  GR: 27,
  HR: 21,
  HU: 28,
  IE: 22,
  IL: 23,
  IS: 26,
  IT: 27,
  JO: 30,
  KW: 30,
  KZ: 20,
  LB: 28,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  MC: 27,
  MD: 24,
  ME: 22,
  MK: 19,
  MT: 31,
  MU: 30,
  NL: 18,
  NO: 15,
  PK: 24,
  PL: 28,
  PS: 29,
  PT: 25,
  QA: 29,
  RO: 24,
  RS: 22,
  SA: 24,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  TN: 24,
  TR: 26,
  UA: 29,
  VA: 22,
  XK: 20,
};

/** The country code is known and the length is that country's. */
function ibanShape(candidate: string): boolean {
  const compact = candidate.replace(/[ -]/g, '').toUpperCase();
  return IBAN_LENGTH[compact.slice(0, 2)] === compact.length;
}

/**
 * A country missing from the table, or a length the table does not expect (registries change, and
 * customers mistype a group): still an IBAN when the country code is upper case, the number has
 * IBAN length (15–34) and it passes mod-97 (but see RF) — a chance of about 1 in 97 for a random code.
 */
function unregisteredShape(candidate: string): boolean {
  const compact = candidate.replace(/[ -]/g, '');
  // RF: an ISO 11649 creditor reference (payment reference), which uses the same mod-97 check.
  if (compact.startsWith('RF')) return false;
  return /^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(compact) && compact.length >= 15 && compact.length <= 34;
}

/** The longest prefix ending at a group boundary that has the shape and passes mod-97. */
function validPrefixEnd(candidate: string, shape: (value: string) => boolean): number | undefined {
  for (let end = candidate.length; end >= 15; end--) {
    if (end < candidate.length && candidate[end] !== ' ' && candidate[end] !== '-') continue;
    const value = candidate.slice(0, end);
    if (shape(value) && ibanValid(value.replace(/-/g, ' '))) return end;
  }
  return undefined;
}

export function detectIbans(text: string): EntitySpan[] {
  const spans: EntitySpan[] = [];
  const re = new RegExp(IBAN_CANDIDATE.source, 'g');
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const candidate = m[0];
    // If nothing matches, the next IBAN may start inside this candidate ("…4939 please Refund to NL25…").
    re.lastIndex = m.index + 1;
    const end = validPrefixEnd(candidate, ibanShape) ?? validPrefixEnd(candidate, unregisteredShape);
    if (end !== undefined) {
      spans.push({ type: 'IBAN', start: m.index, end: m.index + end });
      re.lastIndex = m.index + end;
    }
  }
  return spans;
}
