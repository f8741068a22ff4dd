import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelCalls } from '../../platform/db/schema/index.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { testDatabaseKinds } from '../../platform/db/test-database.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { readEvents } from '../conversations/testing/sse-client.js';
import {
  createWidgetOrg,
  listen,
  sendMessage,
  startConversation,
  type WidgetOrg,
} from '../conversations/testing/widget-fixture.js';

/** Daily activity from real conversations: counts and the operators' first response time. */
describe.each(testDatabaseKinds)('daily activity on %s', (kind) => {
  let t: TestApp;
  let org: WidgetOrg;
  let base: string;
  const admin = (url: string, payload?: object) =>
    t.app.inject({
      method: payload ? 'POST' : 'GET',
      url,
      headers: { authorization: `Bearer ${org.apiKey}` },
      ...(payload ? { payload } : {}),
    });
  const ask = async (text: string) => {
    const c = await startConversation(base, org.agentKey);
    await readEvents(await sendMessage(base, c.conversationId, c.token, { text, clientMessageId: 'm1' }));
    return c.conversationId;
  };

  beforeAll(async () => {
    t = await createTestApp({ kind });
    org = await createWidgetOrg(t, 'Lumen');
    base = await listen(t);
  });
  afterAll(() => t?.close());

  it('counts conversations, handoffs, those resolved without a person, and the first response', async () => {
    await ask('How long does shipping take?');
    const handed = await ask('I want to talk to a human');
    expect(
      (await admin(`/v1/conversations/${handed}/messages`, { text: 'Hello, how can I help?' })).statusCode,
    ).toBe(201);
    const res = await admin('/v1/usage/daily?days=3');
    expect(res.statusCode, res.body).toBe(200);
    const days = res.json().days as Record<string, number | string | null>[];
    expect(days.map((d) => d.day)).toHaveLength(3);
    expect(days[0]).toMatchObject({ conversations: 0, handoffs: 0, medianFirstResponseSeconds: null });
    const today = days.at(-1)!;
    expect(today).toMatchObject({ conversations: 2, handoffs: 1, resolvedWithoutPerson: 1, tokensIn: 0 });
    expect(today.medianFirstResponseSeconds).toBeGreaterThanOrEqual(0);
    expect(today.day).toBe(new Date().toISOString().slice(0, 10));
  });

  it('costs $0 with no model call, "unknown" (null) only when a call used an unpriced model', async () => {
    const quiet = await createWidgetOrg(t, 'Quiet');
    const usage = async () =>
      (
        await t.app.inject({
          method: 'GET',
          url: '/v1/usage?groupBy=day',
          headers: { authorization: `Bearer ${quiet.apiKey}` },
        })
      ).json();
    const call = (model: string, costUsd: number | null) =>
      withTenant(t.database, [quiet.orgId], (tx) =>
        tx.insert(modelCalls).values({
          orgId: quiet.orgId,
          purpose: 'answer',
          model,
          inputTokens: 100,
          outputTokens: 20,
          costUsd,
          outcome: 'ok',
        }),
      );

    const none = await usage();
    expect(none.totals).toMatchObject({ tokensIn: 0, costUsd: 0, unpricedTokens: 0 });
    expect(none.series.every((d: { costUsd: number | null }) => d.costUsd === 0)).toBe(true);

    await call('my-own-llama', null);
    const unpriced = await usage();
    expect(unpriced.totals).toMatchObject({ tokensIn: 100, costUsd: null, unpricedTokens: 120 });
    expect(unpriced.series.at(-1)).toMatchObject({ costUsd: null, unpricedTokens: 120 });
    expect(unpriced.series[0]).toMatchObject({ costUsd: 0 });

    await call('gpt-4o-mini', 0.000027);
    expect((await usage()).totals).toMatchObject({ costUsd: 0.000027, unpricedTokens: 120 });
  });

  it('bounds the window', async () => {
    for (const url of ['/v1/usage/daily?days=0', '/v1/usage/daily?days=9999', '/v1/usage/daily?days=x']) {
      const res = await admin(url);
      expect(res.statusCode, url).toBe(400);
    }
  });
});
