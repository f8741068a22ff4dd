import type { Database, Tx } from '../db/client.js';

/**
 * Per-org caches of what the answer path reads on every message but that changes rarely: agent
 * rows, the org's status, model provider settings, the knowledge vocabulary. Correct across
 * processes: every write to the tables they come from (whatever the code path: services, the
 * CLI, a test's direct update) fires a statement trigger that NOTIFYs `confidant_cache` with
 * `<topic>:<org id>` when its transaction commits (cache-change-triggers.ts); every process
 * LISTENs (the same mechanism as the outbox's wake-ups, platform/events/) and drops that org's
 * entries of that topic. A short TTL bounds staleness should a notification ever be lost, and a
 * lost PostgreSQL listening connection clears everything when it is re-established.
 *
 * Invariants:
 * - a value loaded while an invalidation of its topic arrived is not stored (a generation per
 *   topic is read before the load and compared after), so a read that raced a commit can never
 *   outlive the commit's notification;
 * - listening is established before the first load, and a database without a started cache
 *   (the CLI, tests that use a bare database) gets no caching at all: hotCacheOf returns null.
 *
 * Values are shared between callers: treat them as read-only.
 */
export const CACHE_CHANNEL = 'confidant_cache';
/**
 * `sessions` is grouped by user id, not org id (the "org" of its entries and notifications is the
 * user): verified console sessions, dropped by any change to the user's sessions or user row.
 */
export const cacheTopics = ['agents', 'org', 'providers', 'knowledge', 'sessions'] as const;
export type CacheTopic = (typeof cacheTopics)[number];

/** Safety net only: invalidation is by notification. */
const DEFAULT_TTL_MS = 30_000;
/** Entries per topic before the oldest are dropped (a bound on memory, far above normal use). */
const MAX_ENTRIES = 20_000;

type Entry = { orgId: string; value: unknown; expires: number };

export class HotCache {
  private readonly entries = new Map<CacheTopic, Map<string, Entry>>(cacheTopics.map((t) => [t, new Map()]));
  private readonly generations = new Map<CacheTopic, number>(cacheTopics.map((t) => [t, 0]));
  private stopListening: (() => Promise<void>) | null = null;
  /** Loads served from memory and from the database, per topic (for tests and diagnostics). */
  readonly stats = { hits: 0, misses: 0 };

  constructor(
    private readonly database: Database,
    private readonly ttlMs = DEFAULT_TTL_MS,
  ) {}

  async start(): Promise<void> {
    this.stopListening ??= await this.database.listen(
      CACHE_CHANNEL,
      (payload) => this.onNotify(payload),
      () => this.clear(),
    );
  }

  async stop(): Promise<void> {
    const stop = this.stopListening;
    this.stopListening = null;
    this.clear();
    await stop?.();
  }

  /**
   * The cached value for `key`, else `load()`'s. `load` returns the value and the org it belongs
   * to (a lookup by credential learns the org from the row), or null: nothing is cached then.
   */
  async get<V>(
    topic: CacheTopic,
    key: string,
    load: () => Promise<{ orgId: string; value: V } | null>,
  ): Promise<V | null> {
    const found = this.peek<V>(topic, key);
    if (found !== undefined) return found;
    const generation = this.generation(topic);
    const loaded = await load();
    if (!loaded) return null;
    this.put(topic, key, loaded.orgId, loaded.value, generation);
    return loaded.value;
  }

  /** The cached value, or undefined (absent or expired: counted as a miss). */
  peek<V>(topic: CacheTopic, key: string): V | undefined {
    const found = this.entries.get(topic)!.get(key);
    if (found && found.expires > Date.now()) {
      this.stats.hits++;
      return found.value as V;
    }
    this.stats.misses++;
    return undefined;
  }

  /** Read before loading a value; put() then stores it only if no invalidation came meanwhile. */
  generation(topic: CacheTopic): number {
    return this.generations.get(topic)!;
  }

  put(topic: CacheTopic, key: string, orgId: string, value: unknown, generation: number) {
    if (this.generations.get(topic) !== generation || !this.stopListening) return;
    const entries = this.entries.get(topic)!;
    if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
    entries.set(key, { orgId, value, expires: Date.now() + this.ttlMs });
  }

  /** Drops an org's entries of a topic in this process (notifications do it for every process). */
  invalidate(topic: CacheTopic, orgId: string) {
    this.generations.set(topic, this.generations.get(topic)! + 1);
    for (const [key, entry] of this.entries.get(topic)!)
      if (entry.orgId === orgId) this.entries.get(topic)!.delete(key);
  }

  /** Drops every entry of a topic in this process. */
  invalidateTopic(topic: CacheTopic) {
    this.generations.set(topic, this.generations.get(topic)! + 1);
    this.entries.get(topic)!.clear();
  }

  clear() {
    for (const topic of cacheTopics) {
      this.generations.set(topic, this.generations.get(topic)! + 1);
      this.entries.get(topic)!.clear();
    }
  }

  private onNotify(payload: string) {
    const [topic, orgId] = payload.split(':');
    if (!orgId || !(cacheTopics as readonly string[]).includes(topic!)) return;
    this.invalidate(topic as CacheTopic, orgId);
  }
}

const byDatabase = new WeakMap<Database, HotCache>();
const byTransaction = new WeakMap<Tx, HotCache>();

/** Starts the database's cache (listening first); done once per process by resolveDeps. */
export async function startHotCache(database: Database): Promise<HotCache> {
  const cache = byDatabase.get(database) ?? new HotCache(database);
  byDatabase.set(database, cache);
  await cache.start();
  return cache;
}

/** The started cache of a database, or null (then callers read the database every time). */
export const hotCacheOf = (database: Database): HotCache | null => byDatabase.get(database) ?? null;

/** Ties a tenant transaction to its database's cache, so code that only holds `tx` can use it. */
export function bindHotCache(tx: Tx, database: Database) {
  const cache = byDatabase.get(database);
  if (cache) byTransaction.set(tx, cache);
}

/** The cache of the database a tenant transaction runs on (null: none started). */
export const hotCacheOfTx = (tx: Tx): HotCache | null => byTransaction.get(tx) ?? null;

/**
 * Called by a service that writes cached data, in its transaction: drops this process's entries
 * at once, so the writer's next request reads its own write even before the commit's
 * notification has arrived (on PostgreSQL it comes over another connection, a moment later; on
 * PGlite it is delivered before the commit returns). Other processes rely on the notification.
 */
export function noteCacheChange(tx: Tx, topic: CacheTopic, orgId: string) {
  hotCacheOfTx(tx)?.invalidate(topic, orgId);
}
