import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { installCacheChangeTriggers } from '../cache/cache-change-triggers.js';
import { serverRoot } from '../server-root.js';
import type { Database } from './client.js';
import { queryRows } from './query-rows.js';

export const migrationsFolder = path.join(serverRoot, 'drizzle');

/** The unprivileged role tenant transactions switch to on PGlite (which connects as superuser). */
export const EMBEDDED_APP_ROLE = 'confidant_app';

/**
 * Applies the committed SQL migrations, then re-applies the tenant policies (idempotent) so no
 * tenant table can exist without RLS, installs the cache-change triggers (platform/cache/), then, on PGlite, (re)grants the embedded app role.
 */
export async function runMigrations(database: Database): Promise<void> {
  if (database.kind === 'pglite') {
    await migratePglite(database.db as unknown as PgliteDatabase, { migrationsFolder });
  } else {
    await migrateNodePg(database.db as unknown as NodePgDatabase, { migrationsFolder });
  }
  // Skipped when already in place (every boot but the first after a migration): it reads
  // information_schema and ALTERs every tenant table, the costliest statement of a boot.
  if (!(await tenantPoliciesInPlace(database)))
    await database.db.execute(sql`select confidant_apply_tenant_policies()`);
  await allowIndexedTextSearch(database);
  await installCacheChangeTriggers(database);
  if (database.kind === 'pglite') await prepareEmbeddedRole(database);
}

/**
 * Whether every table with an `org_id` column already has row-level security enabled and forced
 * and its `tenant_isolation` policy: what confidant_apply_tenant_policies() (drizzle/0001) would
 * establish, checked in the catalogs in one cheap query.
 */
export async function tenantPoliciesInPlace(database: Database): Promise<boolean> {
  const [row] = await queryRows<{ missing: number }>(
    database.db,
    sql`select count(*)::int as missing
          from pg_class c
          join pg_namespace n on n.oid = c.relnamespace and n.nspname = current_schema()
          join pg_attribute a on a.attrelid = c.oid and a.attname = 'org_id' and not a.attisdropped
         where c.relkind in ('r', 'p')
           and (not c.relrowsecurity or not c.relforcerowsecurity
                or not exists (select 1 from pg_policy p
                                where p.polrelid = c.oid and p.polname = 'tenant_isolation'))`,
  );
  return Number(row?.missing) === 0;
}

/**
 * Under row-level security, PostgreSQL evaluates the tenant policy on every row before any
 * operator that is not LEAKPROOF, so full-text matching (`@@`, ts_match_vq) cannot use its GIN
 * index: every search would read all of an org's chunks (seconds at 50,000). ts_match_vq only
 * compares a tsvector with a tsquery and raises no data-dependent error, so it may safely run
 * first; rows of other orgs are still removed by the policy. Declaring it needs a superuser:
 * done here when the migrating role is one (always on PGlite); on PostgreSQL otherwise, an
 * operator runs the same statement once as a superuser (see docs), or search stays correct but
 * slower.
 */
async function allowIndexedTextSearch(database: Database) {
  await database.db.execute(sql`
    DO $$ BEGIN
      IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        ALTER FUNCTION pg_catalog.ts_match_vq(tsvector, tsquery) LEAKPROOF;
      END IF;
    END $$`);
}

async function prepareEmbeddedRole(database: Database) {
  const pglite = database.pglite!;
  await pglite.exec(`
    DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${EMBEDDED_APP_ROLE}') THEN
        CREATE ROLE ${EMBEDDED_APP_ROLE} NOLOGIN NOSUPERUSER NOBYPASSRLS;
      END IF;
    END $$;
    GRANT USAGE ON SCHEMA public TO ${EMBEDDED_APP_ROLE};
    GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${EMBEDDED_APP_ROLE};
    GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${EMBEDDED_APP_ROLE};
  `);
}

/**
 * On PostgreSQL the connecting role must be subject to row-level security. Boot refuses a
 * superuser or BYPASSRLS role: with either, a forgotten filter could leak across tenants.
 */
export async function assertUnprivilegedRole(database: Database): Promise<void> {
  if (database.kind !== 'postgres') return;
  const [role] = await queryRows<{ rolname: string; rolsuper: boolean; rolbypassrls: boolean }>(
    database.db,
    sql`select rolname, rolsuper, rolbypassrls from pg_roles where rolname = current_user`,
  );
  if (!role) throw new Error('Could not read the current database role');
  if (role.rolsuper || role.rolbypassrls) {
    throw new Error(
      `Refusing to start: database role "${role.rolname}" is ${role.rolsuper ? 'a superuser' : 'BYPASSRLS'}. ` +
        'Connect as an ordinary role (see README, "Running on PostgreSQL") so row-level security applies.',
    );
  }
}
