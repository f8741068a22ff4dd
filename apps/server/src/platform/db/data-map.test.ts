import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataMap } from './data-map.js';
import { queryRows } from './query-rows.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

describe('data map', () => {
  let database: TestDatabase;
  let live: { table_name: string; column_name: string }[];
  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    live = await queryRows(
      database.db,
      sql`select c.table_name, c.column_name from information_schema.columns c
          join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
          where c.table_schema = 'public' and t.table_type = 'BASE TABLE'
          order by 1, 2`,
    );
  });
  afterAll(() => database?.drop());

  it('declares every column of the live schema', () => {
    const missing = live
      .filter((c) => !dataMap[c.table_name]?.columns[c.column_name])
      .map((c) => `${c.table_name}.${c.column_name}`);
    expect(missing).toEqual([]);
  });

  it('declares no column that does not exist', () => {
    const liveSet = new Set(live.map((c) => `${c.table_name}.${c.column_name}`));
    const stale = Object.entries(dataMap).flatMap(([table, t]) =>
      Object.keys(t.columns)
        .map((column) => `${table}.${column}`)
        .filter((name) => !liveSet.has(name)),
    );
    expect(stale).toEqual([]);
  });

  it('marks personal content and contact data as erasable', () => {
    for (const [table, t] of Object.entries(dataMap)) {
      for (const [column, c] of Object.entries(t.columns)) {
        if (c.category.startsWith('user.content') || c.category.startsWith('user.contact')) {
          expect(c.erasure, `${table}.${column}`).not.toBe('keep');
        }
      }
    }
  });
});
