import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js';
import type { EntitySpan } from './entity.js';
import { followsIdentifierWord } from './identifier-context.js';

/**
 * Candidates: optional +CC, optional "(0)" trunk, optional (area), digit groups separated by one
 * space, dot or hyphen (a slash only after a 0-led area code: "0171/5544332"), optional extension ("x036",
 * "ext. 22", "extension 4", Polish "wew. 215"). libphonenumber-js
 * then decides whether the digits are a possible number for the country given by +CC, or for
 * one of the locales we serve when there is none.
 */
const PHONE_CANDIDATE =
  /(?<![\w+#/.,-])(?:\+\s?\d{1,3}[ .-]?|\(\+\d{1,3}\)\s?)?(?:\(0\)\s?)?(?:\(\d{1,5}\)[ .-]?|0\d{2,4} ?\/ ?)?\d{1,5}(?:[ .-]?\d{1,5}){0,6}(?:\s?(?:x|ext\.?|extension|wew\.?|durchwahl|poste|interno|loc\.|转|分机|#)\s?\d{1,6})?(?![\w-]|[.,:]\d)/gi;
const EXTENSION = /\s?(?:x|ext\.?|extension|wew\.?|durchwahl|poste|interno|loc\.|转|分机|#)\s?\d{1,6}$/i;
const DATE_LIKE = /^(?:\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4})$/;
/** "2024-03-02 23" from "2024-03-02 23:59": a date and the hour of a time. */
const STARTS_WITH_DATE = /^(?:\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{4})\s/;
/**
 * A postal code, not a phone: digits after a postal marker (〒, CEP, P.O. Box, PLZ), or a hyphenated
 * 4–5 + 3 digit code followed by a capitalised place name ("1200-108 Lisboa", "01426-001 São Paulo").
 */
const POSTAL_MARKER_BEFORE = /(?:〒|\b(?-i:CEP)|\bP\.?\s?O\.?\s?Box|\bPostfach|\bPLZ|\bC\.?P\.?)\s*:?\s*$/i;
const HYPHENATED_POSTCODE = /^\d{4,5}-\d{3}$/;
const PLACE_AFTER = /^ \p{Lu}\p{Ll}/u;
function postalCode(text: string, start: number, candidate: string): boolean {
  if (POSTAL_MARKER_BEFORE.test(text.slice(Math.max(0, start - 16), start))) return true;
  return HYPHENATED_POSTCODE.test(candidate) && PLACE_AFTER.test(text.slice(start + candidate.length));
}
const NATIONAL_COUNTRIES: CountryCode[] = ['US', 'GB', 'DE', 'FR', 'NL', 'IN'];

/** A hyphenated ISBN-13 ("978-3-16-148410-0"): 978/979 prefix and a valid check digit. */
function isbn13(candidate: string): boolean {
  const digits = candidate.replace(/\D/g, '');
  if (digits.length !== 13 || !/^97[89]/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 13; i++) sum += Number(digits[i]) * (i % 2 === 0 ? 1 : 3);
  return sum % 10 === 0;
}

/** "120.0.6099.109": dots only, and a one-digit group or only two groups — a version or build number. */
function dottedVersion(candidate: string): boolean {
  if (!/^\d+(?:\.\d+)+$/.test(candidate)) return false;
  // "26100.2454": two dotted groups is a build or a decimal; dotted phones have three or more.
  return candidate.split('.').length === 2 || candidate.split('.').some((group) => group.length === 1);
}

function possibleNumber(main: string): boolean {
  const digits = main.replace(/\D/g, '');
  if (digits.length < 7 || digits.length > 15) return false;
  if (main.trimStart().startsWith('+')) return parsePhoneNumberFromString(main)?.isPossible() ?? false;
  return NATIONAL_COUNTRIES.some((c) => parsePhoneNumberFromString(main, c)?.isPossible() ?? false);
}

export function detectPhones(text: string): EntitySpan[] {
  const spans: EntitySpan[] = [];
  for (const m of text.matchAll(PHONE_CANDIDATE)) {
    const candidate = m[0];
    // "(+44) 20 …" is "+44 20 …" to the parser.
    const main = candidate.replace(EXTENSION, '').replace(/^\((\+\d{1,3})\)/, '$1');
    if (DATE_LIKE.test(main) || STARTS_WITH_DATE.test(main) || isbn13(main) || dottedVersion(main)) continue;
    if (!possibleNumber(main) || postalCode(text, m.index, candidate)) continue;
    // Bare digit runs after "order", "tracking"… are identifiers; a formatted +CC number is not.
    if (!main.startsWith('+') && followsIdentifierWord(text, m.index)) continue;
    spans.push({ type: 'PHONE', start: m.index, end: m.index + candidate.length });
  }
  return spans;
}
