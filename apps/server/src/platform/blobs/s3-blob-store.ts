import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type { Config } from '../config.js';
import { type BlobStore, checkBlobKey, hashBytes, notFoundError } from './blob-store.js';

/**
 * Blobs in an S3-compatible bucket under `<orgId>/<sha256>`. With a custom endpoint (MinIO,
 * Ceph, Garage, R2…) path-style addressing is used, which they all accept.
 */
export function createS3BlobStore(options: Extract<Config['blobs'], { kind: 's3' }>): BlobStore {
  const client = new S3Client({
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint, forcePathStyle: true } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  });
  const keyOf = (orgId: string, hash: string) => {
    checkBlobKey(orgId, hash);
    return `${orgId}/${hash}`;
  };
  const isMissing = (error: unknown) => {
    const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
    return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404;
  };
  return {
    async put(orgId, bytes) {
      const hash = hashBytes(bytes);
      const Key = keyOf(orgId, hash);
      const head = await client
        .send(new HeadObjectCommand({ Bucket: options.bucket, Key }))
        .catch((error) => {
          if (isMissing(error)) return null;
          throw error;
        });
      if (head?.ContentLength !== bytes.length) {
        await client.send(
          new PutObjectCommand({
            Bucket: options.bucket,
            Key,
            Body: bytes,
            ContentLength: bytes.length,
            ContentType: 'application/octet-stream',
          }),
        );
      }
      return { hash, byteSize: bytes.length };
    },
    async get(orgId, hash) {
      try {
        const res = await client.send(
          new GetObjectCommand({ Bucket: options.bucket, Key: keyOf(orgId, hash) }),
        );
        if (!res.Body) throw notFoundError();
        return await res.Body.transformToByteArray();
      } catch (error) {
        if (isMissing(error)) throw notFoundError();
        throw error;
      }
    },
    async delete(orgId, hash) {
      await client.send(new DeleteObjectCommand({ Bucket: options.bucket, Key: keyOf(orgId, hash) }));
    },
    async deleteOrg(orgId) {
      // Everything under the org's prefix, a listing page (≤ 1000 keys) at a time.
      checkBlobKey(orgId, '0'.repeat(64));
      for (;;) {
        const page = await client.send(
          new ListObjectsV2Command({ Bucket: options.bucket, Prefix: `${orgId}/`, MaxKeys: 1000 }),
        );
        const keys = (page.Contents ?? []).flatMap((o) => (o.Key ? [{ Key: o.Key }] : []));
        if (keys.length === 0) return;
        await client.send(
          new DeleteObjectsCommand({ Bucket: options.bucket, Delete: { Objects: keys, Quiet: true } }),
        );
        if (!page.IsTruncated) return;
      }
    },
  };
}
