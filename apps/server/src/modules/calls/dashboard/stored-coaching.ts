import type { CallCoaching } from '@confidant/contract';
import { and, eq, inArray } from 'drizzle-orm';
import { decryptSecret } from '../../../platform/crypto/envelope.js';
import type { Keyring } from '../../../platform/crypto/keyring.js';
import type { Tx } from '../../../platform/db/client.js';
import { callCoaching } from '../../../platform/db/schema/index.js';

/**
 * The stored per-call coaching (envelope-encrypted, bound to org/table/column/row) of some
 * calls, decrypted. The row binding must match how the calls pipeline seals it
 * (`coachingLocation` in the calls service); a row that cannot be decrypted is skipped, so one
 * bad row never breaks a dashboard.
 */
export async function readStoredCoaching(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  callIds: readonly string[],
): Promise<Map<string, CallCoaching>> {
  if (callIds.length === 0) return new Map();
  const rows = await tx
    .select({ callId: callCoaching.callId, ciphertext: callCoaching.coachingCiphertext })
    .from(callCoaching)
    .where(and(eq(callCoaching.orgId, orgId), inArray(callCoaching.callId, [...callIds])));
  const out = new Map<string, CallCoaching>();
  for (const row of rows) {
    try {
      const coaching = JSON.parse(
        decryptSecret(keyring, row.ciphertext, coachingLocation(orgId, row.callId)),
      ) as CallCoaching;
      out.set(row.callId, coaching);
    } catch {
      // Skipped (see above).
    }
  }
  return out;
}

export const coachingLocation = (orgId: string, rowId: string) => ({
  orgId,
  table: 'call_coaching',
  column: 'coaching_ciphertext',
  rowId,
});
