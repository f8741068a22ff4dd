import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config.js';

/**
 * Where originals of uploaded files live, content-addressed per organization: the key of a file
 * is its SHA-256, under its org, so the same bytes uploaded twice by one org are stored once and
 * two orgs never share (or can probe) each other's files. The `blobs` table is the index of what
 * is stored; see service.ts for the rules that keep table and store in step.
 *
 * A missing blob is reported by `get` as an error with code ENOENT, whatever the backend.
 */
export type BlobStore = {
  put(orgId: string, bytes: Uint8Array): Promise<{ hash: string; byteSize: number }>;
  get(orgId: string, hash: string): Promise<Uint8Array>;
  delete(orgId: string, hash: string): Promise<void>;
  /** Removes everything stored for the org (its hard delete), stray temporary files included. */
  deleteOrg(orgId: string): Promise<void>;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SHA256 = /^[0-9a-f]{64}$/;

export const hashBytes = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Keys are built from an org id and a hash only; anything else could escape the store's root. */
function checkKey(orgId: string, hash: string) {
  if (!UUID.test(orgId)) throw new Error('blob store: invalid org id');
  if (!SHA256.test(hash)) throw new Error('blob store: invalid hash');
}

export const notFoundError = () =>
  Object.assign(new Error('blob not found'), { code: 'ENOENT' }) as NodeJS.ErrnoException;

/**
 * `<dir>/<orgId>/<first two hex digits>/<sha256>`, files 0600 in 0700 directories. A file is
 * written to a temporary name and renamed, so a reader never sees half a blob and a crash leaves
 * at worst a stray temporary file, never a wrong blob.
 */
export function createLocalBlobStore(dir: string): BlobStore {
  const fileOf = (orgId: string, hash: string) => {
    checkKey(orgId, hash);
    return path.join(dir, orgId, hash.slice(0, 2), hash);
  };
  return {
    async put(orgId, bytes) {
      const hash = hashBytes(bytes);
      const file = fileOf(orgId, hash);
      const existing = await stat(file).catch(() => null);
      if (existing?.size === bytes.length) return { hash, byteSize: bytes.length };
      await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
      const temp = `${file}.${randomUUID()}.tmp`;
      try {
        await writeFile(temp, bytes, { mode: 0o600, flag: 'wx', flush: true });
        await rename(temp, file);
      } catch (error) {
        await rm(temp, { force: true });
        throw error;
      }
      return { hash, byteSize: bytes.length };
    },
    async get(orgId, hash) {
      return new Uint8Array(await readFile(fileOf(orgId, hash)));
    },
    async delete(orgId, hash) {
      await rm(fileOf(orgId, hash), { force: true });
    },
    async deleteOrg(orgId) {
      if (!UUID.test(orgId)) throw new Error('blob store: invalid org id');
      await rm(path.join(dir, orgId), { recursive: true, force: true });
    },
  };
}

/** The store the configuration asks for: a local directory, or an S3-compatible bucket. */
export function createBlobStore(config: Config): BlobStore {
  if (config.blobs.kind === 'local') return createLocalBlobStore(config.blobs.dir);
  return createS3BlobStoreLazily(config.blobs);
}

/** The S3 client is loaded on first use, so local installations never load the AWS SDK. */
function createS3BlobStoreLazily(options: Extract<Config['blobs'], { kind: 's3' }>): BlobStore {
  let store: Promise<BlobStore> | undefined;
  const load = () => {
    store ??= import('./s3-blob-store.js').then((m) => m.createS3BlobStore(options));
    return store;
  };
  return {
    put: async (orgId, bytes) => (await load()).put(orgId, bytes),
    get: async (orgId, hash) => (await load()).get(orgId, hash),
    delete: async (orgId, hash) => (await load()).delete(orgId, hash),
    deleteOrg: async (orgId) => (await load()).deleteOrg(orgId),
  };
}

export { checkKey as checkBlobKey };
