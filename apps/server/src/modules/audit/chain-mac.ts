import { createHash, createHmac } from 'node:crypto';
import { deriveFromMasterKey, type Keyring } from '../../platform/crypto/keyring.js';
import { canonicalJson } from './canonical-json.js';

/**
 * How an audit entry is sealed into its org's chain (docs/ARCHITECTURE.md, "Audit log").
 *
 * Keyed (v2, every entry written now):
 *   hash = HMAC-SHA256(chain key, prev_hash || canonical_json({ v: 2, …fields, keyVersion }))
 *   chain key = HKDF-SHA256(master key version keyVersion, info "confidant:audit-chain:<org id>")
 * The chain key never reaches the database, so a database owner who rewrites entries cannot
 * recompute their hashes. Binding the org id into the key means one org's entries cannot be
 * replayed into another org's chain.
 *
 * Legacy (v1, before keyed chains): hash = sha256(prev_hash || canonical_json({ v: 1, …fields })).
 * Anyone can compute it; it is only read to check a legacy chain before it is re-sealed.
 */
export const GENESIS_HASH = '0'.repeat(64);

export type EntryFields = {
  orgId: string;
  seq: number;
  at: Date;
  actorType: string;
  actorId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  metadata: Record<string, string | number | boolean | null>;
};

/** The recorded fields in canonical order. Timestamps as epoch milliseconds, absent values as null. */
const recorded = (e: EntryFields) => ({
  orgId: e.orgId,
  seq: e.seq,
  at: e.at.getTime(),
  actorType: e.actorType,
  actorId: e.actorId,
  action: e.action,
  targetType: e.targetType,
  targetId: e.targetId,
  metadata: e.metadata,
});

/** The key that seals one org's chain under one master key version; undefined if that version is not in the keyring. */
export function chainKey(keyring: Keyring, keyVersion: number, orgId: string): Buffer | undefined {
  const masterKey = keyring.keys.get(keyVersion);
  return masterKey && deriveFromMasterKey(masterKey, `audit-chain:${orgId}`);
}

/** The keyed MAC of an entry (hex), made with its org's chain key under `keyVersion`. */
export function keyedEntryHash(key: Buffer, keyVersion: number, prevHash: string, e: EntryFields): string {
  const canonical = canonicalJson({ v: 2, ...recorded(e), keyVersion });
  return createHmac('sha256', key).update(prevHash).update(canonical).digest('hex');
}

/** The plain SHA-256 of a legacy entry (hex). */
export function legacyEntryHash(prevHash: string, e: EntryFields): string {
  return createHash('sha256')
    .update(prevHash)
    .update(canonicalJson({ v: 1, ...recorded(e) }))
    .digest('hex');
}
