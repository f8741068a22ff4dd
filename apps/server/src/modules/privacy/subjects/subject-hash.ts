import { createHmac } from 'node:crypto';
import type { Keyring } from '../../../platform/crypto/keyring.js';

/**
 * Keyed hashes of subject identifiers (emails, phone numbers, host-site user ids): how a
 * data-subject request finds a person's rows by exact value without the identifier being stored
 * in clear for lookup. HMAC-SHA256 under a key derived from the master keyring (purpose
 * `subject-lookup`), over the org id, the kind and the normalized value — the same address gives
 * different hashes in two orgs, and nobody without the master key can test guesses.
 *
 * Invariant: the key derives from the keyring's current version, so rotating the master key
 * changes every hash; `confidant keys rotate` recomputes them (rehash-subjects.ts).
 */
export type HashedKind = 'email' | 'phone' | 'userId' | 'conversationId';

export const normalizeSubjectEmail = (email: string) => email.trim().toLowerCase();
/** Digits only: "+1 (555) 010-1234" and "15550101234" are the same number. */
export const phoneDigits = (phone: string) => phone.replace(/\D/g, '');

export function normalizeSubject(kind: HashedKind, value: string): string {
  if (kind === 'email') return normalizeSubjectEmail(value);
  if (kind === 'phone') return phoneDigits(value);
  if (kind === 'conversationId') return value.toLowerCase();
  return value;
}

export function subjectHash(keyring: Keyring, orgId: string, kind: HashedKind, value: string): string {
  return createHmac('sha256', keyring.derive('subject-lookup'))
    .update(`${orgId}\0${kind}\0${normalizeSubject(kind, value)}`, 'utf8')
    .digest('hex');
}
