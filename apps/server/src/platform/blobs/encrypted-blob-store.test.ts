import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rewrapSecret } from '../crypto/envelope.js';
import { makeKeyring } from '../crypto/keyring.js';
import { createLocalBlobStore } from './blob-store.js';
import { createEncryptedBlobs } from './encrypted-blob-store.js';

/**
 * Envelope-encrypted blobs on a real local blob store: the file holds no plaintext, every put
 * gets its own key and file, the bytes open only for the owning org and row, a tampered file is
 * refused, a rewrapped data key (master key rotation) still opens the file, delete removes it.
 */
describe('encrypted blobs', () => {
  let dir: string;
  const orgId = '0b9d0c52-6a0e-4d1f-9a3e-1f2e3d4c5b6a';
  const otherOrg = '1c8e1d63-7b1f-4e2a-8b4f-2a3b4c5d6e7f';
  const owner = { orgId, table: 'call_recordings', column: 'wrapped_key', rowId: 'row-1' };
  const keyring = makeKeyring(new Map([[1, randomBytes(32)]]));
  const fileOf = (org: string, key: string) => path.join(dir, org, key.slice(0, 2), key);

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'confidant-enc-blobs-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('stores ciphertext only and opens it for its owner alone', async () => {
    const store = createLocalBlobStore(dir);
    const blobs = createEncryptedBlobs(store, keyring);
    const plain = Buffer.concat([Buffer.from('RIFF'), Buffer.from('secret call audio '.repeat(100))]);
    const ref = await blobs.put(owner, plain);
    expect(ref).toMatchObject({ keyVersion: 1, byteSize: plain.length });
    const raw = await readFile(fileOf(orgId, ref.blobKey));
    expect(raw.includes(Buffer.from('secret call audio'))).toBe(false);
    expect(raw.subarray(0, 4).toString()).not.toBe('RIFF');
    expect(Buffer.compare(await blobs.get(owner, ref), plain)).toBe(0);

    // The same bytes again: another key, another file.
    const again = await blobs.put({ ...owner, rowId: 'row-2' }, plain);
    expect(again.blobKey).not.toBe(ref.blobKey);
    expect(again.wrappedKey).not.toBe(ref.wrappedKey);

    // Another row or org: the wrapped key does not open.
    await expect(blobs.get({ ...owner, rowId: 'row-2' }, ref)).rejects.toThrow();
    await expect(blobs.get({ ...owner, orgId: otherOrg }, ref)).rejects.toThrow();
  });

  it('refuses a tampered file, opens after a key rotation, and deletes the file', async () => {
    const store = createLocalBlobStore(dir);
    const blobs = createEncryptedBlobs(store, keyring);
    const ref = await blobs.put(owner, Buffer.from('hello recording'));
    const file = fileOf(orgId, ref.blobKey);
    const raw = await readFile(file);
    const flipped = Buffer.from(raw);
    flipped[20] = flipped[20]! ^ 1;
    await writeFile(file, flipped);
    await expect(blobs.get(owner, ref)).rejects.toThrow();
    await writeFile(file, raw);

    const rotated = makeKeyring(new Map([...keyring.keys, [2, randomBytes(32)]]));
    const rewrapped = rewrapSecret(rotated, ref.wrappedKey, owner);
    expect(rewrapped.startsWith('ev1.2.')).toBe(true);
    const afterRotation = createEncryptedBlobs(store, rotated);
    expect((await afterRotation.get(owner, { ...ref, wrappedKey: rewrapped })).toString()).toBe(
      'hello recording',
    );

    await blobs.delete(orgId, ref.blobKey);
    await expect(readFile(file)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
