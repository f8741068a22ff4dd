/** The kinds of personal data the redactor recognises; each becomes a `[KIND_n]` placeholder. */
export const ENTITY_TYPES = [
  'EMAIL',
  'PHONE',
  'CARD',
  'IBAN',
  'SSN',
  'IP',
  'ADDRESS',
  'DOB',
  'PERSON',
] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

/** A detected value: `text.slice(start, end)` is the personal data. */
export type EntitySpan = { type: EntityType; start: number; end: number };

/**
 * When two detections overlap and have the same length, the more specific kind wins
 * (an SSN also looks like a phone number; a checksum-valid IBAN beats a postal address).
 */
export const SPECIFICITY: Record<EntityType, number> = {
  EMAIL: 9,
  IBAN: 8,
  CARD: 7,
  SSN: 6,
  IP: 5,
  DOB: 4,
  PHONE: 3,
  ADDRESS: 2,
  PERSON: 1,
};
