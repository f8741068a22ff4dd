import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { and, eq, isNotNull, lte } from 'drizzle-orm';
import type { BlobStore } from '../../../platform/blobs/blob-store.js';
import { releaseBlob, storeBlob } from '../../../platform/blobs/service.js';
import { decryptSecret, encryptSecret } from '../../../platform/crypto/envelope.js';
import type { Keyring } from '../../../platform/crypto/keyring.js';
import type { Database, Tx } from '../../../platform/db/client.js';
import { organizations, privacyRequests } from '../../../platform/db/schema/index.js';
import { withTenant } from '../../../platform/db/tenancy.js';

/**
 * Export files at rest. The zip is encrypted with AES-256-GCM under a fresh random key and put in
 * the blob store (indexed in `blobs`, so org deletion removes it with the rest); the key is
 * envelope-encrypted into the request row. Nulling the key shreds the file even if a copy of
 * the blob survived (a backup); the bytes are then deleted too. Files live EXPORT_TTL_DAYS.
 */
export const EXPORT_TTL_DAYS = 7;

const keyLocation = (orgId: string, requestId: string) => ({
  orgId,
  table: 'privacy_requests',
  column: 'export_key_ciphertext',
  rowId: requestId,
});

export async function storeExportFile(
  tx: Tx,
  deps: { keyring: Keyring; blobStore: BlobStore },
  orgId: string,
  requestId: string,
  zip: Uint8Array,
): Promise<{ blobHash: string; keyCiphertext: string }> {
  const key = randomBytes(32);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(`confidant:export:${orgId}:${requestId}`));
  const sealed = Buffer.concat([iv, cipher.update(zip), cipher.final(), cipher.getAuthTag()]);
  const { hash } = await storeBlob(tx, deps.blobStore, orgId, sealed, 'application/octet-stream');
  const keyCiphertext = encryptSecret(deps.keyring, key.toString('base64'), keyLocation(orgId, requestId));
  key.fill(0);
  return { blobHash: hash, keyCiphertext };
}

export async function readExportFile(
  deps: { keyring: Keyring; blobStore: BlobStore },
  orgId: string,
  requestId: string,
  stored: { blobHash: string; keyCiphertext: string },
): Promise<Buffer> {
  const key = Buffer.from(
    decryptSecret(deps.keyring, stored.keyCiphertext, keyLocation(orgId, requestId)),
    'base64',
  );
  const sealed = Buffer.from(await deps.blobStore.get(orgId, stored.blobHash));
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
  decipher.setAAD(Buffer.from(`confidant:export:${orgId}:${requestId}`));
  decipher.setAuthTag(sealed.subarray(sealed.length - 16));
  const zip = Buffer.concat([decipher.update(sealed.subarray(12, sealed.length - 16)), decipher.final()]);
  key.fill(0);
  return zip;
}

type Deps = { database: Database; blobStore: BlobStore };
type Where = ReturnType<typeof and>;

/** Shreds the key (nulls it) and deletes the bytes of the matching exports; returns how many. */
async function shredWhere(deps: Deps, orgId: string, where: Where): Promise<number> {
  const rows = await withTenant(deps.database, [orgId], (tx) =>
    tx
      .select({ id: privacyRequests.id, hash: privacyRequests.exportBlobHash })
      .from(privacyRequests)
      .where(and(eq(privacyRequests.orgId, orgId), isNotNull(privacyRequests.exportBlobHash), where)),
  );
  for (const row of rows) {
    // Key first: once it is gone the bytes are unreadable even if their deletion fails.
    await withTenant(deps.database, [orgId], (tx) =>
      tx
        .update(privacyRequests)
        .set({ exportKeyCiphertext: null, exportBlobHash: null })
        .where(and(eq(privacyRequests.orgId, orgId), eq(privacyRequests.id, row.id))),
    );
    await releaseBlob(deps.database, deps.blobStore, orgId, row.hash!);
  }
  return rows.length;
}

/** Exports made for this subject (same keyed hash): erasure takes them too. */
export const shredSubjectExports = (deps: Deps, orgId: string, subjectHash: string) =>
  shredWhere(deps, orgId, eq(privacyRequests.subjectHash, subjectHash));

/** This org's exports past their expiry (before each of its privacy jobs). */
export const expireOrgExports = (deps: Deps, orgId: string, now = new Date()) =>
  shredWhere(deps, orgId, lte(privacyRequests.exportExpiresAt, now));

/** Every export past its expiry, in every org (the hourly sweep). */
export async function expireExports(deps: Deps, now = new Date()): Promise<number> {
  // The registry has no RLS; each org's files are expired under its own tenant scope.
  const orgs = await deps.database.db.select({ id: organizations.id }).from(organizations);
  let total = 0;
  for (const { id } of orgs) {
    total += await shredWhere(deps, id, lte(privacyRequests.exportExpiresAt, now));
  }
  return total;
}
