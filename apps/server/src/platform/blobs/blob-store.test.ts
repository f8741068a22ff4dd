import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { type BlobStore, createBlobStore, hashBytes } from './blob-store.js';

/**
 * The blob store contract, on a local directory and on a real S3-compatible server (s3rver,
 * speaking the S3 REST protocol on loopback) reached through the AWS SDK.
 */

let root: string;
let s3: S3rver;
let s3Endpoint: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'confidant-blobs-'));
  s3 = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory: path.join(root, 's3'),
    configureBuckets: [{ name: 'confidant-test' }],
  });
  const { port } = await s3.run();
  s3Endpoint = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  await s3?.close();
  await rm(root, { recursive: true, force: true });
});

const stores: [string, () => BlobStore][] = [
  ['local directory', () => createBlobStore(loadConfig({ CONFIDANT_DATA_DIR: path.join(root, 'data') }))],
  [
    'S3-compatible bucket',
    () =>
      createBlobStore(
        loadConfig({
          CONFIDANT_DATA_DIR: path.join(root, 'data'),
          CONFIDANT_S3_BUCKET: 'confidant-test',
          CONFIDANT_S3_ENDPOINT: s3Endpoint,
          CONFIDANT_S3_REGION: 'eu-west-1',
          // s3rver's fixed development credentials.
          CONFIDANT_S3_ACCESS_KEY_ID: 'S3RVER',
          CONFIDANT_S3_SECRET_ACCESS_KEY: 'S3RVER',
        }),
      ),
  ],
];

describe.each(stores)('blob store on a %s', (_name, create) => {
  it('stores by content hash per org, reads back, deletes, and reports a missing blob as ENOENT', async () => {
    const store = create();
    const orgA = randomUUID();
    const orgB = randomUUID();
    const bytes = new TextEncoder().encode(`original ${randomUUID()}`);
    const put = await store.put(orgA, bytes);
    expect(put).toEqual({ hash: hashBytes(bytes), byteSize: bytes.length });
    expect(await store.put(orgA, bytes)).toEqual(put);
    expect(await store.get(orgA, put.hash)).toEqual(bytes);
    // Another org does not see it.
    await expect(store.get(orgB, put.hash)).rejects.toMatchObject({ code: 'ENOENT' });

    await store.delete(orgA, put.hash);
    await expect(store.get(orgA, put.hash)).rejects.toMatchObject({ code: 'ENOENT' });
    await store.delete(orgA, put.hash); // deleting twice is fine
  });

  it('refuses keys that are not an org id and a SHA-256', async () => {
    const store = create();
    const hash = 'a'.repeat(64);
    await expect(store.get('../etc', hash)).rejects.toThrow(/invalid org id/);
    await expect(store.get(randomUUID(), '../../passwd')).rejects.toThrow(/invalid hash/);
    await expect(store.delete(randomUUID(), `${'a'.repeat(63)}/`)).rejects.toThrow(/invalid hash/);
  });
});

it('lays out local blobs as <dir>/<org>/<hh>/<sha256>, 0600 files in 0700 directories, no temporary files left', async () => {
  const dir = path.join(root, 'layout');
  const store = createBlobStore(loadConfig({ CONFIDANT_DATA_DIR: dir }));
  const orgId = randomUUID();
  const { hash } = await store.put(orgId, new Uint8Array([1, 2, 3]));
  const file = path.join(dir, 'blobs', orgId, hash.slice(0, 2), hash);
  expect((await stat(file)).mode & 0o777).toBe(0o600);
  expect((await stat(path.dirname(file))).mode & 0o777).toBe(0o700);
  expect(await readdir(path.dirname(file))).toEqual([hash]);
});
