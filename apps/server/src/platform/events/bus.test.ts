import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pruneEvents } from '../../modules/conversations/jobs/prune-events.js';
import { queryRows } from '../db/query-rows.js';
import { organizations } from '../db/schema/index.js';
import { withTenant } from '../db/tenancy.js';
import { createTestDatabase, type TestDatabase, testDatabaseKinds } from '../db/test-database.js';
import { EventBus } from './bus.js';
import { appendEvent, type DeliveredEvent } from './outbox.js';

/**
 * The outbox and the bus on a real database: events reach subscribers once the writing
 * transaction commits (never when it rolls back), in seq order, each once; a subscriber resuming
 * after a seq first gets what it missed, then live events, with no gap and no repeat; org scopes
 * never mix. Pruning removes only old events.
 */
describe.each(testDatabaseKinds)('event outbox and bus on %s', (kind) => {
  let database: TestDatabase;
  let bus: EventBus;
  const orgA = randomUUID();
  const orgB = randomUUID();

  const write = (orgId: string, n: number) =>
    withTenant(database, [orgId], (tx) =>
      appendEvent(tx, orgId, { type: 'test', conversationId: null, payload: { n } }),
    );
  /** Collects what a subscription delivers until `count` events arrived. */
  const collector = () => {
    const got: DeliveredEvent[] = [];
    const waiters: (() => void)[] = [];
    return {
      got,
      deliver: (e: DeliveredEvent) => {
        got.push(e);
        for (const w of waiters.splice(0)) w();
      },
      async until(count: number) {
        for (let i = 0; got.length < count && i < 500; i++) {
          await new Promise<void>((resolve) => {
            waiters.push(resolve);
            setTimeout(resolve, 20);
          });
        }
        return got;
      },
    };
  };

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await database.db.insert(organizations).values([
      { id: orgA, name: 'A', kind: 'direct' },
      { id: orgB, name: 'B', kind: 'direct' },
    ]);
    bus = new EventBus(database);
    await bus.start();
  });
  afterAll(async () => {
    await bus?.stop();
    await database?.drop();
  });

  it('delivers committed events in order, once, to every subscriber of the org only', async () => {
    const first = collector();
    const second = collector();
    const other = collector();
    const stopFirst = await bus.subscribe(
      orgA,
      { after: null },
      { filter: () => true, deliver: first.deliver },
    );
    const stopSecond = await bus.subscribe(
      orgA,
      { after: null },
      { filter: () => true, deliver: second.deliver },
    );
    const stopOther = await bus.subscribe(
      orgB,
      { after: null },
      { filter: () => true, deliver: other.deliver },
    );
    await Promise.all([1, 2, 3, 4, 5].map((n) => write(orgA, n)));
    await expect(
      withTenant(database, [orgA], async (tx) => {
        await appendEvent(tx, orgA, { type: 'test', conversationId: null, payload: { n: 'rolled back' } });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    await write(orgA, 6);
    const got = await first.until(6);
    expect(got.map((e) => e.payload.n).sort()).toEqual([1, 2, 3, 4, 5, 6]);
    const seqs = got.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect((await second.until(6)).map((e) => e.seq)).toEqual(seqs);
    expect(other.got).toEqual([]);
    stopFirst();
    stopSecond();
    stopOther();
  });

  it('resumes after a seq: what was missed, then live events, no gap and no repeat', async () => {
    const seqs = [];
    for (const n of [10, 11, 12]) seqs.push(await write(orgB, n));
    const resumed = collector();
    const stop = await bus.subscribe(
      orgB,
      { after: seqs[0]! },
      { filter: (e) => e.type === 'test', deliver: resumed.deliver },
    );
    await write(orgB, 13);
    const got = await resumed.until(3);
    expect(got.map((e) => e.payload.n)).toEqual([11, 12, 13]);
    stop();
  });

  it('prunes only events older than the retention', async () => {
    await write(orgA, 99);
    const future = new Date(Date.now() + 25 * 3600_000);
    const countA = async () =>
      (
        await withTenant(database, [orgA], (tx) =>
          queryRows<{ n: number }>(tx, sql`select count(*)::int as n from events`),
        )
      )[0]!.n;
    expect(await pruneEvents(database)).toBe(0);
    expect(await countA()).toBeGreaterThan(0);
    expect(await pruneEvents(database, future)).toBeGreaterThan(0);
    expect(await countA()).toBe(0);
  });
});
