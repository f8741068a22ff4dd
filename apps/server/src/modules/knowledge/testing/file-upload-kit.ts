import { createHash, randomBytes } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { queryRows } from '../../../platform/db/query-rows.js';
import { withTenant } from '../../../platform/db/tenancy.js';
import type { TestApp } from '../../../testing/test-app.js';

/**
 * What the file-source tests do through the API: multipart uploads built byte for byte, waiting
 * for the ingestion job, searching, deleting, and looking at what an org has stored (rows and
 * blob files on disk).
 */

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
export const utf8 = (text: string) => new TextEncoder().encode(text);

export type Part = { name: string; filename?: string; data: string | Uint8Array };

export function multipart(parts: Part[]) {
  const boundary = `----confidant-${randomBytes(8).toString('hex')}`;
  const pieces: Buffer[] = [];
  for (const part of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"`;
    if (part.filename !== undefined)
      head += `; filename="${part.filename}"\r\nContent-Type: application/octet-stream`;
    pieces.push(Buffer.from(`${head}\r\n\r\n`), Buffer.from(part.data), Buffer.from('\r\n'));
  }
  pieces.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(pieces),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

export function uploadKit(t: TestApp) {
  const auth = (key: string) => ({ authorization: `Bearer ${key}` });
  const upload = (key: string, fileName: string, data: string | Uint8Array, fields: Part[] = []) => {
    const body = multipart([...fields, { name: 'file', filename: fileName, data }]);
    return t.app.inject({
      method: 'POST',
      url: '/v1/knowledge/sources',
      headers: { ...auth(key), ...body.headers },
      payload: body.payload,
    });
  };
  /** Uploads, expects 201 (queued), and waits for the ingestion job to finish. */
  const uploadAndWait = async (
    key: string,
    fileName: string,
    data: string | Uint8Array,
    fields: Part[] = [],
  ) => {
    const res = await upload(key, fileName, data, fields);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ type: 'file', status: 'queued' });
    return t.waitForSource(key, res.json().id);
  };
  const search = async (key: string, query: string) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/knowledge/search',
      headers: auth(key),
      payload: { query },
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().results as { sourceId: string; title: string; headingPath: string; snippet: string }[];
  };
  const remove = (key: string, id: string) =>
    t.app.inject({ method: 'DELETE', url: `/v1/knowledge/sources/${id}`, headers: auth(key) });
  const blobFile = (orgId: string, hash: string) =>
    path.join(t.config.dataDir, 'blobs', orgId, hash.slice(0, 2), hash);
  const exists = (file: string) =>
    stat(file).then(
      () => true,
      () => false,
    );
  const blobRows = (orgId: string) =>
    withTenant(t.database, [orgId], (tx) =>
      queryRows<{ hash: string; byte_size: number; mime_type: string }>(
        tx,
        sql`select hash, byte_size, mime_type from blobs order by hash`,
      ),
    );
  /** Everything an upload may write: sources, blobs, audit entries, files on disk. */
  const footprint = async (orgId: string) => {
    const [row] = await withTenant(t.database, [orgId], (tx) =>
      queryRows<{ sources: number; blobs: number; audit: number }>(
        tx,
        sql`select (select count(*) from knowledge_sources)::int as sources,
                                 (select count(*) from blobs)::int as blobs,
                                 (select count(*) from audit_log)::int as audit`,
      ),
    );
    const files = await readdir(path.join(t.config.dataDir, 'blobs', orgId), { recursive: true }).catch(
      () => [],
    );
    return { ...row, files: files.length };
  };
  return { upload, uploadAndWait, search, remove, blobFile, exists, blobRows, footprint };
}
