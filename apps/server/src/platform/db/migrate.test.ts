import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openPostgres } from './client.js';
import { assertUnprivilegedRole, runMigrations, tenantPoliciesInPlace } from './migrate.js';
import { createTestDatabase, testDatabaseKinds, testPostgresUrl } from './test-database.js';

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

describe.each(testDatabaseKinds)('tenant policies at boot on %s', (kind) => {
  it('are re-applied when a table with org_id lacks them, and the check passes otherwise', async () => {
    const database = await createTestDatabase(kind);
    try {
      expect(await tenantPoliciesInPlace(database)).toBe(true);
      await database.db.execute(sql`create table boot_check_probe (org_id uuid not null, note text)`);
      expect(await tenantPoliciesInPlace(database)).toBe(false);
      await runMigrations(database);
      expect(await tenantPoliciesInPlace(database)).toBe(true);
      await database.db.execute(sql`alter table boot_check_probe no force row level security`);
      expect(await tenantPoliciesInPlace(database)).toBe(false);
      await runMigrations(database);
      expect(await tenantPoliciesInPlace(database)).toBe(true);
    } finally {
      await database.drop();
    }
  }, 300_000);
});
