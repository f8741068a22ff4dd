import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Keyring } from './keyring.js';

/**
 * Envelope encryption for secrets at rest (provider keys, tokens).
 *
 * Each value gets its own random data key (DEK); the value is sealed with AES-256-GCM under the
 * DEK, and the DEK is sealed under the current master key version (KEK). Both seals bind the
 * same additional authenticated data — org, table, column and row — so a ciphertext copied into
 * another row, column or org fails to decrypt. Stored form:
 *   ev1.<kek version>.<sealed DEK>.<sealed value>   (base64url parts; each seal = iv|ciphertext|tag)
 */
export type SecretLocation = { orgId: string; table: string; column: string; rowId: string };

const aadOf = (l: SecretLocation) =>
  Buffer.from(`confidant:v1:${l.orgId}:${l.table}:${l.column}:${l.rowId}`, 'utf8');

function seal(key: Buffer, plaintext: Buffer, aad: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
}

function open(key: Buffer, sealed: string, aad: Buffer): Buffer {
  const raw = Buffer.from(sealed, 'base64url');
  if (raw.length < 12 + 16) throw new EnvelopeError('ciphertext too short');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  decipher.setAAD(aad);
  decipher.setAuthTag(raw.subarray(raw.length - 16));
  try {
    return Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]);
  } catch {
    throw new EnvelopeError('ciphertext does not authenticate for this location');
  }
}

export class EnvelopeError extends Error {}

type Parsed = { version: number; sealedDek: string; sealedValue: string };

function parse(stored: string): Parsed {
  const parts = stored.split('.');
  if (parts.length !== 4 || parts[0] !== 'ev1' || !/^\d+$/.test(parts[1]!))
    throw new EnvelopeError('not an envelope');
  return { version: Number(parts[1]), sealedDek: parts[2]!, sealedValue: parts[3]! };
}

export function encryptSecret(keyring: Keyring, plaintext: string, location: SecretLocation): string {
  const aad = aadOf(location);
  const dek = randomBytes(32);
  const sealedValue = seal(dek, Buffer.from(plaintext, 'utf8'), aad);
  const sealedDek = seal(keyring.keys.get(keyring.current)!, dek, aad);
  dek.fill(0);
  return `ev1.${keyring.current}.${sealedDek}.${sealedValue}`;
}

export function decryptSecret(keyring: Keyring, stored: string, location: SecretLocation): string {
  const { version, sealedDek, sealedValue } = parse(stored);
  const kek = keyring.keys.get(version);
  if (!kek) throw new EnvelopeError(`master key version ${version} is not in the keyring`);
  const aad = aadOf(location);
  const dek = open(kek, sealedDek, aad);
  try {
    return open(dek, sealedValue, aad).toString('utf8');
  } finally {
    dek.fill(0);
  }
}

/** The key version a stored value is wrapped with. */
export const envelopeKeyVersion = (stored: string) => parse(stored).version;

/** Re-seals the DEK under the current master key; the sealed value itself is unchanged. */
export function rewrapSecret(keyring: Keyring, stored: string, location: SecretLocation): string {
  const { version, sealedDek, sealedValue } = parse(stored);
  if (version === keyring.current) return stored;
  const kek = keyring.keys.get(version);
  if (!kek) throw new EnvelopeError(`master key version ${version} is not in the keyring`);
  const aad = aadOf(location);
  const dek = open(kek, sealedDek, aad);
  try {
    return `ev1.${keyring.current}.${seal(keyring.keys.get(keyring.current)!, dek, aad)}.${sealedValue}`;
  } finally {
    dek.fill(0);
  }
}
