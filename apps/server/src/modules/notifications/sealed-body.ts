import { and, eq, inArray, isNotNull, lte, sql } from 'drizzle-orm';
import { decryptSecret, encryptSecret, type SecretLocation } from '../../platform/crypto/envelope.js';
import type { Keyring } from '../../platform/crypto/keyring.js';
import type { Tx } from '../../platform/db/client.js';
import { notifications } from '../../platform/db/schema/index.js';
import { sha256Hex } from '../api-keys/key-material.js';

/**
 * Emails that carry a one-time link (an invitation) never sit in plaintext in `notifications`:
 * their text is envelope-encrypted into `sealed_body` (bound to org, table, column and row) and
 * `body` stays empty. The sealed text lives only as long as it is needed:
 * - sent through SMTP → dropped right after the send, and the recipient address replaced by its
 *   hash (what remains is metadata: kind, recipient hash, times);
 * - dev outbox (no SMTP) → kept for admins to read (they could create the invitation anyway)
 *   until the link is used or revoked, or `sealed_until` (its expiry) passes.
 */
const location = (orgId: string, rowId: string): SecretLocation => ({
  orgId,
  table: 'notifications',
  column: 'sealed_body',
  rowId,
});

export const sealBody = (keyring: Keyring, orgId: string, rowId: string, text: string) =>
  encryptSecret(keyring, text, location(orgId, rowId));

/** The text of a sealed email, or null once it was dropped or has expired. */
export function openSealedBody(
  keyring: Keyring,
  row: { orgId: string; id: string; sealedBody: string | null; sealedUntil: Date | null },
  now = Date.now(),
): string | null {
  if (row.sealedBody === null) return null;
  if (row.sealedUntil && row.sealedUntil.getTime() <= now) return null;
  return decryptSecret(keyring, row.sealedBody, location(row.orgId, row.id));
}

/** What is kept of a sealed email once it went out through SMTP. */
export const afterSealedSend = (recipient: string) => ({
  sealedBody: null,
  recipient: `sha256:${sha256Hex(recipient.trim().toLowerCase())}`,
});

/** Drops the sealed text of the invitation emails to `email` (the invitation was used or revoked). */
export async function dropSealedInvitationEmails(tx: Tx, orgId: string, email: string): Promise<void> {
  await tx
    .update(notifications)
    .set({ sealedBody: null })
    .where(
      and(
        eq(notifications.orgId, orgId),
        eq(notifications.kind, 'invitation'),
        eq(notifications.recipient, email),
        isNotNull(notifications.sealedBody),
      ),
    );
}

/** Drops every sealed text past its expiry (the notifications sweep, every minute). */
export async function dropExpiredSealedBodies(tx: Tx, orgIds: string[]): Promise<void> {
  await tx
    .update(notifications)
    .set({ sealedBody: null })
    .where(
      and(
        inArray(notifications.orgId, orgIds),
        isNotNull(notifications.sealedBody),
        lte(notifications.sealedUntil, sql`now()`),
      ),
    );
}
