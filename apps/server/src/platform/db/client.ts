import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { vector } from '@electric-sql/pglite-pgvector';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import * as schema from './schema/index.js';
import { traceStatementsTo } from './statement-trace.js';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;

export type DatabaseKind = 'pglite' | 'postgres';

/** An open database: the Drizzle handle plus what the rest of the server must know about it. */
export type Database = {
  db: Db;
  kind: DatabaseKind;
  /** Present on PGlite: some operations (multi-statement SQL) need the raw client. */
  pglite?: PGlite;
  pool?: pg.Pool;
  /**
   * LISTEN on a channel: `onNotify` gets each NOTIFY payload after the notifying transaction
   * commits. `onResync` is called when notifications may have been missed (the PostgreSQL
   * listening connection was lost and re-established): listeners must then re-read what they
   * track. Returns a function that stops listening.
   */
  listen(
    channel: string,
    onNotify: (payload: string) => void,
    onResync?: () => void,
  ): Promise<() => Promise<void>>;
  close(): Promise<void>;
};

/**
 * PGlite's buffer cache. Its default (128MB) is allocated in the WASM heap at start: ~60MB more
 * heap and 100-150MB more resident memory when idle than this (measured: WASM heap 211 → 148MB,
 * the 16MB and 32MB settings alike). Pages that do not fit are read from the data files through
 * the OS page cache, a copy away.
 */
const PGLITE_SHARED_BUFFERS = '32MB';

/**
 * Opens PGlite in `dataDir`, or in memory when dataDir is null (tests). `loadDataDir`: a dumped
 * data directory to start from (tests load a migrated template, see test-database.ts).
 */
export async function openPglite(
  dataDir: string | null,
  options: { loadDataDir?: Blob } = {},
): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    // pgvector is only loaded here; db/capabilities.ts creates it at boot (PostgreSQL may lack it).
    extensions: { pg_trgm, vector },
    startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${PGLITE_SHARED_BUFFERS}`],
  });
  // Diagnostics only (bench/chat-bench/profile.ts): a log of the statements run.
  if (process.env.CONFIDANT_SQL_TRACE) traceStatementsTo(client, process.env.CONFIDANT_SQL_TRACE);
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    pglite: client,
    // In-process: PGlite delivers NOTIFY to its own listeners when the transaction commits.
    listen: async (channel, onNotify) => {
      const stop = await client.listen(channel, onNotify);
      return async () => {
        if (!client.closed) await stop();
      };
    },
    close: async () => {
      if (!client.closed) await client.close();
    },
  };
}

export async function openPostgres(url: string, options: { max?: number } = {}): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10 });
  // A broken idle connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  const db = drizzleNodePg(pool, { schema }) as unknown as Db;
  const listeners = new PostgresListeners(url);
  return {
    db,
    kind: 'postgres',
    pool,
    listen: (channel, onNotify, onResync) => listeners.listen(channel, onNotify, onResync),
    close: async () => {
      await listeners.close();
      await pool.end();
    },
  };
}

type Listener = { onNotify: (payload: string) => void; onResync: (() => void) | undefined };

/**
 * One dedicated connection per process for every LISTEN (a pooled connection would be handed to
 * other queries). When it drops, it is re-opened with backoff and every listener is told to
 * resync, since notifications sent meanwhile are lost.
 */
class PostgresListeners {
  private client: pg.Client | null = null;
  private connecting: Promise<pg.Client> | null = null;
  private readonly channels = new Map<string, Set<Listener>>();
  private closed = false;
  private retryMs = 250;

  constructor(private readonly url: string) {}

  async listen(channel: string, onNotify: (payload: string) => void, onResync?: () => void) {
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(channel)) throw new Error(`invalid channel name: ${channel}`);
    const listener: Listener = { onNotify, onResync };
    let set = this.channels.get(channel);
    if (!set) {
      set = new Set();
      this.channels.set(channel, set);
      const client = await this.connection();
      await client.query(`LISTEN ${channel}`);
    }
    set.add(listener);
    return async () => {
      set.delete(listener);
      if (set.size === 0 && this.channels.get(channel) === set) {
        this.channels.delete(channel);
        await this.client?.query(`UNLISTEN ${channel}`).catch(() => {});
      }
    };
  }

  private connection(): Promise<pg.Client> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= this.connect().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private async connect(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: this.url });
    client.on('notification', (message) => {
      for (const l of this.channels.get(message.channel) ?? []) l.onNotify(message.payload ?? '');
    });
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    await client.connect();
    for (const channel of this.channels.keys()) await client.query(`LISTEN ${channel}`);
    this.client = client;
    this.retryMs = 250;
    return client;
  }

  private lost(client: pg.Client) {
    if (this.client !== client) return;
    this.client = null;
    if (this.closed) return;
    const reconnect = () => {
      if (this.closed) return;
      this.connection()
        .then(() => {
          for (const set of this.channels.values()) for (const l of set) l.onResync?.();
        })
        .catch(() => {
          this.retryMs = Math.min(this.retryMs * 2, 10_000);
          setTimeout(reconnect, this.retryMs).unref();
        });
    };
    setTimeout(reconnect, this.retryMs).unref();
  }

  async close() {
    this.closed = true;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => {});
  }
}
