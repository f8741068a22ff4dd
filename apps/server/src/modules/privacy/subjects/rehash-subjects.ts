import { and, eq } from 'drizzle-orm';
import { decryptSecret } from '../../../platform/crypto/envelope.js';
import type { Keyring } from '../../../platform/crypto/keyring.js';
import type { Database } from '../../../platform/db/client.js';
import { organizations, visitorContacts, visitorIdentities } from '../../../platform/db/schema/index.js';
import { withTenant } from '../../../platform/db/tenancy.js';
import { rehashCapturedValues } from '../consent/rehash-captured.js';
import { subjectHash } from './subject-hash.js';

/**
 * Recomputes the keyed lookup hashes under the keyring's current version (after
 * `confidant keys rotate`), from the values they hash: the consented contact address (stored for
 * replies) and the encrypted identity values. Also fills hashes of contacts saved before the
 * column existed. Idempotent; one tenant transaction per organization.
 *
 * Not recomputable, by design: `privacy_requests.subject_hash` (the identifier is not kept) — a
 * request from before the rotation is simply not matched to later ones.
 */
export async function rehashSubjectLookups(database: Database, keyring: Keyring): Promise<number> {
  const orgs = await database.db.select({ id: organizations.id }).from(organizations);
  let changed = 0;
  for (const { id: orgId } of orgs) {
    changed += await withTenant(database, [orgId], async (tx) => {
      let n = 0;
      const contacts = await tx
        .select({
          id: visitorContacts.id,
          email: visitorContacts.email,
          emailHash: visitorContacts.emailHash,
        })
        .from(visitorContacts)
        .where(eq(visitorContacts.orgId, orgId));
      for (const c of contacts) {
        const next = subjectHash(keyring, orgId, 'email', c.email);
        if (next === c.emailHash) continue;
        await tx
          .update(visitorContacts)
          .set({ emailHash: next })
          .where(and(eq(visitorContacts.orgId, orgId), eq(visitorContacts.id, c.id)));
        n++;
      }
      const identities = await tx.select().from(visitorIdentities).where(eq(visitorIdentities.orgId, orgId));
      for (const row of identities) {
        const open = (column: string, value: string) =>
          decryptSecret(keyring, value, { orgId, table: 'visitor_identities', column, rowId: row.id });
        const userIdHash = subjectHash(
          keyring,
          orgId,
          'userId',
          open('user_id_ciphertext', row.userIdCiphertext),
        );
        const emailHash = row.emailCiphertext
          ? subjectHash(keyring, orgId, 'email', open('email_ciphertext', row.emailCiphertext))
          : null;
        if (userIdHash === row.userIdHash && emailHash === row.emailHash) continue;
        await tx
          .update(visitorIdentities)
          .set({ userIdHash, emailHash })
          .where(and(eq(visitorIdentities.orgId, orgId), eq(visitorIdentities.id, row.id)));
        n++;
      }
      n += await rehashCapturedValues(tx, keyring, orgId);
      return n;
    });
  }
  return changed;
}
