import { setTimeout as sleep } from 'node:timers/promises';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAgentsCached } from '../../modules/agents/service.js';
import { findAgent } from '../../modules/conversations/service.js';
import { assertOrgActive } from '../../modules/orgs/deletion/org-status.js';
import { type Database, openPostgres } from '../db/client.js';
import { agents, knowledgeSynonyms, modelProviders, organizations } from '../db/schema/index.js';
import { withTenant } from '../db/tenancy.js';
import { createTestDatabase, type TestDatabase, testDatabaseKinds } from '../db/test-database.js';
import { CACHE_CHANNEL, HotCache, startHotCache } from './hot-cache.js';

/** Polls until `probe` holds (bounded by the test timeout; never a timing assertion). */
async function until(probe: () => Promise<boolean> | boolean) {
  while (!(await probe())) await sleep(5);
}

describe.each(testDatabaseKinds)('hot cache on %s', (kind) => {
  let database: TestDatabase;
  let cache: HotCache;
  let orgId: string;
  let agentId: string;

  const rename = (name: string, via: Database = database) =>
    withTenant(via, [orgId], (tx) =>
      tx
        .update(agents)
        .set({ name })
        .where(and(eq(agents.orgId, orgId), eq(agents.id, agentId))),
    );

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    cache = await startHotCache(database);
    const [org] = await database.db
      .insert(organizations)
      .values({ kind: 'direct', name: 'Cached' })
      .returning();
    orgId = org!.id;
    const [agent] = await withTenant(database, [orgId], (tx) =>
      tx
        .insert(agents)
        .values({ orgId, name: 'First', publishableKey: `pk_test_cache_${orgId}` })
        .returning(),
    );
    agentId = agent!.id;
  });
  afterAll(async () => {
    await cache?.stop();
    await database?.drop();
  });

  /** Reads the agent until a read is served from memory (an earlier write's notice may still arrive). */
  const cachedName = async () => {
    let name: string | undefined;
    await until(async () => {
      const hits = cache.stats.hits;
      name = (await findAgent(database, orgId, agentId))?.name;
      return cache.stats.hits > hits;
    });
    return name;
  };

  it('serves an agent from memory until a committed change to it is announced, then reads it again', async () => {
    expect(await cachedName()).toBe('First');
    await rename('Second');
    await until(async () => (await findAgent(database, orgId, agentId))?.name === 'Second');
  });

  it('serves the org’s agent list from memory until any change to its agents is announced', async () => {
    const names = async () => (await listAgentsCached(database, orgId)).map((a) => a.name);
    const current = (await names())[0]!;
    const hits = cache.stats.hits;
    expect(await names()).toEqual([current]);
    expect(cache.stats.hits).toBe(hits + 1);
    // Written directly (not through the agents service): only the trigger's notice tells the cache.
    await rename(`${current} (listed)`);
    await until(async () => (await names())[0] === `${current} (listed)`);
    await withTenant(database, [orgId], (tx) =>
      tx.insert(agents).values({ orgId, name: 'Listed too', publishableKey: `pk_test_list_${orgId}` }),
    );
    await until(async () => (await names()).length === 2);
    await withTenant(database, [orgId], (tx) =>
      tx.delete(agents).where(and(eq(agents.orgId, orgId), eq(agents.name, 'Listed too'))),
    );
    await until(async () => (await names()).length === 1);
    await rename(current);
    await until(async () => (await names())[0] === current);
  });

  it('a rolled-back change announces nothing', async () => {
    expect(await cachedName()).toBe('Second');
    await expect(
      withTenant(database, [orgId], async (tx) => {
        await tx.update(agents).set({ name: 'Never' }).where(eq(agents.id, agentId));
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    const hits = cache.stats.hits;
    expect((await findAgent(database, orgId, agentId))?.name).toBe('Second');
    expect(cache.stats.hits).toBe(hits + 1);
  });

  it('drops a scheduled deletion’s org status, so the widget refuses the org at once', async () => {
    await assertOrgActive(database, orgId);
    await database.db.update(organizations).set({ deletedAt: new Date() }).where(eq(organizations.id, orgId));
    await until(() =>
      assertOrgActive(database, orgId).then(
        () => false,
        () => true,
      ),
    );
    await database.db.update(organizations).set({ deletedAt: null }).where(eq(organizations.id, orgId));
    await until(() =>
      assertOrgActive(database, orgId).then(
        () => true,
        () => false,
      ),
    );
  });

  it('announces writes to agents, providers, knowledge and orgs with their topic and org, once per statement', async () => {
    const heard: string[] = [];
    const stop = await database.listen(CACHE_CHANNEL, (payload) => heard.push(payload));
    try {
      await withTenant(database, [orgId], async (tx) => {
        await tx.insert(modelProviders).values({ orgId, baseUrl: 'https://models.example/v1' });
        await tx.insert(knowledgeSynonyms).values([
          { orgId, terms: ['parcel', 'package'] },
          { orgId, terms: ['refund', 'money back'] },
        ]);
      });
      await rename('Third');
      await until(() => heard.length >= 3);
      expect(heard).toEqual([`providers:${orgId}`, `knowledge:${orgId}`, `agents:${orgId}`]);
    } finally {
      await stop();
    }
  });

  it('does not store a value loaded while an invalidation of its topic arrived', async () => {
    const key = `race:${orgId}`;
    await cache.get('agents', key, async () => {
      cache.invalidate('agents', orgId);
      return { orgId, value: 'stale' };
    });
    const misses = cache.stats.misses;
    expect(await cache.get('agents', key, async () => ({ orgId, value: 'fresh' }))).toBe('fresh');
    expect(cache.stats.misses).toBe(misses + 1);
  });

  it.runIf(kind === 'postgres')('a change made by another process drops this process’s entry', async () => {
    // A second connection pool with its own listener and cache: what another server process has.
    const other = await openPostgres(database.url!, { max: 2 });
    const otherCache = new HotCache(other);
    await otherCache.start();
    try {
      const read = async () => {
        const value = await otherCache.get('agents', 'name', async () => {
          const [row] = await withTenant(other, [orgId], (tx) =>
            tx.select({ name: agents.name }).from(agents).where(eq(agents.id, agentId)),
          );
          return { orgId, value: row!.name };
        });
        return value;
      };
      const before = await read();
      await rename(`${before}!`);
      await until(async () => (await read()) === `${before}!`);
    } finally {
      await otherCache.stop();
      await other.close();
    }
  });
});
