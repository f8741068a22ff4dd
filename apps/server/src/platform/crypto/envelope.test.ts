import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  decryptSecret,
  EnvelopeError,
  encryptSecret,
  envelopeKeyVersion,
  rewrapSecret,
  type SecretLocation,
} from './envelope.js';
import { makeKeyring } from './keyring.js';

const keyring1 = makeKeyring(new Map([[1, randomBytes(32)]]));
const location: SecretLocation = {
  orgId: '11111111-1111-4111-8111-111111111111',
  table: 'model_providers',
  column: 'api_key_ciphertext',
  rowId: '22222222-2222-4222-8222-222222222222',
};

describe('envelope encryption', () => {
  it('round-trips text, including unicode and empty strings, with a fresh ciphertext each time', () => {
    for (const secret of ['sk-live-abc123', 'pässwörd 🔑', '']) {
      const a = encryptSecret(keyring1, secret, location);
      const b = encryptSecret(keyring1, secret, location);
      expect(a).not.toBe(b);
      expect(a).toMatch(/^ev1\.1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
      if (secret) expect(a).not.toContain(secret);
      expect(decryptSecret(keyring1, a, location)).toBe(secret);
    }
  });

  it.each([
    ['org', { orgId: '33333333-3333-4333-8333-333333333333' }],
    ['table', { table: 'webhooks' }],
    ['column', { column: 'other_secret' }],
    ['row', { rowId: '44444444-4444-4444-8444-444444444444' }],
  ])('binds the ciphertext to its %s', (_what, change) => {
    const stored = encryptSecret(keyring1, 'bound', location);
    expect(() => decryptSecret(keyring1, stored, { ...location, ...change })).toThrow(EnvelopeError);
    expect(() => decryptSecret(keyring1, stored, { ...location, ...change })).toThrow(
      /does not authenticate/,
    );
  });

  it('rejects tampered ciphertexts', () => {
    const stored = encryptSecret(keyring1, 'untouched', location);
    const [prefix, version, dek, value] = stored.split('.') as [string, string, string, string];
    const flip = (part: string, at: number) => {
      const raw = Buffer.from(part, 'base64url');
      raw[at % raw.length]! ^= 0x01;
      return raw.toString('base64url');
    };
    for (const tampered of [
      [prefix, version, flip(dek, 20), value].join('.'),
      [prefix, version, dek, flip(value, 14)].join('.'),
      [prefix, version, dek, flip(value, -1 + Buffer.from(value, 'base64url').length)].join('.'),
    ]) {
      expect(() => decryptSecret(keyring1, tampered, location)).toThrow(EnvelopeError);
    }
    // Swapping the sealed value of another secret under the same location fails too (its DEK differs).
    const other = encryptSecret(keyring1, 'other', location).split('.');
    expect(() => decryptSecret(keyring1, [prefix, version, dek, other[3]].join('.'), location)).toThrow(
      EnvelopeError,
    );
    expect(() => decryptSecret(keyring1, 'plain text', location)).toThrow(/not an envelope/);
    expect(() => decryptSecret(keyring1, `ev1.1.${dek}.AAAA`, location)).toThrow(/too short/);
  });

  it('refuses a value whose key version is missing, and one sealed under a different key', () => {
    const stored = encryptSecret(keyring1, 'x', location);
    const onlyV2 = makeKeyring(new Map([[2, randomBytes(32)]]));
    expect(() => decryptSecret(onlyV2, stored, location)).toThrow(
      /master key version 1 is not in the keyring/,
    );
    const otherV1 = makeKeyring(new Map([[1, randomBytes(32)]]));
    expect(() => decryptSecret(otherV1, stored, location)).toThrow(EnvelopeError);
  });

  it('rotates with rewrapSecret: new version, same plaintext, idempotent, old key no longer needed', () => {
    const v1 = keyring1.keys.get(1)!;
    const v2 = randomBytes(32);
    const both = makeKeyring(
      new Map([
        [1, v1],
        [2, v2],
      ]),
    );
    expect(both.current).toBe(2);
    const stored = encryptSecret(keyring1, 'rotate me', location);
    const rewrapped = rewrapSecret(both, stored, location);
    expect(envelopeKeyVersion(stored)).toBe(1);
    expect(envelopeKeyVersion(rewrapped)).toBe(2);
    expect(rewrapSecret(both, rewrapped, location)).toBe(rewrapped);
    const onlyV2 = makeKeyring(new Map([[2, v2]]));
    expect(decryptSecret(onlyV2, rewrapped, location)).toBe('rotate me');
    expect(() => decryptSecret(onlyV2, stored, location)).toThrow(/version 1/);
    // Re-wrapping is bound to the location as well.
    expect(() => rewrapSecret(both, stored, { ...location, rowId: location.orgId })).toThrow(EnvelopeError);
    // New values are wrapped with the highest version.
    expect(envelopeKeyVersion(encryptSecret(both, 'new', location))).toBe(2);
  });
});
