import { and, eq, notExists } from 'drizzle-orm';
import type { Database, Tx } from '../db/client.js';
import { blobs, knowledgeSources } from '../db/schema/index.js';
import { withTenant } from '../db/tenancy.js';
import { type BlobStore, hashBytes } from './blob-store.js';

/**
 * Keeping the `blobs` table and the blob store in step. Invariants:
 * - a `blobs` row exists while any source references its hash (the foreign key from
 *   knowledge_sources enforces it), and its bytes are in the store;
 * - bytes are deleted only together with their row, by releaseBlob, once nothing references them.
 *
 * Concurrency: storeBlob locks (or inserts) the row before writing the bytes, and releaseBlob
 * deletes the bytes before its transaction commits. An upload of the same bytes racing a release
 * therefore waits on the row until the release commits, then inserts it afresh and writes the
 * bytes again; a release racing an upload that holds the row waits, then fails on the foreign key
 * (or finds the reference) and keeps everything.
 */

/**
 * Records `bytes` as a blob of the org and stores them (once per content hash), in the caller's
 * transaction: if the transaction fails later, the row goes with it (the bytes, already written,
 * are overwritten or claimed by the next upload of the same file).
 */
export async function storeBlob(
  tx: Tx,
  blobStore: BlobStore,
  orgId: string,
  bytes: Uint8Array,
  mimeType: string,
): Promise<{ hash: string; byteSize: number }> {
  const hash = hashBytes(bytes);
  await tx
    .insert(blobs)
    .values({ orgId, hash, byteSize: bytes.length, mimeType })
    // DO UPDATE (not DO NOTHING) so an existing row is locked until we commit: a concurrent
    // releaseBlob then cannot delete it (and its bytes) between our put and our reference.
    .onConflictDoUpdate({ target: [blobs.orgId, blobs.hash], set: { byteSize: bytes.length } });
  // The put is idempotent: the bytes are written when missing, whatever the row said.
  return blobStore.put(orgId, bytes);
}

const isForeignKeyViolation = (error: unknown) => {
  const e = error as { code?: string; cause?: { code?: string } };
  return e?.code === '23503' || e?.cause?.code === '23503';
};

/**
 * Deletes a blob's row and bytes when no source references it any more (call it after deleting
 * or re-pointing a source, once that transaction committed). Returns whether it was deleted.
 */
export async function releaseBlob(
  database: Database,
  blobStore: BlobStore,
  orgId: string,
  hash: string,
): Promise<boolean> {
  try {
    return await withTenant(database, [orgId], async (tx) => {
      const deleted = await tx
        .delete(blobs)
        .where(
          and(
            eq(blobs.orgId, orgId),
            eq(blobs.hash, hash),
            notExists(
              tx
                .select({ one: knowledgeSources.id })
                .from(knowledgeSources)
                .where(and(eq(knowledgeSources.orgId, orgId), eq(knowledgeSources.blobHash, hash))),
            ),
          ),
        )
        .returning({ hash: blobs.hash });
      if (deleted.length === 0) return false;
      await blobStore.delete(orgId, hash);
      return true;
    });
  } catch (error) {
    if (isForeignKeyViolation(error)) return false; // referenced again meanwhile: keep it
    throw error;
  }
}
