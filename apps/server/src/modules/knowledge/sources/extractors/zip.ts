import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { ExtractionError } from './types.js';

/**
 * Reading ZIP archives (Office documents) without trusting them. Decompression bombs are stopped
 * twice: by the sizes the archive declares (before anything is inflated) and by counting the
 * bytes actually inflated (yauzl also fails an entry that inflates past its declared size), so
 * memory stays bounded by `maxExpandedBytes` whatever the archive claims.
 */

/** A real document compresses well, but not a thousandfold; beyond this an entry is a bomb. */
export const MAX_COMPRESSION_RATIO = 100;
/** Ratios are only meaningful for entries of some size (tiny XML parts compress absurdly). */
const RATIO_MIN_BYTES = 1024 * 1024;
const MAX_ENTRIES = 10_000;

export type ZipListing = { names: string[]; encrypted: boolean };

const openZip = (bytes: Uint8Array) =>
  new Promise<ZipFile>((resolve, reject) =>
    yauzl.fromBuffer(
      Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      { lazyEntries: true, validateEntrySizes: true, strictFileNames: false, decodeStrings: true },
      (error, zip) => (error ? reject(error) : resolve(zip)),
    ),
  );

const damaged = () =>
  new ExtractionError('The file is not a readable ZIP archive (it may be damaged or incomplete)');

/** Calls `onEntry` for each central-directory entry, in order. */
async function eachEntry(zip: ZipFile, onEntry: (entry: Entry) => Promise<void>): Promise<void> {
  if (zip.entryCount > MAX_ENTRIES) {
    zip.close();
    throw new ExtractionError(`The archive has more than ${MAX_ENTRIES} files; that is not a document`);
  }
  await new Promise<void>((resolve, reject) => {
    let failed = false;
    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      zip.close();
      reject(error);
    };
    zip.on('error', fail);
    zip.on('end', () => resolve());
    zip.on('entry', (entry: Entry) => {
      onEntry(entry).then(() => zip.readEntry(), fail);
    });
    zip.readEntry();
  });
}

/** The names in an archive (cheap: only the central directory is read). */
export async function listZip(bytes: Uint8Array): Promise<ZipListing> {
  let zip: ZipFile;
  try {
    zip = await openZip(bytes);
  } catch {
    throw damaged();
  }
  const listing: ZipListing = { names: [], encrypted: false };
  try {
    await eachEntry(zip, async (entry) => {
      listing.names.push(entry.fileName);
      if (entry.isEncrypted()) listing.encrypted = true;
    });
  } catch (error) {
    throw error instanceof ExtractionError ? error : damaged();
  }
  return listing;
}

const tooBig = (limit: number) =>
  new ExtractionError(
    `The document expands to more than ${limit} bytes when unzipped (the limit); it may be a decompression bomb`,
  );

async function inflateEntry(zip: ZipFile, entry: Entry, budget: { left: number; limit: number }) {
  const stream = await new Promise<NodeJS.ReadableStream>((resolve, reject) =>
    zip.openReadStream(entry, (error, s) => (error ? reject(error) : resolve(s))),
  );
  const parts: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    budget.left -= chunk.length;
    if (budget.left < 0) {
      (stream as unknown as { destroy(): void }).destroy();
      throw tooBig(budget.limit);
    }
    parts.push(chunk);
  }
  return Buffer.concat(parts);
}

/**
 * Inflates the entries `wanted` selects, refusing encrypted entries and archives whose wanted
 * entries declare or actually reach more than `maxExpandedBytes`, or compress suspiciously well.
 * Each entry's declared size is checked before it is inflated.
 */
export async function readZipEntries(
  bytes: Uint8Array,
  wanted: (name: string) => boolean,
  maxExpandedBytes: number,
): Promise<Map<string, Uint8Array>> {
  let zip: ZipFile;
  try {
    zip = await openZip(bytes);
  } catch {
    throw damaged();
  }
  const out = new Map<string, Uint8Array>();
  const budget = { left: maxExpandedBytes, limit: maxExpandedBytes };
  let declared = 0;
  try {
    await eachEntry(zip, async (entry) => {
      if (!wanted(entry.fileName) || entry.fileName.endsWith('/')) return;
      if (entry.isEncrypted()) {
        throw new ExtractionError(
          'The document is password-protected: remove the password and upload it again',
        );
      }
      declared += entry.uncompressedSize;
      if (declared > maxExpandedBytes) throw tooBig(maxExpandedBytes);
      const ratio = entry.uncompressedSize / Math.max(entry.compressedSize, 1);
      if (entry.uncompressedSize > RATIO_MIN_BYTES && ratio > MAX_COMPRESSION_RATIO) {
        throw new ExtractionError(
          `A part of the document compresses ${Math.round(ratio)}:1, which only a decompression bomb does; it was not opened`,
        );
      }
      out.set(entry.fileName, await inflateEntry(zip, entry, budget));
    });
  } catch (error) {
    if (error instanceof ExtractionError) throw error;
    // yauzl fails an entry that inflates past the size it declared ("too many bytes in the stream").
    if (/too many bytes/i.test((error as Error)?.message ?? '')) {
      throw new ExtractionError(
        'A part of the document inflates to more than it declares; the archive was refused as a possible decompression bomb',
      );
    }
    throw damaged();
  }
  return out;
}
