import { sql } from 'drizzle-orm';
import type { Database, Db, Tx } from './client.js';
import { queryRows } from './query-rows.js';

/**
 * What the connected database can do beyond plain PostgreSQL, detected once per database.
 *
 * Today that is pgvector (`vector`): PGlite ships it (loaded in client.ts), a PostgreSQL server
 * may or may not have it installed, and the app role may not be allowed to create it (pgvector
 * is not a trusted extension on every build). Without it, embeddings are neither computed nor
 * searched and retrieval stays lexical — never an error.
 */
export type DatabaseCapabilities = {
  vector: boolean;
  /** Why `vector` is false, in words an operator can act on. */
  vectorMissingReason?: string;
};

const detected = new WeakMap<Db, Promise<DatabaseCapabilities>>();
const known = new WeakMap<Db, DatabaseCapabilities>();

/**
 * Detects the capabilities and, where possible, enables them: `CREATE EXTENSION IF NOT EXISTS
 * vector` on PGlite (as its superuser connection) and on PostgreSQL when the server has pgvector
 * installed. Memoized per database handle; never throws (a failure means "not available").
 * Must run outside any transaction (buildApp calls it at boot).
 */
export function detectCapabilities(database: Database): Promise<DatabaseCapabilities> {
  let pending = detected.get(database.db);
  if (!pending) {
    pending = detectVector(database).then((capabilities) => {
      known.set(database.db, capabilities);
      return capabilities;
    });
    detected.set(database.db, pending);
  }
  return pending;
}

/** The capabilities detected so far, or undefined when detectCapabilities has not finished. */
export function knownCapabilities(database: Database): DatabaseCapabilities | undefined {
  return known.get(database.db);
}

/**
 * The capabilities, read-only through an open transaction when they were not detected yet (the
 * CLI or a job may search without having booted the app). Creates nothing.
 */
export async function capabilitiesIn(database: Database, tx: Tx): Promise<DatabaseCapabilities> {
  const cached = known.get(database.db);
  if (cached) return cached;
  return (await vectorInstalled(tx))
    ? { vector: true }
    : { vector: false, vectorMissingReason: 'the pgvector extension is not enabled in this database' };
}

async function vectorInstalled(executor: Db | Tx): Promise<boolean> {
  const [row] = await queryRows<{ installed: boolean }>(
    executor,
    sql`select exists (select 1 from pg_extension where extname = 'vector') as installed`,
  );
  return row?.installed === true;
}

async function detectVector(database: Database): Promise<DatabaseCapabilities> {
  const { db } = database;
  try {
    if (await vectorInstalled(db)) return { vector: true };
    if (database.kind === 'postgres') {
      const [row] = await queryRows<{ available: boolean }>(
        db,
        sql`select exists (select 1 from pg_available_extensions where name = 'vector') as available`,
      );
      if (!row?.available) {
        return { vector: false, vectorMissingReason: 'pgvector is not installed on the PostgreSQL server' };
      }
    }
    try {
      await db.execute(sql`create extension if not exists vector`);
    } catch {
      // Not allowed for this role, or a concurrent boot created it first: check what is there.
    }
    if (await vectorInstalled(db)) return { vector: true };
    return {
      vector: false,
      vectorMissingReason:
        'pgvector is installed on the server but this role may not enable it (run CREATE EXTENSION vector as a superuser)',
    };
  } catch {
    return { vector: false, vectorMissingReason: 'the database could not be checked for pgvector' };
  }
}
