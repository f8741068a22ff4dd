import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../../platform/db/query-rows.js';
import { createTestDatabase, type TestDatabase } from '../../../platform/db/test-database.js';
import { phoneDigits } from '../subjects/subject-hash.js';
import { emailPattern, phonePattern } from './find-subject-conversations.js';
import { maskSubject } from './subject.js';

/**
 * How a subject's address or number is recognised in text the visitor wrote (run by the
 * database's own regex engine): whole addresses and whole numbers only, since a near miss would
 * erase someone else's conversation.
 */
describe('subject patterns in visitor text', () => {
  let database: TestDatabase;
  const matches = async (text: string, pattern: string, insensitive = false) => {
    const [row] = await queryRows<{ m: boolean }>(
      database.db,
      insensitive ? sql`select ${text} ~* ${pattern} as m` : sql`select ${text} ~ ${pattern} as m`,
    );
    return row!.m;
  };
  beforeAll(async () => {
    database = await createTestDatabase('pglite');
  });
  afterAll(() => database?.drop());

  it('finds an email address only as a whole address', async () => {
    const p = emailPattern('ann.lee@example.com');
    expect(await matches('write to ann.lee@example.com.', p, true)).toBe(true);
    expect(await matches('ANN.LEE@Example.com please', p, true)).toBe(true);
    expect(await matches('<ann.lee@example.com>', p, true)).toBe(true);
    expect(await matches('joann.lee@example.com', p, true)).toBe(false);
    expect(await matches('ann.lee@example.com.au', p, true)).toBe(false);
    expect(await matches('annXlee@example.com', p, true)).toBe(false);
  });

  it('finds a phone number however it is written, but not inside a longer number', async () => {
    const p = phonePattern(phoneDigits('555 010 1234'));
    expect(await matches('call +1 (555) 010-1234 today', p)).toBe(true);
    expect(await matches('5550101234', p)).toBe(true);
    expect(await matches('555.010.1234', p)).toBe(true);
    expect(await matches('order 85550101234', p)).toBe(false);
    expect(await matches('5550101234999', p)).toBe(false);
  });

  it('masks subjects for display', () => {
    expect(maskSubject({ kind: 'email', value: 'ann@example.com' })).toBe('a•••@example.com');
    expect(maskSubject({ kind: 'phone', value: '15550101234' })).toBe('•••34');
    expect(maskSubject({ kind: 'userId', value: 'user-42' })).toBe('us•••');
  });
});
