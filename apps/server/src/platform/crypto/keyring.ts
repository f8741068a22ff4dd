import { hkdfSync } from 'node:crypto';

/**
 * The master keyring: one or more 256-bit key-encryption keys, each with a version. The highest
 * version is current: new values are wrapped with it; older versions stay readable until
 * `confidant keys rotate` has re-wrapped everything under the current one.
 *
 * Text form (CONFIDANT_MASTER_KEY or <data dir>/master.key): either one base64 key (version 1)
 * or a comma-separated list of `version:base64key` entries.
 */
export type Keyring = {
  readonly current: number;
  readonly keys: ReadonlyMap<number, Buffer>;
  /** A purpose-bound 32-byte secret derived from the current key (HKDF-SHA256). */
  derive(purpose: string): Buffer;
};

export class KeyringError extends Error {}

export function parseKeyring(text: string): Keyring {
  const entries = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const keys = new Map<number, Buffer>();
  for (const entry of entries) {
    const match = /^(?:(\d{1,6}):)?([A-Za-z0-9+/_-]+={0,2})$/.exec(entry);
    if (!match) throw new KeyringError('master key: each entry must be base64 or version:base64');
    const version = match[1] ? Number(match[1]) : 1;
    const key = Buffer.from(match[2]!, 'base64');
    if (key.length !== 32) throw new KeyringError(`master key version ${version}: must decode to 32 bytes`);
    if (keys.has(version)) throw new KeyringError(`master key version ${version}: listed twice`);
    keys.set(version, key);
  }
  if (keys.size === 0) throw new KeyringError('master key: empty');
  return makeKeyring(keys);
}

/** A purpose-bound 32-byte secret derived from one master key (HKDF-SHA256, info `confidant:<purpose>`). */
export const deriveFromMasterKey = (masterKey: Buffer, purpose: string): Buffer =>
  Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), `confidant:${purpose}`, 32));

export function makeKeyring(keys: Map<number, Buffer>): Keyring {
  const current = Math.max(...keys.keys());
  const currentKey = keys.get(current)!;
  // HKDF is deterministic, so each purpose is derived once (the hot paths — a visitor token on
  // every widget request, the rate limiter — would otherwise pay it per call). Callers get a copy:
  // the cached bytes cannot be changed through the returned Buffer.
  const derived = new Map<string, Buffer>();
  return {
    current,
    keys,
    derive: (purpose) => {
      let key = derived.get(purpose);
      if (!key) {
        key = deriveFromMasterKey(currentKey, purpose);
        derived.set(purpose, key);
      }
      return Buffer.from(key);
    },
  };
}

export function formatKeyring(keyring: Keyring): string {
  return [...keyring.keys.entries()]
    .sort(([a], [b]) => b - a)
    .map(([v, k]) => `${v}:${k.toString('base64')}`)
    .join(',');
}
