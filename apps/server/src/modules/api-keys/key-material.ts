import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** `ck_` + 40 url-safe characters (240 bits). Only its SHA-256 and a display prefix are stored. */
export function generateApiKey(): { key: string; prefix: string; hash: string } {
  const key = `ck_${randomBytes(30).toString('base64url')}`;
  return { key, prefix: key.slice(0, 11), hash: sha256Hex(key) };
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

export function safeEqualHex(a: string, b: string): boolean {
  const ab = Buffer.from(a, 'hex');
  const bb = Buffer.from(b, 'hex');
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}
