import { and, eq, inArray } from 'drizzle-orm';
import { decryptSecret } from '../../../platform/crypto/envelope.js';
import type { Keyring } from '../../../platform/crypto/keyring.js';
import type { Tx } from '../../../platform/db/client.js';
import { capturedValues } from '../../../platform/db/schema/index.js';
import { subjectHash } from '../subjects/subject-hash.js';

/** Recomputes the keyed hashes of captured emails and phone numbers (after a key rotation). */
export async function rehashCapturedValues(tx: Tx, keyring: Keyring, orgId: string): Promise<number> {
  const rows = await tx
    .select()
    .from(capturedValues)
    .where(and(eq(capturedValues.orgId, orgId), inArray(capturedValues.fieldKind, ['email', 'phone'])));
  let n = 0;
  for (const row of rows) {
    const value = decryptSecret(keyring, row.valueCiphertext, {
      orgId,
      table: 'captured_values',
      column: 'value_ciphertext',
      rowId: row.id,
    });
    const next = subjectHash(keyring, orgId, row.fieldKind as 'email' | 'phone', value);
    if (next === row.valueHash) continue;
    await tx
      .update(capturedValues)
      .set({ valueHash: next })
      .where(and(eq(capturedValues.orgId, orgId), eq(capturedValues.id, row.id)));
    n++;
  }
  return n;
}
