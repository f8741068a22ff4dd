import { asc, sql } from 'drizzle-orm';
import { rewrapSecret } from '../platform/crypto/envelope.js';
import type { Keyring } from '../platform/crypto/keyring.js';
import type { Database } from '../platform/db/client.js';
import { encryptedColumns } from '../platform/db/data-map.js';
import { queryRows } from '../platform/db/query-rows.js';
import { organizations } from '../platform/db/schema/index.js';
import { withTenant } from '../platform/db/tenancy.js';

export type RewrapFailure = { orgId: string; table: string; column: string; rowId: string; reason: string };

export type RewrapResult = {
  orgs: number;
  /** Encrypted values found (non-null cells of encrypted columns). */
  values: number;
  /** Values re-sealed under the current key version by this run. */
  rewrapped: number;
  failures: RewrapFailure[];
};

/**
 * Re-wraps every envelope-encrypted value (the columns the data map marks `encrypted`) under the
 * keyring's current version, one tenant transaction per organization.
 *
 * Idempotent: values already at the current version are left as they are, so a run interrupted
 * half-way is completed by running it again. Each write is a compare-and-swap on the old
 * ciphertext, so a value changed concurrently (by a server on PostgreSQL) is never overwritten.
 * A value that cannot be opened (its key version missing, or damaged) is reported, not changed.
 */
export async function rewrapAllSecrets(
  database: Database,
  keyring: Keyring,
  columns = encryptedColumns(),
): Promise<RewrapResult> {
  await assertTenantTables(database, [...new Set(columns.map((c) => c.table))]);
  const orgs = await database.db
    .select({ id: organizations.id })
    .from(organizations)
    .orderBy(asc(organizations.createdAt), asc(organizations.id));
  const result: RewrapResult = { orgs: orgs.length, values: 0, rewrapped: 0, failures: [] };
  for (const { id: orgId } of orgs) {
    await withTenant(database, [orgId], async (tx) => {
      for (const { table, column } of columns) {
        const t = sql.identifier(table);
        const c = sql.identifier(column);
        const rows = await queryRows<{ id: string; value: string }>(
          tx,
          sql`select id::text as id, ${c} as value from ${t} where org_id = ${orgId} and ${c} is not null order by id`,
        );
        for (const row of rows) {
          result.values++;
          let next: string;
          try {
            next = rewrapSecret(keyring, row.value, { orgId, table, column, rowId: row.id });
          } catch (error) {
            const reason = error instanceof Error ? error.message : String(error);
            result.failures.push({ orgId, table, column, rowId: row.id, reason });
            continue;
          }
          if (next === row.value) continue;
          const updated = await queryRows<{ id: string }>(
            tx,
            sql`update ${t} set ${c} = ${next} where org_id = ${orgId} and id = ${row.id} and ${c} = ${row.value} returning id`,
          );
          if (updated.length === 1) result.rewrapped++;
        }
      }
    });
  }
  return result;
}

/** Envelope values are bound to (org, row): every table holding one must have org_id and id. */
async function assertTenantTables(database: Database, tables: string[]) {
  for (const table of tables) {
    const cols = await queryRows<{ column_name: string }>(
      database.db,
      sql`select column_name from information_schema.columns
          where table_schema = current_schema() and table_name = ${table} and column_name in ('org_id', 'id')`,
    );
    if (cols.length !== 2) {
      throw new Error(
        `Encrypted column in table ${table}, which lacks org_id or id: cannot locate its values`,
      );
    }
  }
}
