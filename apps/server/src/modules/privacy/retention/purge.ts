import { type SQL, sql } from 'drizzle-orm';
import type { BlobStore } from '../../../platform/blobs/blob-store.js';
import type { Keyring } from '../../../platform/crypto/keyring.js';
import type { Database, Tx } from '../../../platform/db/client.js';
import { dataMap } from '../../../platform/db/data-map.js';
import { queryRows } from '../../../platform/db/query-rows.js';
import { withTenant } from '../../../platform/db/tenancy.js';
import { recordAudit } from '../../audit/service.js';
import type { ExpiringCategory } from './categories.js';
import { purgeJobRows } from './job-rows.js';
import { type PurgePlan, purgePlan } from './purge-plan.js';
import { effectivePeriods } from './retention-policy.js';
import { rollUpConversations, rollUpModelCalls } from './roll-up.js';

/**
 * The retention purge of one organization (DESIGN.md §2: transcripts kept 30 days by default,
 * then purged; anonymized aggregates kept). Driven by the data map (purge-plan.ts).
 *
 * Batched and resumable: each batch is one short transaction that rolls up, deletes and
 * records its counts in the audit chain, all or nothing. A run that dies part-way leaves
 * whole batches done; the next run (hourly, or the job's retry) continues from what is left,
 * because what is left is exactly what is still past its period. Rows taken by a batch are
 * locked (`for update skip locked`), so two runs never roll the same conversation up twice.
 *
 * A dry run does the same work in one transaction and rolls it back: its counts are exactly
 * what a run at that moment would delete.
 */
export const BATCH_SIZE = 500;

export type PurgeCounts = Record<string, number>;
export type PurgeResult = {
  orgId: string;
  dryRun: boolean;
  periods: Record<ExpiringCategory, number | null>;
  /** Rows per table (`pgboss.job` for the job queue). */
  counts: PurgeCounts;
};

/**
 * `blobStore`: where files owned by purged rows live (call and voice recordings). Their keys are read in
 * the batch's transaction and the files deleted once it committed; without a store (a dry run
 * needs none) nothing is deleted.
 */
export type PurgeDeps = { database: Database; keyring: Keyring; blobStore?: BlobStore };

type BatchResult = { counts: PurgeCounts; ids: string[]; more: boolean; blobs: string[] };

const DAY_MS = 86_400_000;
const cutoffOf = (now: Date, days: number) => new Date(now.getTime() - days * DAY_MS);
const ident = (name: string) => sql.identifier(name);
const ageOf = (table: string, columns: readonly string[]) =>
  sql`coalesce(${sql.join(
    columns.map((c) => sql`${ident(table)}.${ident(c)}`),
    sql`, `,
  )})`;
const uuidArray = (ids: string[]) => sql`${`{${ids.join(',')}}`}::uuid[]`;
const tidArray = (ctids: string[]) => sql`${`{${ctids.map((c) => `"${c}"`).join(',')}}`}::tid[]`;

/** Rolls rows of a table into the aggregates before they go (by physical row). */
const beforeAgedDelete: Partial<Record<string, (tx: Tx, orgId: string, ctids: string[]) => Promise<void>>> = {
  model_calls: rollUpModelCalls,
};

/**
 * Blob-store keys of the files owned by rows about to be deleted (by physical row): a call's
 * recording goes with the recording row (the `recordings` period) or with the call itself (the
 * `call_transcripts` period; its recording row goes by cascade).
 */
const blobsOfAgedRows: Partial<
  Record<string, (tx: Tx, orgId: string, ctids: string[]) => Promise<string[]>>
> = {
  call_recordings: async (tx, orgId, ctids) =>
    (
      await queryRows<{ key: string }>(
        tx,
        sql`select blob_key as key from call_recordings where org_id = ${orgId} and ctid = any(${tidArray(ctids)})`,
      )
    ).map((r) => r.key),
  calls: async (tx, orgId, ctids) =>
    (
      await queryRows<{ key: string }>(
        tx,
        sql`select r.blob_key as key from call_recordings r
             join calls c on c.org_id = r.org_id and c.id = r.call_id
            where c.org_id = ${orgId} and c.ctid = any(${tidArray(ctids)})`,
      )
    ).map((r) => r.key),
  voice_recordings: async (tx, orgId, ctids) =>
    (
      await queryRows<{ key: string }>(
        tx,
        sql`select blob_key as key from voice_recordings where org_id = ${orgId} and ctid = any(${tidArray(ctids)})`,
      )
    ).map((r) => r.key),
};

/** Files owned by rows that go with a purged conversation (kept voice recordings). */
async function blobsOfConversations(tx: Tx, orgId: string, ids: string[]): Promise<string[]> {
  return (
    await queryRows<{ key: string }>(
      tx,
      sql`select blob_key as key from voice_recordings where org_id = ${orgId} and conversation_id = any(${uuidArray(ids)})`,
    )
  ).map((r) => r.key);
}

function add(into: PurgeCounts, table: string, n: number) {
  if (n > 0) into[table] = (into[table] ?? 0) + n;
}

async function deleteReturningIds(tx: Tx, table: string, where: SQL): Promise<{ n: number; ids: string[] }> {
  const hasId = Boolean(dataMap[table]?.columns.id);
  const rows = await queryRows<{ id: string | null }>(
    tx,
    sql`delete from ${ident(table)} where ${where} returning ${hasId ? sql`id::text` : sql`null::text`} as id`,
  );
  return { n: rows.length, ids: rows.flatMap((r) => (r.id ? [r.id] : [])) };
}

/** Conversations past their period (not held), as a whole, with what hangs off them. */
async function purgeConversations(
  tx: Tx,
  plan: PurgePlan,
  orgId: string,
  cutoff: Date,
  limit: number,
): Promise<BatchResult> {
  const { anchor } = plan;
  const t = anchor.table;
  const rows = await queryRows<{ id: string }>(
    tx,
    sql`select id from ${ident(t)}
         where org_id = ${orgId} and legal_hold_at is null
           and ${ageOf(t, anchor.age)} < ${cutoff.toISOString()}::timestamptz
         order by ${ageOf(t, anchor.age)}
         limit ${limit}
         for update skip locked`,
  );
  const ids = rows.map((r) => r.id);
  const counts: PurgeCounts = {};
  if (ids.length === 0) return { counts, ids, more: false, blobs: [] };
  await rollUpConversations(tx, orgId, ids);
  const blobs = await blobsOfConversations(tx, orgId, ids);
  const gone: string[] = [...ids];
  for (const ref of plan.references) {
    const where = sql`org_id = ${orgId} and ${ident(ref.column)} = any(${uuidArray(ids)})`;
    if (ref.action === 'null') {
      await tx.execute(sql`update ${ident(ref.table)} set ${ident(ref.column)} = null where ${where}`);
    } else if (ref.action === 'delete_row') {
      const d = await deleteReturningIds(tx, ref.table, where);
      add(counts, ref.table, d.n);
      gone.push(...d.ids);
    }
  }
  for (const f of plan.followers) {
    const d = await deleteReturningIds(
      tx,
      f.table,
      sql`org_id = ${orgId} and ${ident(f.conversation)} = any(${uuidArray(ids)})`,
    );
    add(counts, f.table, d.n);
    gone.push(...d.ids);
  }
  const d = await deleteReturningIds(tx, t, sql`org_id = ${orgId} and id = any(${uuidArray(ids)})`);
  add(counts, t, d.n);
  return { counts, ids: gone, more: ids.length === limit, blobs };
}

/** Rows of one aged table past their category's period (never rows of a held conversation). */
async function purgeAged(
  tx: Tx,
  table: PurgePlan['aged'][number],
  orgId: string,
  cutoff: Date,
  limit: number,
): Promise<BatchResult> {
  const t = table.table;
  const notHeld = table.conversation
    ? sql`and (${ident(t)}.${ident(table.conversation)} is null or not exists (
             select 1 from conversations c
              where c.org_id = ${ident(t)}.org_id and c.id = ${ident(t)}.${ident(table.conversation)}
                and c.legal_hold_at is not null))`
    : sql``;
  const rows = await queryRows<{ ctid: string }>(
    tx,
    sql`select ctid::text as ctid from ${ident(t)}
         where org_id = ${orgId} and ${ageOf(t, table.age)} < ${cutoff.toISOString()}::timestamptz ${notHeld}
         limit ${limit}
         for update skip locked`,
  );
  const ctids = rows.map((r) => r.ctid);
  const counts: PurgeCounts = {};
  if (ctids.length === 0) return { counts, ids: [], more: false, blobs: [] };
  await beforeAgedDelete[t]?.(tx, orgId, ctids);
  const blobs = (await blobsOfAgedRows[t]?.(tx, orgId, ctids)) ?? [];
  const d = await deleteReturningIds(tx, t, sql`org_id = ${orgId} and ctid = any(${tidArray(ctids)})`);
  add(counts, t, d.n);
  return { counts, ids: d.ids, more: ctids.length === limit, blobs };
}

/** One batch over every category: at most `limit` rows of the anchor and of each aged table. */
async function purgeBatch(
  tx: Tx,
  plan: PurgePlan,
  orgId: string,
  periods: Record<ExpiringCategory, number | null>,
  now: Date,
  limit: number,
): Promise<BatchResult> {
  const counts: PurgeCounts = {};
  const ids: string[] = [];
  const blobs: string[] = [];
  let more = false;
  const merge = (r: BatchResult) => {
    for (const [table, n] of Object.entries(r.counts)) add(counts, table, n);
    ids.push(...r.ids);
    blobs.push(...r.blobs);
    more ||= r.more;
  };
  const anchorDays = periods[plan.anchor.category];
  if (anchorDays !== null) merge(await purgeConversations(tx, plan, orgId, cutoffOf(now, anchorDays), limit));
  for (const table of plan.aged) {
    const days = periods[table.category];
    if (days !== null) merge(await purgeAged(tx, table, orgId, cutoffOf(now, days), limit));
  }
  return { counts, ids, more, blobs };
}

class DryRunRollback extends Error {
  constructor(readonly result: BatchResult) {
    super('dry run');
  }
}

export type PurgeOptions = { dryRun?: boolean; runId?: string; now?: Date; batchSize?: number };

export async function purgeOrganization(
  deps: PurgeDeps,
  orgId: string,
  options: PurgeOptions = {},
): Promise<PurgeResult> {
  const now = options.now ?? new Date();
  const limit = options.batchSize ?? BATCH_SIZE;
  const plan = purgePlan();
  const periods = await withTenant(deps.database, [orgId], (tx) => effectivePeriods(tx, orgId));
  const counts: PurgeCounts = {};
  const addAll = (c: PurgeCounts) => {
    for (const [table, n] of Object.entries(c)) add(counts, table, n);
  };

  if (options.dryRun) {
    let found: BatchResult = { counts: {}, ids: [], more: false, blobs: [] };
    try {
      await withTenant(deps.database, [orgId], async (tx) => {
        const all: BatchResult = { counts: {}, ids: [], more: false, blobs: [] };
        for (;;) {
          const r = await purgeBatch(tx, plan, orgId, periods, now, limit);
          for (const [table, n] of Object.entries(r.counts)) add(all.counts, table, n);
          all.ids.push(...r.ids);
          if (!r.more) break;
        }
        throw new DryRunRollback(all);
      });
    } catch (error) {
      if (!(error instanceof DryRunRollback)) throw error;
      found = error.result;
    }
    addAll(found.counts);
    add(
      counts,
      'pgboss.job',
      await purgeJobRows(deps.database, orgId, found.ids, periods.job_payloads, now, true),
    );
    return { orgId, dryRun: true, periods, counts };
  }

  for (;;) {
    const batch = await withTenant(deps.database, [orgId], async (tx) => {
      const r = await purgeBatch(tx, plan, orgId, periods, now, limit);
      if (Object.keys(r.counts).length > 0) {
        await recordAudit(
          tx,
          deps.keyring,
          orgId,
          { type: 'system', id: 'retention' },
          {
            action: 'privacy.retention.purged',
            targetType: 'retention_run',
            ...(options.runId ? { targetId: options.runId } : {}),
            metadata: r.counts,
          },
        );
      }
      return r;
    });
    addAll(batch.counts);
    // Files of the rows this batch removed (call recordings), now that the removal committed. A
    // file whose deletion fails is unreadable anyway: its wrapped key went with the row.
    for (const key of new Set(batch.blobs)) await deps.blobStore?.delete(orgId, key);
    // The queue's rows that named what this batch removed (ids only). Outside the tenant
    // transaction: the queue's schema is not a tenant table. If the process dies here, the
    // finished-jobs rule below removes them on a later run.
    add(counts, 'pgboss.job', await purgeJobRows(deps.database, orgId, batch.ids, null, now, false));
    if (!batch.more) break;
  }
  const finished = await purgeJobRows(deps.database, orgId, [], periods.job_payloads, now, false);
  add(counts, 'pgboss.job', finished);
  if ((counts['pgboss.job'] ?? 0) > 0) {
    await withTenant(deps.database, [orgId], (tx) =>
      recordAudit(
        tx,
        deps.keyring,
        orgId,
        { type: 'system', id: 'retention' },
        {
          action: 'privacy.retention.purged',
          targetType: 'retention_run',
          ...(options.runId ? { targetId: options.runId } : {}),
          metadata: { 'pgboss.job': counts['pgboss.job'] ?? 0 },
        },
      ),
    );
  }
  return { orgId, dryRun: false, periods, counts };
}
