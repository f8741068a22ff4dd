import { type SQL, sql } from 'drizzle-orm';
import type { BlobStore } from '../../../platform/blobs/blob-store.js';
import type { Keyring } from '../../../platform/crypto/keyring.js';
import type { Database, Tx } from '../../../platform/db/client.js';
import { queryRows } from '../../../platform/db/query-rows.js';
import { withTenant } from '../../../platform/db/tenancy.js';
import { recordingBlobKeys } from '../../conversations/voice/recordings.js';
import { shredSubjectExports } from './export-file.js';
import { type SubjectTable, subjectTables } from './subject-tables.js';

/**
 * Erasure of a visitor subject across every store, driven by the data map:
 * 1. each table linked to the subject's conversations, per its declared action (delete the rows,
 *    or clear the link and the subject columns: null / crypto-shred / keyed hash) — messages,
 *    consented contacts, identities, the live-event outbox (whose payloads carry message text),
 *    notification outbox rows, model-call records (kept as counts, unlinked), then the
 *    conversations themselves;
 * 2. live events that name the conversations without being linked to them;
 * 3. job rows (pg-boss jobs and archive) whose payload names a conversation or a notification
 *    of the subject;
 * 4. export files made earlier for the same subject (blob + sealed key);
 * 5. the files of kept voice recordings (their rows go in step 1).
 * Nothing else holds visitor data: knowledge search and embeddings are built from the org's own
 * sources, never from chats; the only caches (rate-limit counters, live streams) hold hashed keys
 * or nothing once the conversation is gone. Each step is idempotent, so a retried job finishes
 * the work.
 */
export type EraseDeps = { database: Database; keyring: Keyring; blobStore: BlobStore };
export type EraseProgress = (done: number, total: number) => Promise<void>;

const CHUNK = 200;
const chunks = <T>(items: T[]) =>
  Array.from({ length: Math.ceil(items.length / CHUNK) }, (_, i) => items.slice(i * CHUNK, (i + 1) * CHUNK));
const uuidList = (ids: string[]) =>
  sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  );

export async function eraseSubject(
  deps: EraseDeps,
  orgId: string,
  subject: { hash: string; conversationIds: string[] },
  onProgress: EraseProgress,
): Promise<Record<string, number>> {
  const { database, keyring } = deps;
  const counts: Record<string, number> = {};
  const add = (key: string, n: number) => {
    if (n > 0) counts[key] = (counts[key] ?? 0) + n;
  };
  const tables = subjectTables();
  const total = tables.length + 3;
  let step = 0;
  const ids = subject.conversationIds;

  // Notification ids first: their delivery jobs name them, not the conversation.
  const notificationIds: string[] = [];
  for (const part of chunks(ids)) {
    const rows = await withTenant(database, [orgId], (tx) =>
      queryRows<{ id: string }>(
        tx,
        sql`select id from notifications where org_id = ${orgId} and conversation_id in (${uuidList(part)})`,
      ),
    );
    notificationIds.push(...rows.map((r) => r.id));
  }

  // Kept voice recordings: their files' keys, read before the rows go (the files are deleted
  // once the rows are: a file without its row's wrapped key is unreadable anyway).
  const recordingFiles: string[] = [];
  for (const part of chunks(ids)) {
    recordingFiles.push(...(await withTenant(database, [orgId], (tx) => recordingBlobKeys(tx, orgId, part))));
  }

  for (const t of tables) {
    for (const part of chunks(ids)) {
      const n = await withTenant(database, [orgId], (tx) => eraseRows(tx, keyring, orgId, t, part));
      add(t.table, n);
    }
    await onProgress(++step, total);
  }

  for (const key of new Set(recordingFiles)) await deps.blobStore.delete(orgId, key);
  add('voice_recording_files', new Set(recordingFiles).size);

  // Events that mention a conversation without the link column (none today; cheap to be sure).
  for (const part of chunks(ids)) {
    const pattern = part.join('|');
    const rows = await withTenant(database, [orgId], (tx) =>
      queryRows<{ seq: number }>(
        tx,
        sql`delete from events where org_id = ${orgId} and payload::text ~ ${pattern} returning seq`,
      ),
    );
    add('events', rows.length);
  }
  await onProgress(++step, total);

  add('pgboss.jobs', await deleteJobsNaming(database, [...ids, ...notificationIds]));
  await onProgress(++step, total);

  add('privacy_exports', await shredSubjectExports(deps, orgId, subject.hash));
  await onProgress(++step, total);
  return counts;
}

async function eraseRows(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  t: SubjectTable,
  ids: string[],
): Promise<number> {
  const table = sql.identifier(t.table);
  const where = sql`org_id = ${orgId} and ${sql.identifier(t.link)} in (${uuidList(ids)})`;
  if (t.erasure.kind === 'keep') return 0;
  if (t.erasure.kind === 'delete_row') {
    const rows = await queryRows(tx, sql`delete from ${table} where ${where} returning 1 as one`);
    return rows.length;
  }
  const hashKey = keyring.derive('erasure-hash').toString('hex');
  const sets: SQL[] = t.erasure.columns.map((name) => {
    const c = sql.identifier(name);
    return t.columns[name]!.erasure === 'hash'
      ? sql`${c} = encode(sha256(convert_to(${hashKey} || ${c}::text, 'UTF8')), 'hex')`
      : sql`${c} = null`;
  });
  const rows = await queryRows(
    tx,
    sql`update ${table} set ${sql.join(sets, sql`, `)} where ${where} returning 1 as one`,
  );
  return rows.length;
}

/**
 * Deletes pg-boss job rows (every table of its schema with a `data` column: live jobs and the
 * archive, whatever the version lays out) whose payload names one of `ids`. The queue's schema is
 * not tenant data (no RLS); it belongs to the application role.
 */
async function deleteJobsNaming(database: Database, ids: string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const tables = await queryRows<{ table_name: string }>(
    database.db,
    sql`select c.table_name from information_schema.columns c
          join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
         where c.table_schema = 'pgboss' and c.column_name = 'data' and t.table_type = 'BASE TABLE'`,
  );
  let deleted = 0;
  for (const { table_name } of tables) {
    for (const part of chunks(ids)) {
      const rows = await queryRows(
        database.db,
        sql`delete from ${sql.identifier('pgboss')}.${sql.identifier(table_name)}
             where data::text ~ ${part.join('|')} returning 1 as one`,
      );
      deleted += rows.length;
    }
  }
  return deleted;
}
