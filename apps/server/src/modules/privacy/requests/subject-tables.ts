import { type ColumnPolicy, type DataMap, dataMap } from '../../../platform/db/data-map.js';

/**
 * What the data map says about a visitor subject's rows: every table that links rows to a
 * conversation (its `conversation_id`, or the `id` of `conversations` itself), with the column
 * policies export and erasure follow. Driven by the map alone, so a new table with a
 * conversation_id column is exported and erased without touching this code; `conversations`
 * comes last (its rows are the parents).
 */
export type SubjectTable = {
  table: string;
  /** The column holding the conversation id. */
  link: string;
  columns: Record<string, ColumnPolicy>;
  /** What erasure does to the rows: delete them, or clear the listed columns. */
  erasure: { kind: 'delete_row' } | { kind: 'clear'; columns: string[] } | { kind: 'keep' };
};

export function subjectTables(map: DataMap = dataMap): SubjectTable[] {
  const out: SubjectTable[] = [];
  for (const [table, policy] of Object.entries(map)) {
    const link = table === 'conversations' ? 'id' : policy.columns.conversation_id ? 'conversation_id' : null;
    if (!link) continue;
    const linkPolicy = policy.columns[link]!;
    let erasure: SubjectTable['erasure'];
    if (linkPolicy.erasure === 'delete_row') erasure = { kind: 'delete_row' };
    else if (linkPolicy.erasure === 'keep') erasure = { kind: 'keep' };
    else {
      // The link itself is cleared (null/crypto_shred/hash → no way back to the conversation),
      // with every other subject column of the row that is not kept.
      const columns = Object.entries(policy.columns)
        .filter(([name, c]) => name === link || (c.subject && c.erasure !== 'keep'))
        .map(([name]) => name);
      erasure = { kind: 'clear', columns };
    }
    out.push({ table, link, columns: policy.columns, erasure });
  }
  return out.sort((a, b) => Number(a.table === 'conversations') - Number(b.table === 'conversations'));
}

/**
 * Columns an export includes: the subject's own data (subject-linked columns) and the neutral
 * facts that give it meaning (roles, times, statuses) — never keyed lookup hashes, knowledge
 * text, org ids, or identifiers of other people (operators: `author_id`, `assignee_id`).
 */
export function exportedColumns(t: SubjectTable): string[] {
  return Object.entries(t.columns)
    .filter(([name, c]) => {
      if (c.subject) return !(name.endsWith('_hash') && c.category !== 'system.operations');
      return c.category.startsWith('system.') && c.category !== 'system.metrics';
    })
    .map(([name]) => name);
}
