import { detectAddresses } from './detect-address.js';
import { detectCards } from './detect-card.js';
import { detectDatesOfBirth } from './detect-dob.js';
import { detectEmails } from './detect-email.js';
import { detectIbans } from './detect-iban.js';
import { detectIps } from './detect-ip.js';
import { detectPersons } from './detect-person.js';
import { detectPhones } from './detect-phone.js';
import { detectSsns } from './detect-ssn.js';
import { type EntitySpan, SPECIFICITY } from './entity.js';

const DETECTORS = [
  detectEmails,
  detectIbans,
  detectCards,
  detectSsns,
  detectIps,
  detectDatesOfBirth,
  detectPhones,
  detectAddresses,
  detectPersons,
];

/**
 * Runs every detector and resolves overlaps: the longest span wins, ties go to the more specific
 * kind (SSN over PHONE). The result is sorted and non-overlapping, ready for replacement.
 */
export function detectEntities(text: string): EntitySpan[] {
  const all = DETECTORS.flatMap((detect) => detect(text)).filter((s) => s.end > s.start);
  all.sort(
    (a, b) =>
      b.end - b.start - (a.end - a.start) || SPECIFICITY[b.type] - SPECIFICITY[a.type] || a.start - b.start,
  );
  const kept: EntitySpan[] = [];
  for (const span of all) {
    if (kept.every((k) => span.end <= k.start || span.start >= k.end)) kept.push(span);
  }
  return kept.sort((a, b) => a.start - b.start);
}
