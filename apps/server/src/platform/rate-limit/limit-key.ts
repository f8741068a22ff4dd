import { createHmac } from 'node:crypto';

/**
 * The key a counter is stored under: the limit's name and a keyed hash of what is counted (an
 * address, an email, a key id…). Keyed (HMAC with a secret derived from the master key) so that
 * a dump of Redis or of memory cannot be matched against a list of emails or addresses.
 * 128 bits of the digest: collisions between two subjects are not a practical concern.
 */
export function limitKey(secret: Buffer, name: string, subject: string): string {
  const digest = createHmac('sha256', secret).update(`${name}\0${subject}`).digest('base64url');
  return `${name}:${digest.slice(0, 22)}`;
}
