import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelCalls } from '../../platform/db/schema/index.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { testDatabaseKinds } from '../../platform/db/test-database.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { createWidgetOrg, listen, type WidgetOrg } from '../conversations/testing/widget-fixture.js';
import { FAILURE_THRESHOLD } from './circuit-breaker.js';
import { askWidget } from './testing/ask-widget.js';
import { type FakeProvider, type FakeProviderReply, startFakeProvider } from './testing/fake-provider.js';

/**
 * A provider's timeout and retries, and what every attempt leaves in model_calls: the org's
 * provider and its kind, one row per attempt with its outcome. Retries happen only before the
 * first token and only for retryable failures; the circuit breaker counts a call that failed
 * after its retries once. Also: the connection test is metered, and usage groups by provider.
 */
describe.each(testDatabaseKinds)('provider attempts on %s', (kind) => {
  let fake: FakeProvider;
  let t: TestApp;
  let base: string;
  let org: WidgetOrg;
  let providerId: string;
  let n = 0;
  const ok: FakeProviderReply = { deltas: ['From Claude [1].'], usage: { input: 9, output: 4 } };
  const failing = (status: number, headers?: Record<string, string>): FakeProviderReply => ({
    deltas: [],
    usage: { input: 0, output: 0 },
    status,
    ...(headers ? { headers } : {}),
  });
  const api = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) =>
    t.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${org.apiKey}` },
      ...(payload ? { payload: payload as Record<string, unknown> } : {}),
    });
  const rowsOf = (conversationId: string | null) =>
    withTenant(t.database, [org.orgId], (tx) =>
      tx
        .select()
        .from(modelCalls)
        .where(
          conversationId === null
            ? eq(modelCalls.orgId, org.orgId)
            : and(eq(modelCalls.orgId, org.orgId), eq(modelCalls.conversationId, conversationId)),
        )
        .orderBy(asc(modelCalls.createdAt)),
    );

  const ask = () => askWidget(t, base, org, `p-${++n}`);

  beforeAll(async () => {
    fake = await startFakeProvider('anthropic', ok);
    t = await createTestApp({ kind, env: { CONFIDANT_ALLOW_PRIVATE_NETWORKS: 'true' } });
    org = await createWidgetOrg(t, 'Lumen', { answerMode: 'model' });
    const created = await api('POST', '/v1/model-providers', {
      kind: 'anthropic',
      name: 'Claude',
      baseUrl: fake.baseUrl,
      models: [{ id: 'claude-3-5-haiku-20241022', type: 'chat' }],
      apiKey: 'sk-a',
      timeoutMs: 1000,
      maxRetries: 1,
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ timeoutMs: 1000, maxRetries: 1 });
    providerId = created.json().id;
    const patched = await api('PATCH', `/v1/agents/${org.agentId}`, {
      model: { providerId, model: 'claude-3-5-haiku-20241022' },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    base = await listen(t);
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  it('retries a 500 once and answers: one answer, two metered attempts with the provider', async () => {
    fake.queue = [failing(500)];
    fake.reply = ok;
    const answer = await ask();
    expect(answer.text).toBe('From Claude [1].');
    expect(answer.mode).toBe('model');
    expect(answer.calls).toMatchObject([
      { outcome: 'error', providerId, providerKind: 'anthropic', inputTokens: 0 },
      { outcome: 'ok', providerId, providerKind: 'anthropic', inputTokens: 9, outputTokens: 4 },
    ]);
  });

  it('does not retry a 400: one attempt, then the extractive answer', async () => {
    fake.reply = failing(400);
    const before = fake.requests.length;
    const answer = await ask();
    expect(fake.requests.length).toBe(before + 1);
    expect(answer.mode).toBe('extractive');
    expect(answer.calls.map((c) => c.outcome)).toEqual(['error']);
  });

  it('honours a short Retry-After, and gives up at once on a long one', async () => {
    fake.queue = [failing(429, { 'retry-after': '0' })];
    fake.reply = ok;
    const short = await ask();
    expect(short.mode).toBe('model');
    expect(short.calls.map((c) => c.outcome)).toEqual(['error', 'ok']);

    fake.reply = failing(429, { 'retry-after': '120' });
    const long = await ask();
    expect(long.mode).toBe('extractive');
    expect(long.calls.map((c) => c.outcome)).toEqual(['error']);
  });

  it('retries an attempt that sent nothing before the provider’s timeout', async () => {
    fake.queue = [{ ...ok, hang: true }];
    fake.reply = ok;
    const answer = await ask();
    expect(answer.text).toBe('From Claude [1].');
    expect(answer.calls.map((c) => c.outcome)).toEqual(['timeout', 'ok']);
  });

  it('opens the circuit after FAILURE_THRESHOLD calls that failed after their retries', async () => {
    fake.reply = failing(503);
    const before = fake.requests.length;
    for (let i = 0; i < FAILURE_THRESHOLD; i++) {
      const answer = await ask();
      expect(answer.mode).toBe('extractive');
      // Each call: the attempt and its one retry, both metered.
      expect(answer.calls.map((c) => c.outcome)).toEqual(['error', 'error']);
    }
    expect(fake.requests.length).toBe(before + 2 * FAILURE_THRESHOLD);
    const skipped = await ask();
    expect(skipped.mode).toBe('extractive');
    expect(skipped.calls).toEqual([]);
    expect(fake.requests.length).toBe(before + 2 * FAILURE_THRESHOLD);
  });

  it('meters the connection test (purpose test) and shows it in usage', async () => {
    fake.reply = { deltas: ['OK'], usage: { input: 12, output: 1 } };
    const before = (await api('GET', '/v1/usage')).json().totals;
    const res = await api('POST', `/v1/model-providers/${providerId}/test`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ ok: true });
    const tests = (await rowsOf(null)).filter((c) => c.purpose === 'test');
    expect(tests).toMatchObject([
      {
        providerId,
        providerKind: 'anthropic',
        model: 'claude-3-5-haiku-20241022',
        inputTokens: 12,
        outputTokens: 1,
        outcome: 'ok',
        conversationId: null,
      },
    ]);
    const after = (await api('GET', '/v1/usage')).json().totals;
    expect(after.tokensIn - before.tokensIn).toBe(12);
    expect(after.tokensOut - before.tokensOut).toBe(1);
    const byAgent = (await api('GET', '/v1/usage?groupBy=agent')).json();
    expect(byAgent.series.find((s: { key: string | null }) => s.key === null)).toMatchObject({
      tokensIn: 12,
      tokensOut: 1,
    });
  });

  it('groups usage by the recorded provider, by kind once the provider is deleted', async () => {
    const calls = await rowsOf(null);
    const tokensIn = calls.reduce((sum, c) => sum + c.inputTokens, 0);
    const byProvider = (await api('GET', '/v1/usage?groupBy=provider')).json();
    expect(byProvider.series).toEqual([
      expect.objectContaining({ key: providerId, label: 'Claude (anthropic)', tokensIn }),
    ]);

    expect((await api('DELETE', `/v1/model-providers/${providerId}`)).statusCode).toBe(204);
    const kept = await rowsOf(null);
    expect(kept).toHaveLength(calls.length);
    expect(kept.every((c) => c.providerId === null && c.providerKind === 'anthropic')).toBe(true);
    const afterDelete = (await api('GET', '/v1/usage?groupBy=provider')).json();
    expect(afterDelete.series).toEqual([
      expect.objectContaining({ key: 'anthropic', label: 'anthropic', tokensIn }),
    ]);
  });
});
