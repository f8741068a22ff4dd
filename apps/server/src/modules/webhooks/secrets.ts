import { randomBytes } from 'node:crypto';
import { decryptSecret, encryptSecret } from '../../platform/crypto/envelope.js';
import type { Keyring } from '../../platform/crypto/keyring.js';

/**
 * Webhook signing secrets: `whsec_` + base64 of 32 random bytes (the Standard Webhooks form),
 * generated here, shown once to the admin and stored only envelope-encrypted, bound to org,
 * table, column and row (platform/crypto/envelope.ts).
 */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

type Table = 'webhook_endpoints' | 'inbound_hooks';
type Column = 'secret_ciphertext' | 'previous_secret_ciphertext';

export function sealSecret(
  keyring: Keyring,
  secret: string,
  where: { orgId: string; table: Table; column: Column; rowId: string },
): string {
  return encryptSecret(keyring, secret, where);
}

export function openSecret(
  keyring: Keyring,
  stored: string,
  where: { orgId: string; table: Table; column: Column; rowId: string },
): string {
  return decryptSecret(keyring, stored, where);
}
