import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { decryptSecret, encryptSecret, envelopeKeyVersion, type SecretLocation } from '../crypto/envelope.js';
import type { Keyring } from '../crypto/keyring.js';
import type { BlobStore } from './blob-store.js';

/**
 * Sensitive blobs (call recordings, and any other file that must never sit in clear on disk or
 * in a bucket) encrypted at rest with envelope encryption, on top of any BlobStore:
 *
 * - each blob gets a fresh random 256-bit data key; the bytes are sealed with AES-256-GCM
 *   (`iv(12) | ciphertext | tag(16)`), the stored file carries no header and no plaintext;
 * - the data key is wrapped under the current master key as an `ev1` envelope
 *   (platform/crypto/envelope.ts) bound to the owning row (org, table, column, row id). The
 *   caller stores the wrapped key in that column (declared `encrypted` in the data map, so
 *   `confidant keys rotate` rewraps it) together with the blob key and the key version;
 * - the GCM additional data binds org and owning row too, so a blob copied under another call
 *   (or org) does not decrypt even with its own key;
 * - the blob key is the SHA-256 of the sealed bytes (the store is content-addressed): the fresh
 *   IV and key make every upload distinct, so two rows never share a file and deleting one
 *   never removes another's audio. Deleting the row's wrapped key shreds the blob; `delete`
 *   removes the file as well.
 */
export type EncryptedBlobRef = {
  /** The blob-store key (SHA-256 of the sealed bytes). */
  blobKey: string;
  /** The data key, wrapped under the master key (`ev1.<version>.…`), bound to `owner`. */
  wrappedKey: string;
  /** Master-key version the data key is wrapped with (also inside `wrappedKey`). */
  keyVersion: number;
  /** Size of the plaintext. */
  byteSize: number;
};

/** The row (and column) that owns a blob: where its wrapped key is stored. */
export type BlobOwner = SecretLocation;

const IV_BYTES = 12;
const TAG_BYTES = 16;

const aadOf = (owner: BlobOwner) =>
  Buffer.from(`confidant:blob:v1:${owner.orgId}:${owner.table}:${owner.rowId}`, 'utf8');

export type EncryptedBlobs = {
  put(owner: BlobOwner, bytes: Uint8Array): Promise<EncryptedBlobRef>;
  /** The plaintext; throws EnvelopeError when key or bytes do not authenticate for `owner`. */
  get(owner: BlobOwner, ref: Pick<EncryptedBlobRef, 'blobKey' | 'wrappedKey'>): Promise<Buffer>;
  delete(orgId: string, blobKey: string): Promise<void>;
};

export function createEncryptedBlobs(store: BlobStore, keyring: Keyring): EncryptedBlobs {
  return {
    async put(owner, bytes) {
      const dataKey = randomBytes(32);
      try {
        const iv = randomBytes(IV_BYTES);
        const cipher = createCipheriv('aes-256-gcm', dataKey, iv);
        cipher.setAAD(aadOf(owner));
        const sealed = Buffer.concat([iv, cipher.update(bytes), cipher.final(), cipher.getAuthTag()]);
        const wrappedKey = encryptSecret(keyring, dataKey.toString('base64'), owner);
        const { hash } = await store.put(owner.orgId, sealed);
        return {
          blobKey: hash,
          wrappedKey,
          keyVersion: envelopeKeyVersion(wrappedKey),
          byteSize: bytes.length,
        };
      } finally {
        dataKey.fill(0);
      }
    },
    async get(owner, ref) {
      const dataKey = Buffer.from(decryptSecret(keyring, ref.wrappedKey, owner), 'base64');
      try {
        const sealed = Buffer.from(await store.get(owner.orgId, ref.blobKey));
        if (sealed.length < IV_BYTES + TAG_BYTES) throw new Error('encrypted blob: too short');
        const decipher = createDecipheriv('aes-256-gcm', dataKey, sealed.subarray(0, IV_BYTES));
        decipher.setAAD(aadOf(owner));
        decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
        return Buffer.concat([
          decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)),
          decipher.final(),
        ]);
      } finally {
        dataKey.fill(0);
      }
    },
    async delete(orgId, blobKey) {
      await store.delete(orgId, blobKey);
    },
  };
}
