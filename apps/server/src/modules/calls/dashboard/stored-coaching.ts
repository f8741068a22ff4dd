import type { CallCoaching } from '@confidant/contract';
import { and, eq, inArray } from 'drizzle-orm';
import { decryptSecret } from '../../../platform/crypto/envelope.js';
import type { Keyring } from '../../../platform/crypto/keyring.js';
import type { Tx } from '../../../platform/db/client.js';
import { callCoaching } from '../../../platform/db/schema/index.js';
import { coachingLocation } from '../service.js';

/**
 * The stored per-call coaching (envelope-encrypted, bound to org/table/column/row) of some
 * calls, decrypted (bound as the calls pipeline seals it: `coachingLocation` of the calls
 * service). A row that cannot be decrypted is skipped, so one bad row never breaks a dashboard.
 */
export async function readStoredCoaching(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  callIds: readonly string[],
): Promise<Map<string, CallCoaching>> {
  if (callIds.length === 0) return new Map();
  const rows = await tx
    .select({ id: callCoaching.id, callId: callCoaching.callId, ciphertext: callCoaching.coachingCiphertext })
    .from(callCoaching)
    .where(and(eq(callCoaching.orgId, orgId), inArray(callCoaching.callId, [...callIds])));
  const out = new Map<string, CallCoaching>();
  for (const row of rows) {
    try {
      const coaching = JSON.parse(
        decryptSecret(keyring, row.ciphertext, coachingLocation(orgId, row.id)),
      ) as CallCoaching;
      out.set(row.callId, coaching);
    } catch {
      // Skipped (see above).
    }
  }
  return out;
}
