import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { formatKeyring, KeyringError, parseKeyring } from './keyring.js';

const b64 = (bytes = 32) => randomBytes(bytes).toString('base64');

describe('parseKeyring', () => {
  it('reads one bare key as version 1', () => {
    const key = randomBytes(32);
    const keyring = parseKeyring(key.toString('base64'));
    expect(keyring.current).toBe(1);
    expect(keyring.keys.get(1)).toEqual(key);
  });

  it('reads versioned lists (base64 or base64url), the highest version is current, and round-trips', () => {
    const k3 = randomBytes(32);
    const keyring = parseKeyring(` 1:${b64()} , 3:${k3.toString('base64url')},2:${b64()}\n`);
    expect(keyring.current).toBe(3);
    expect([...keyring.keys.keys()].sort()).toEqual([1, 2, 3]);
    expect(keyring.keys.get(3)).toEqual(k3);
    const again = parseKeyring(formatKeyring(keyring));
    expect(again.current).toBe(3);
    for (const [v, k] of keyring.keys) expect(again.keys.get(v)).toEqual(k);
  });

  it.each([
    ['too short', b64(16), /must decode to 32 bytes/],
    ['too long', `2:${b64(48)}`, /version 2: must decode to 32 bytes/],
    ['duplicate version', `1:${b64()},1:${b64()}`, /version 1: listed twice/],
    ['bare key plus version 1', `${b64()},1:${b64()}`, /listed twice/],
    ['not base64', 'this is not a key!', /base64/],
    ['empty', ' , ', /empty/],
  ])('rejects %s', (_name, text, message) => {
    expect(() => parseKeyring(text)).toThrow(KeyringError);
    expect(() => parseKeyring(text)).toThrow(message);
  });

  it('derives distinct, stable purpose-bound secrets from the current key', () => {
    const text = `1:${b64()},2:${b64()}`;
    const a = parseKeyring(text);
    const b = parseKeyring(text);
    expect(a.derive('visitor-token')).toEqual(b.derive('visitor-token'));
    expect(a.derive('visitor-token')).not.toEqual(a.derive('auth'));
    expect(a.derive('auth')).toHaveLength(32);
    expect(a.derive('auth')).not.toEqual(a.keys.get(2));
  });
});
