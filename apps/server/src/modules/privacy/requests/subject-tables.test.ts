import { describe, expect, it } from 'vitest';
import { col } from '../../../platform/db/data-map-types.js';
import { exportedColumns, subjectTables } from './subject-tables.js';

/** Export and erasure read the data map: what they derive from it, table by table. */
describe('subject tables from the data map', () => {
  const byTable = Object.fromEntries(subjectTables().map((t) => [t.table, t]));

  it('deletes or unlinks every table that holds a conversation id, conversations last', () => {
    const tables = subjectTables().map((t) => t.table);
    expect(tables.at(-1)).toBe('conversations');
    for (const table of ['messages', 'events', 'visitor_contacts', 'visitor_identities', 'notifications']) {
      expect(byTable[table]?.erasure, table).toEqual({ kind: 'delete_row' });
    }
    // Metering stays as counts, no longer linked to the person's conversation.
    expect(byTable.model_calls?.erasure).toEqual({ kind: 'clear', columns: ['conversation_id'] });
  });

  it('exports the subject’s columns and neutral facts, never operators’ ids or lookup hashes', () => {
    const messages = exportedColumns(byTable.messages!);
    expect(messages).toEqual(expect.arrayContaining(['content', 'role', 'created_at']));
    expect(messages).not.toContain('author_id');
    expect(messages).not.toContain('org_id');
    const identities = exportedColumns(byTable.visitor_identities!);
    expect(identities).toEqual(expect.arrayContaining(['user_id_ciphertext', 'name_ciphertext']));
    expect(identities).not.toContain('user_id_hash');
    expect(exportedColumns(byTable.conversations!)).not.toContain('assignee_id');
  });

  it('follows a new table with a conversation link without code changes', () => {
    const map = {
      surveys: {
        purpose: 'test',
        subject: 'visitor' as const,
        columns: {
          org_id: col('org.identifier', 'org_lifetime', 'keep'),
          conversation_id: col('user.identifier', 'transcripts', 'null', { subject: true }),
          answer: col('user.content.chat', 'transcripts', 'hash', { subject: true }),
          score: col('system.metrics', 'metrics', 'keep'),
        },
      },
    };
    expect(subjectTables(map)).toEqual([
      expect.objectContaining({
        table: 'surveys',
        erasure: { kind: 'clear', columns: ['conversation_id', 'answer'] },
      }),
    ]);
  });
});
