import { sql } from 'drizzle-orm';
import { strToU8, zipSync } from 'fflate';
import { decryptSecret } from '../../../platform/crypto/envelope.js';
import type { Keyring } from '../../../platform/crypto/keyring.js';
import type { Database } from '../../../platform/db/client.js';
import { dataMap } from '../../../platform/db/data-map.js';
import { queryRows } from '../../../platform/db/query-rows.js';
import { withTenant } from '../../../platform/db/tenancy.js';
import { exportedColumns, type SubjectTable, subjectTables } from './subject-tables.js';

/**
 * The export of a visitor subject, from the data map: for each table linked to the subject's
 * conversations, the exported columns (subject-tables.ts) of their rows, encrypted values opened.
 * Left out on purpose: the live-event outbox (a delivery copy of the same messages), internal
 * notes between operators and notifications addressed to operators (not the subject's data).
 *
 * The zip holds `subject.json` (everything, by table) and one CSV per data category
 * (`<category>.csv`: table, row, column, value), so a person can open their data in a spreadsheet.
 */
const rowFilters: Record<string, ReturnType<typeof sql>> = {
  messages: sql`and internal = false`,
  notifications: sql`and recipient_user_id is null`,
};
const SKIPPED = new Set(['events']);

export type ExportTables = Record<string, Record<string, unknown>[]>;

function exportable(t: SubjectTable): boolean {
  if (SKIPPED.has(t.table)) return false;
  const policy = dataMap[t.table]!;
  return (policy.subject === 'visitor' || t.table in rowFilters) && exportedColumns(t).length > 1;
}

export async function collectSubjectRows(
  deps: { database: Database; keyring: Keyring },
  orgId: string,
  conversationIds: string[],
): Promise<ExportTables> {
  const out: ExportTables = {};
  if (conversationIds.length === 0) return out;
  const ids = sql.join(
    conversationIds.map((id) => sql`${id}::uuid`),
    sql`, `,
  );
  for (const t of subjectTables().filter(exportable)) {
    const columns = exportedColumns(t);
    const hasId = 'id' in t.columns;
    const selected = [...new Set([...(hasId ? ['id'] : []), ...columns])];
    const rows = await withTenant(deps.database, [orgId], (tx) =>
      queryRows<Record<string, unknown>>(
        tx,
        sql`select ${sql.join(
          selected.map((c) => sql.identifier(c)),
          sql`, `,
        )} from ${sql.identifier(t.table)}
            where org_id = ${orgId} and ${sql.identifier(t.link)} in (${ids}) ${rowFilters[t.table] ?? sql``}
            order by ${sql.identifier(t.link)}, ${sql.identifier(hasId ? 'id' : t.link)}`,
      ),
    );
    if (rows.length === 0) continue;
    out[t.table] = rows.map((row) => {
      const clean: Record<string, unknown> = {};
      for (const column of selected) {
        let value = row[column];
        let name = column;
        if (t.columns[column]?.encrypted && typeof value === 'string') {
          value = decryptSecret(deps.keyring, value, {
            orgId,
            table: t.table,
            column,
            rowId: String(row.id),
          });
          // Opened: the person reads `email`, not `email_ciphertext`.
          name = column.replace(/_ciphertext$/, '');
        }
        clean[name] = value instanceof Date ? value.toISOString() : value;
      }
      return clean;
    });
  }
  return out;
}

export function buildExportZip(
  request: { id: string; createdAt: string },
  tables: ExportTables,
  generatedAt: Date,
): Uint8Array {
  const document = {
    request: { id: request.id, receivedAt: request.createdAt, generatedAt: generatedAt.toISOString() },
    about:
      'Everything this organization stores about you in Confidant, by table. Columns are described in the data map.',
    tables,
  };
  const byCategory = new Map<string, string[][]>();
  for (const [table, rows] of Object.entries(tables)) {
    const policy = dataMap[table]!;
    for (const row of rows) {
      const rowKey = String(row.id ?? row.conversation_id ?? '');
      for (const [column, value] of Object.entries(row)) {
        const policyOf = policy.columns[column] ?? policy.columns[`${column}_ciphertext`];
        const category = policyOf?.category ?? 'system.operations';
        const lines = byCategory.get(category) ?? [];
        lines.push([table, rowKey, column, csvValue(value)]);
        byCategory.set(category, lines);
      }
    }
  }
  const files: Record<string, Uint8Array> = {
    'subject.json': strToU8(`${JSON.stringify(document, null, 2)}\n`),
  };
  for (const [category, lines] of [...byCategory.entries()].sort()) {
    const csv = [['table', 'row', 'column', 'value'], ...lines]
      .map((l) => l.map(csvField).join(','))
      .join('\r\n');
    files[`${category}.csv`] = strToU8(`${csv}\r\n`);
  }
  return zipSync(files, { level: 6 });
}

const csvValue = (value: unknown) =>
  value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);

/** RFC 4180 quoting; a leading = + - @ is prefixed with ' so spreadsheets do not run it. */
function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
