import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganization } from '../../modules/orgs/service.js';
import { makeKeyring } from '../crypto/keyring.js';
import { refreshPlannerStatistics } from './planner-statistics.js';
import { queryRows } from './query-rows.js';
import { agents, conversations, knowledgeChunks, knowledgeSources, messages } from './schema/index.js';
import { withTenant } from './tenancy.js';
import { createTestDatabase, type TestDatabase, testDatabaseKinds } from './test-database.js';

describe.each(testDatabaseKinds)('planner statistics on %s', (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
  });
  afterAll(() => database?.drop());

  const reltuples = async (table: string) =>
    Number(
      (
        await queryRows<{ n: number }>(
          database.db,
          sql`select reltuples::float8 as n from pg_class where oid = to_regclass(${table})`,
        )
      )[0]?.n,
    );

  it('analyzes knowledge tables once they changed enough (PGlite has no autovacuum), else nothing', async () => {
    expect(await refreshPlannerStatistics(database)).toEqual([]);
    const { org } = await createOrganization(
      database,
      makeKeyring(new Map([[1, randomBytes(32)]])),
      { name: 'Stats', kind: 'direct', parentId: null },
      { type: 'system', id: null },
    );
    await withTenant(database, [org.id], async (tx) => {
      const [source] = await tx
        .insert(knowledgeSources)
        .values({ orgId: org.id, type: 'text', title: 'Doc', content: 'x', status: 'ready' })
        .returning({ id: knowledgeSources.id });
      await tx.insert(knowledgeChunks).values(
        Array.from({ length: 120 }, (_, i) => ({
          orgId: org.id,
          sourceId: source!.id,
          ordinal: i,
          title: 'Doc',
          content: `Passage ${i} about returns, refunds and parcel number ${i}.`,
        })),
      );
    });
    const analyzed = await refreshPlannerStatistics(database);
    if (kind === 'postgres') {
      // Autovacuum's job there.
      expect(analyzed).toEqual([]);
      return;
    }
    expect(analyzed).toEqual(expect.arrayContaining(['knowledge_chunks', 'knowledge_sources']));
    expect(await reltuples('knowledge_chunks')).toBe(120);
    // Nothing changed since: nothing to do.
    expect(await refreshPlannerStatistics(database)).toEqual([]);

    // The conversation tables the answer path reads get statistics too (they grow per message).
    const write = (n: number) =>
      withTenant(database, [org.id], async (tx) => {
        const [agent] = await tx
          .insert(agents)
          .values({
            orgId: org.id,
            name: `Stats ${n}`,
            publishableKey: `pk_stats_${n}_${randomBytes(6).toString('hex')}`,
          })
          .returning({ id: agents.id });
        const [conversation] = await tx
          .insert(conversations)
          .values({ orgId: org.id, agentId: agent!.id })
          .returning({ id: conversations.id });
        await tx.insert(messages).values(
          Array.from({ length: n }, (_, i) => ({
            orgId: org.id,
            conversationId: conversation!.id,
            role: 'visitor' as const,
            content: `Message ${i}`,
          })),
        );
      });
    await write(80);
    expect(await refreshPlannerStatistics(database)).toEqual(
      expect.arrayContaining(['conversations', 'messages']),
    );
    expect(await reltuples('messages')).toBe(80);
    // Below autovacuum's threshold (50 + 10%): left alone; above it: analyzed again.
    await write(20);
    expect(await refreshPlannerStatistics(database)).not.toContain('messages');
    await write(60);
    expect(await refreshPlannerStatistics(database)).toContain('messages');
    expect(await reltuples('messages')).toBe(160);
  });
});
