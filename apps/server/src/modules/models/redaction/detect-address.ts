import type { EntitySpan } from './entity.js';

/**
 * Street addresses in the formats of the locales we serve, with the unit, postal code and city
 * that follow them. Each form anchors on something an order or product code does not have: a
 * street-type word (Street, Rd, rue, -straße, -gracht…) next to a house number.
 */
const WORD = "[\\p{Lu}][\\p{L}'’.-]*";
const NAME_WORDS = `(?:${WORD}\\s+){0,3}`;
// Only an abbreviation takes its dot: "Baker Street." ends a sentence, and the restored answer
// must not gain a second full stop.
const STREET_TYPE =
  '(?:(?:St|Ave|Rd|Blvd|Ln|Dr|Ct|Pl|Terr|Cres|Sq|Pkwy|Hwy|Cir)\\.?|Street|Avenue|Road|Boulevard|Lane|Drive|Court|Way|Place|Terrace|Close|Crescent|Square|Parkway|Highway|Gardens|Row|Mews|Hill|Circle|Trail|Marg|Nagar|Path)';
const UNIT = '(?:,?\\s*(?:Apt|Apartment|Suite|Ste|Unit|Flat|Floor|Fl|#)\\.?\\s*#?[\\w-]{1,6})';
const NUMBER_FIRST = `\\b\\d{1,5}[A-Za-z]?,?\\s+${NAME_WORDS}${WORD}\\s+${STREET_TYPE}(?![\\p{L}])`;
const FRENCH =
  "\\b\\d{1,4}(?:\\s?(?:bis|ter))?,?\\s+(?:rue|avenue|av\\.|boulevard|bd|place|chemin|allée|impasse|quai|route|cours)\\s+(?:(?:de\\s+la|de|du|des|la|le)\\s+|l'|d')?" +
  `${WORD}(?:[\\s-]${WORD}){0,3}`;
const STREET_SUFFIX =
  '(?:straße|strasse|str\\.|weg|allee|platz|gasse|ring|damm|ufer|straat|gracht|laan|plein|kade|dijk|singel|steeg|markt)';
const STREET_FIRST = `(?:\\b${WORD}\\s)?\\b\\p{Lu}\\p{L}*${STREET_SUFFIX}(?:\\s+\\d{1,4}(?:\\s?[a-zA-Z]\\b|-\\d{1,3})?)`;
const SEPARATE_SUFFIX = `\\b${WORD}\\s+(?:Straße|Strasse|Weg|Allee|Platz|Gasse)\\s+\\d{1,4}[a-zA-Z]?\\b`;
const UNIT_FIRST = `(?:\\b(?:Flat|Apt|Apartment|Unit|Suite)\\.?\\s*\\w{1,5},\\s*)`;
/** City names: capitalised words without dots, so "Berlin. Thanks" stops at Berlin. */
const CITY_WORD = "[\\p{Lu}][\\p{L}'’-]*";
const CITY = `${CITY_WORD}(?:[ -]${CITY_WORD}){0,2}`;
const POSTAL_TAIL = [
  `,\\s*${CITY},?\\s+[A-Z]{2}\\s+\\d{5}(?:-\\d{4})?`, // US: Springfield, IL 62704
  `,\\s*${CITY},?\\s+[A-Z]{1,2}\\d[A-Z\\d]?\\s?\\d[A-Z]{2}\\b`, // UK: London NW1 6XE
  `,?\\s+[A-Z]{1,2}\\d[A-Z\\d]?\\s?\\d[A-Z]{2}\\b`, // UK postcode directly
  `,\\s*\\d{5}\\s+${CITY}`, // DE/FR: 10115 Berlin
  `,\\s*\\d{4}\\s?[A-Z]{2}\\s+${CITY}`, // NL: 1015 CJ Amsterdam
  `,\\s*${CITY}\\s*[-–]?\\s*\\d{6}\\b`, // IN: Bengaluru 560001
  `,\\s*${CITY}(?=[,.]|\\s*$)`, // city alone
].join('|');
const ADDRESS = new RegExp(
  `${UNIT_FIRST}?(?:${NUMBER_FIRST}|${FRENCH}|${STREET_FIRST}|${SEPARATE_SUFFIX})${UNIT}?(?:${POSTAL_TAIL})?`,
  'gu',
);

export function detectAddresses(text: string): EntitySpan[] {
  return [...text.matchAll(ADDRESS)].map((m) => ({
    type: 'ADDRESS',
    start: m.index,
    end: m.index + m[0].length,
  }));
}
