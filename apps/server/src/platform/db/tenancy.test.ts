import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from './query-rows.js';
import { agents, organizations } from './schema/index.js';
import { withTenant } from './tenancy.js';
import { createTestDatabase, type TestDatabase, testDatabaseKinds } from './test-database.js';

describe.each(testDatabaseKinds)('tenancy on %s', (kind) => {
  let database: TestDatabase;
  let orgA: string;
  let orgB: string;
  let agentA: string;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    const [a, b] = await database.db
      .insert(organizations)
      .values([
        { kind: 'direct', name: 'A' },
        { kind: 'direct', name: 'B' },
      ])
      .returning();
    orgA = a!.id;
    orgB = b!.id;
    const [agent] = await withTenant(database, [orgA], (tx) =>
      tx
        .insert(agents)
        .values({ orgId: orgA, name: 'A agent', publishableKey: `pk_test_${orgA}` })
        .returning(),
    );
    agentA = agent!.id;
  });
  afterAll(() => database?.drop());

  it('has RLS enabled, forced and a tenant policy on every table with org_id', async () => {
    const rows = await queryRows<{
      table_name: string;
      relrowsecurity: boolean;
      relforcerowsecurity: boolean;
      policies: number;
    }>(
      database.db,
      sql`
      select c.table_name, k.relrowsecurity, k.relforcerowsecurity,
             (select count(*)::int from pg_policies p where p.schemaname = current_schema()
                and p.tablename = c.table_name and p.policyname = 'tenant_isolation') as policies
      from information_schema.columns c
      join pg_class k on k.relname = c.table_name and k.relnamespace = current_schema()::regnamespace
      where c.table_schema = current_schema() and c.column_name = 'org_id' and k.relkind = 'r'`,
    );
    expect(rows.length).toBeGreaterThan(5);
    for (const row of rows) {
      expect(row, row.table_name).toMatchObject({
        relrowsecurity: true,
        relforcerowsecurity: true,
        policies: 1,
      });
    }
  });

  it('hides another org’s rows even without an org filter', async () => {
    const seenByA = await withTenant(database, [orgA], (tx) => tx.select().from(agents));
    const seenByB = await withTenant(database, [orgB], (tx) => tx.select().from(agents));
    expect(seenByA.map((r) => r.id)).toEqual([agentA]);
    expect(seenByB).toEqual([]);
  });

  it('refuses to write rows for another org', async () => {
    await expect(
      withTenant(database, [orgB], (tx) =>
        tx.insert(agents).values({ orgId: orgA, name: 'intruder', publishableKey: 'pk_intruder' }),
      ),
    ).rejects.toThrow();
    const updated = await withTenant(database, [orgB], (tx) =>
      tx.update(agents).set({ name: 'hijacked' }).where(eq(agents.id, agentA)).returning(),
    );
    expect(updated).toEqual([]);
    const deleted = await withTenant(database, [orgB], (tx) =>
      tx.delete(agents).where(eq(agents.id, agentA)).returning(),
    );
    expect(deleted).toEqual([]);
    const [still] = await withTenant(database, [orgA], (tx) => tx.select().from(agents));
    expect(still?.name).toBe('A agent');
  });

  it('sees nothing at all outside a tenant scope', async () => {
    const none = await withTenant(database, [], (tx) => tx.select().from(agents));
    expect(none).toEqual([]);
  });

  it('reveals exactly the row whose credential is presented', async () => {
    const found = await withTenant(database, { publishableKey: `pk_test_${orgA}` }, (tx) =>
      tx.select().from(agents),
    );
    expect(found.map((r) => r.id)).toEqual([agentA]);
    const wrong = await withTenant(database, { publishableKey: 'pk_nope' }, (tx) => tx.select().from(agents));
    expect(wrong).toEqual([]);
  });
});
