import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { CACHE_CHANNEL, type CacheTopic } from './hot-cache.js';

/**
 * The statement triggers that announce changes to cached data (hot-cache.ts): after any INSERT,
 * UPDATE or DELETE on a watched table, one NOTIFY per distinct org of the changed rows, with
 * payload `<topic>:<org id>`. NOTIFY is transactional: it is delivered when (and only if) the
 * change commits, to every process listening on the database, and repeats within a transaction
 * are folded. Statement-level with transition tables, so a bulk write (ingestion upserting a
 * thousand lexemes) costs one notification, not one per row.
 *
 * Installed by runMigrations after the committed migrations, idempotently (like the tenant
 * policies): CREATE OR REPLACE for the function, create-if-missing for the triggers.
 */
const WATCHED: { table: string; topic: CacheTopic; orgColumn: string }[] = [
  { table: 'agents', topic: 'agents', orgColumn: 'org_id' },
  { table: 'agent_sources', topic: 'agents', orgColumn: 'org_id' },
  { table: 'organizations', topic: 'org', orgColumn: 'id' },
  { table: 'api_keys', topic: 'org', orgColumn: 'org_id' },
  { table: 'memberships', topic: 'org', orgColumn: 'org_id' },
  { table: 'model_providers', topic: 'providers', orgColumn: 'org_id' },
  // The org's embedding model choice (knowledge/embeddings/embedding-choice.ts).
  { table: 'knowledge_settings', topic: 'providers', orgColumn: 'org_id' },
  { table: 'knowledge_lexicon', topic: 'knowledge', orgColumn: 'org_id' },
  { table: 'knowledge_sources', topic: 'knowledge', orgColumn: 'org_id' },
  { table: 'knowledge_synonyms', topic: 'knowledge', orgColumn: 'org_id' },
  // Grouped by user: sign-out, revocation, expiry refresh, account deletion, 2FA changes.
  { table: 'sessions', topic: 'sessions', orgColumn: 'user_id' },
  { table: 'users', topic: 'sessions', orgColumn: 'id' },
];

export async function installCacheChangeTriggers(database: Database): Promise<void> {
  await database.db.execute(
    sql.raw(`
    CREATE OR REPLACE FUNCTION confidant_notify_cache_change() RETURNS trigger
    LANGUAGE plpgsql AS $fn$
    DECLARE r record;
    BEGIN
      -- TG_ARGV: topic, org id column. The transition table is named "changed" in every trigger.
      FOR r IN EXECUTE format('SELECT DISTINCT %I::text AS org FROM changed', TG_ARGV[1]) LOOP
        PERFORM pg_notify('${CACHE_CHANNEL}', TG_ARGV[0] || ':' || r.org);
      END LOOP;
      RETURN NULL;
    END $fn$`),
  );
  const creates = WATCHED.flatMap(({ table, topic, orgColumn }) =>
    (
      [
        ['INSERT', 'NEW'],
        ['UPDATE', 'NEW'],
        ['DELETE', 'OLD'],
      ] as const
    ).map(([event, transition]) => {
      const name = `${table}_cache_${event.toLowerCase()}`;
      return `
          IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = '${name}'
                         AND tgrelid = to_regclass('public.${table}')) THEN
            CREATE TRIGGER ${name} AFTER ${event} ON ${table}
              REFERENCING ${transition} TABLE AS changed
              FOR EACH STATEMENT EXECUTE FUNCTION confidant_notify_cache_change('${topic}', '${orgColumn}');
          END IF;`;
    }),
  );
  // One round trip for all of them (this runs at every boot).
  await database.db.execute(sql.raw(`DO $do$ BEGIN ${creates.join('')} END $do$`));
}
