import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openPostgres } from './client.js';
import { assertUnprivilegedRole } from './migrate.js';
import { createTestDatabase, testPostgresUrl } from './test-database.js';

describe.skipIf(!testPostgresUrl)('PostgreSQL role check', () => {
  it('refuses a superuser connection', async () => {
    const superuser = await openPostgres(testPostgresUrl!, { max: 1 });
    try {
      await expect(assertUnprivilegedRole(superuser)).rejects.toThrow(/superuser/);
    } finally {
      await superuser.close();
    }
  });

  it('refuses a BYPASSRLS role', async () => {
    const name = `confidant_test_bypass_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: testPostgresUrl });
    await admin.connect();
    await admin.query(`CREATE ROLE ${name} LOGIN NOSUPERUSER BYPASSRLS`);
    const url = new URL(testPostgresUrl!);
    url.username = name;
    const bypass = await openPostgres(url.toString(), { max: 1 });
    try {
      await expect(assertUnprivilegedRole(bypass)).rejects.toThrow(/BYPASSRLS/);
    } finally {
      await bypass.close();
      await admin.query(`DROP ROLE ${name}`);
      await admin.end();
    }
  });

  it('accepts an ordinary role, which row-level security applies to', async () => {
    const database = await createTestDatabase('postgres');
    try {
      await expect(assertUnprivilegedRole(database)).resolves.toBeUndefined();
    } finally {
      await database.drop();
    }
  });
});
