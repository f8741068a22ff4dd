import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The check behind Confidant.identify: the host site's server computes
 * `hex(HMAC-SHA256(identity secret, userId))` and hands it to the page with the user id. A visitor
 * who edits the page cannot produce it for another user id without the secret. Constant-time.
 */
export const identityHmac = (secret: string, userId: string) =>
  createHmac('sha256', secret).update(userId, 'utf8').digest('hex');

export function verifyIdentityHmac(secret: string, userId: string, hmac: string): boolean {
  const expected = Buffer.from(identityHmac(secret, userId), 'hex');
  const given = Buffer.from(hmac.toLowerCase(), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
