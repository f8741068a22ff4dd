import { sql } from 'drizzle-orm';
import type { BlobStore } from '../../../platform/blobs/blob-store.js';
import type { Keyring } from '../../../platform/crypto/keyring.js';
import type { Database, Tx } from '../../../platform/db/client.js';
import { queryRows } from '../../../platform/db/query-rows.js';
import { withTenant } from '../../../platform/db/tenancy.js';
import { recordAudit } from '../../audit/service.js';
import { platformOrgId } from './schedule-org-deletion.js';

export type HardDeleteDeps = { database: Database; keyring: Keyring; blobStore: BlobStore };

/** Rows removed, per `schema.table` (the org's queue jobs under `pgboss.*`), plus blob files. */
export type HardDeleteReport = { orgId: string; rows: Record<string, number>; blobs: number };

type TableRef = { schema: string; table: string };

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;
const qualified = (t: TableRef) => `${ident(t.schema)}.${ident(t.table)}`;
const key = (t: TableRef) => `${t.schema}.${t.table}`;

/**
 * Every table (in every schema) with an `org_id` column: discovered from the catalog at run time,
 * so a table added later is covered without touching this file. Partitions are reached through
 * their parent table.
 */
async function tenantTables(tx: Tx): Promise<TableRef[]> {
  return queryRows<TableRef>(
    tx,
    sql`select n.nspname as schema, c.relname as table
          from pg_attribute a
          join pg_class c on c.oid = a.attrelid
          join pg_namespace n on n.oid = c.relnamespace
         where a.attname = 'org_id' and not a.attisdropped
           and c.relkind in ('r', 'p') and not c.relispartition
           and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_%'
         order by 1, 2`,
  );
}

/** Foreign keys between those tables: `child` references `parent`. */
async function foreignKeys(tx: Tx): Promise<{ child: string; parent: string }[]> {
  return queryRows<{ child: string; parent: string }>(
    tx,
    sql`select cn.nspname || '.' || cc.relname as child, pn.nspname || '.' || pc.relname as parent
          from pg_constraint k
          join pg_class cc on cc.oid = k.conrelid
          join pg_namespace cn on cn.oid = cc.relnamespace
          join pg_class pc on pc.oid = k.confrelid
          join pg_namespace pn on pn.oid = pc.relnamespace
         where k.contype = 'f'`,
  );
}

/**
 * Orders the tables so that every table comes before the tables it references (children first):
 * each DELETE then leaves nothing behind that a later one would trip over. A reference cycle (none
 * today) is broken arbitrarily; a violated foreign key then fails the transaction loudly.
 */
export function deletionOrder(tables: TableRef[], fks: { child: string; parent: string }[]): TableRef[] {
  const remaining = new Map(tables.map((t) => [key(t), t]));
  const order: TableRef[] = [];
  while (remaining.size > 0) {
    const referenced = new Set(
      fks
        .filter((f) => f.child !== f.parent && remaining.has(f.child) && remaining.has(f.parent))
        .map((f) => f.parent),
    );
    const next = [...remaining.keys()].find((k) => !referenced.has(k)) ?? [...remaining.keys()][0]!;
    order.push(remaining.get(next)!);
    remaining.delete(next);
  }
  return order;
}

/**
 * The org's jobs in the queue's own schema: every row of a `pgboss` table whose JSON columns
 * (job data, output) mention the org id. Discovered from the catalog like the tenant tables, so
 * pg-boss's archive or a new version's tables are covered too. Runs outside the tenant
 * transaction: pg-boss's tables have no org column, RLS or grants for the tenant role.
 */
async function deleteQueueJobs(database: Database, orgId: string): Promise<Record<string, number>> {
  const columns = await queryRows<{ schema: string; table: string; column: string }>(
    database.db,
    sql`select n.nspname as schema, c.relname as table, a.attname as column
          from pg_attribute a
          join pg_class c on c.oid = a.attrelid
          join pg_namespace n on n.oid = c.relnamespace
          join pg_type ty on ty.oid = a.atttypid
         where n.nspname = 'pgboss' and c.relkind in ('r', 'p') and not c.relispartition
           and ty.typname in ('json', 'jsonb') and a.attnum > 0 and not a.attisdropped
         order by 1, 2, 3`,
  );
  const removed: Record<string, number> = {};
  const byTable = new Map<string, { ref: TableRef; columns: string[] }>();
  for (const c of columns) {
    const entry = byTable.get(key(c)) ?? { ref: { schema: c.schema, table: c.table }, columns: [] };
    entry.columns.push(c.column);
    byTable.set(key(c), entry);
  }
  for (const [name, { ref, columns: cols }] of byTable) {
    const matches = cols.map((c) => `strpos(${ident(c)}::text, '${orgId}') > 0`).join(' or ');
    // orgId is a UUID read back from the registry (checked by the caller), never request input.
    const rows = await queryRows<{ n: number }>(
      database.db,
      sql.raw(`with gone as (delete from ${qualified(ref)} where ${matches} returning 1)
               select count(*)::int as n from gone`),
    );
    const n = rows[0]?.n ?? 0;
    if (n > 0) removed[name] = n;
  }
  return removed;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Erases an organization for good: its blob files, its jobs in the queue, every row carrying its
 * id in every table of every schema (its own audit chain included: the chain is the org's data,
 * and the platform's chain keeps the record that it existed and was erased), and finally its
 * registry row. The platform's chain (and the reseller's, for a client) records the hard delete
 * with counts only.
 *
 * Order: files first (idempotent; if the transaction then fails the job retries, and an org past
 * its recovery window loses nothing it was promised), then the queue's rows, then one tenant
 * transaction for the rows, so the database never holds half an org.
 *
 * The caller makes sure the org is due (scheduled, window over) and has no client orgs left.
 */
export async function hardDeleteOrganization(deps: HardDeleteDeps, orgId: string): Promise<HardDeleteReport> {
  if (!UUID.test(orgId)) throw new Error('hardDeleteOrganization: org ids must be UUIDs');
  const { database } = deps;
  const [org] = await queryRows<{ parent_id: string | null }>(
    database.db,
    sql`select parent_id from organizations where id = ${orgId}`,
  );
  if (!org) return { orgId, rows: {}, blobs: 0 };
  const platformId = await platformOrgId(database);
  const overseers = [...new Set([platformId, ...(org.parent_id ? [org.parent_id] : [])])];

  const hashes = await withTenant(database, [orgId], (tx) =>
    queryRows<{ hash: string }>(tx, sql`select hash from blobs where org_id = ${orgId}`),
  );
  for (const { hash } of hashes) await deps.blobStore.delete(orgId, hash);
  await deps.blobStore.deleteOrg(orgId);

  const rows = await deleteQueueJobs(database, orgId);

  await withTenant(database, [orgId, ...overseers], async (tx) => {
    // Lets exactly this org's audit entries be deleted (drizzle/0015_*), in this transaction only.
    await tx.execute(sql`select set_config('app.org_hard_delete', ${orgId}, true)`);
    const order = deletionOrder(await tenantTables(tx), await foreignKeys(tx));
    for (const table of order) {
      const deleted = await queryRows<{ n: number }>(
        tx,
        sql`with gone as (delete from ${sql.raw(qualified(table))} where org_id = ${orgId} returning 1)
            select count(*)::int as n from gone`,
      );
      const n = deleted[0]?.n ?? 0;
      if (n > 0) rows[key(table)] = n;
    }
    await tx.execute(sql`delete from organizations where id = ${orgId}`);
    const metadata: Record<string, number> = { blobs: hashes.length };
    for (const [table, n] of Object.entries(rows)) metadata[`rows.${table}`] = n;
    for (const chain of overseers) {
      await recordAudit(
        tx,
        deps.keyring,
        chain,
        { type: 'system', id: null },
        {
          action: 'org.hard_deleted',
          targetType: 'organization',
          targetId: orgId,
          metadata,
        },
      );
    }
  });
  return { orgId, rows, blobs: hashes.length };
}
