import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWidgetOrg, SITE } from '../../modules/conversations/testing/widget-fixture.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { withTenant } from '../db/tenancy.js';
import { EventBus } from './bus.js';
import type { DeliveredEvent } from './outbox.js';
import { appendEvent } from './outbox.js';

/**
 * The event bus on its own (a second bus on the test app's database): each subscriber gets what
 * it asked for, in seq order, once, with no gap across a resume; a conversation's subscriber is
 * offered only that conversation's events, while org-wide subscribers see every event.
 */
describe('event bus', () => {
  let t: TestApp;
  let bus: EventBus;
  let orgId: string;
  let x: string;
  let y: string;
  const errors: unknown[] = [];

  const conversation = async (agentKey: string) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/widget/conversations',
      headers: { origin: SITE },
      payload: { agentKey },
    });
    if (res.statusCode !== 201) throw new Error(res.body);
    return res.json().conversationId as string;
  };
  const append = (conversationId: string | null, n: number) =>
    withTenant(t.database, [orgId], (tx) =>
      appendEvent(tx, orgId, { type: 'test', conversationId, payload: { n } }),
    );
  /** Subscribes with a filter that accepts everything, recording what is delivered. */
  const record = async (options: { after: number | null; conversationId?: string }) => {
    const got: DeliveredEvent[] = [];
    const stop = await bus.subscribe(orgId, options, { filter: () => true, deliver: (e) => got.push(e) });
    return { got, stop, ns: () => got.map((e) => e.payload.n) };
  };
  /** Bounds a wait for in-process NOTIFY delivery; the outcome is asserted by the caller. */
  const until = async (done: () => boolean) => {
    for (let i = 0; i < 500 && !done(); i++) await sleep(10);
  };

  beforeAll(async () => {
    t = await createTestApp();
    const org = await createWidgetOrg(t, 'Bus', {}, []);
    orgId = org.orgId;
    x = await conversation(org.agentKey);
    y = await conversation(org.agentKey);
    bus = new EventBus(t.database, (e) => errors.push(e));
    await bus.start();
  });
  afterAll(async () => {
    await bus?.stop();
    await t?.close();
  });

  it('offers each event to its conversation’s subscribers and to the org-wide ones, in order, once', async () => {
    const all = await record({ after: null });
    const onX = await record({ after: null, conversationId: x });
    const onY = await record({ after: null, conversationId: y });
    await append(x, 1);
    await append(y, 2);
    await append(null, 3);
    await append(x, 4);
    await until(() => all.got.length >= 4 && onX.got.length >= 2 && onY.got.length >= 1);
    // The other conversations' streams never see an event, even with a filter that would accept it.
    expect(all.ns()).toEqual([1, 2, 3, 4]);
    expect(onX.ns()).toEqual([1, 4]);
    expect(onY.ns()).toEqual([2]);
    const seqs = all.got.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    for (const s of [all, onX, onY]) s.stop();
    expect(errors).toEqual([]);
  });

  it('resumes a conversation after a seq: the missed events of that conversation, then live ones, no repeat', async () => {
    const first = await append(x, 10);
    await append(y, 11);
    await append(x, 12);
    const watcher = await record({ after: first });
    const resumed = await record({ after: first, conversationId: x });
    await append(x, 13);
    await append(y, 14);
    await until(() => watcher.got.length >= 4 && resumed.got.length >= 2);
    expect(resumed.ns()).toEqual([12, 13]);
    expect(watcher.ns()).toEqual([11, 12, 13, 14]);
    // Unsubscribed: nothing more arrives, and a later subscriber of the same conversation works.
    resumed.stop();
    await append(x, 15);
    await until(() => watcher.got.length >= 5);
    expect(resumed.ns()).toEqual([12, 13]);
    const again = await record({ after: first, conversationId: x });
    await until(() => again.got.length >= 3);
    expect(again.ns()).toEqual([12, 13, 15]);
    watcher.stop();
    again.stop();
    expect(errors).toEqual([]);
  });
});
