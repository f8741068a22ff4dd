import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelCalls } from '../../platform/db/schema/index.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { testDatabaseKinds } from '../../platform/db/test-database.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { type FakeOpenAi, startFakeOpenAi } from '../answers/testing/fake-openai.js';
import { createUserWithMembership } from '../auth/service.js';
import { dataOf, readEvents, streamedText } from '../conversations/testing/sse-client.js';
import {
  createWidgetOrg,
  listen,
  sendMessage,
  startConversation,
  type WidgetOrg,
} from '../conversations/testing/widget-fixture.js';
import { costOf, PRICES_AS_OF, priceOf, priceTable } from './prices.js';

describe('the price table', () => {
  it('prices a call per million tokens, cached input at its own price, snapshots by prefix', () => {
    // gpt-4o-mini: $0.15 in, $0.075 cached in, $0.60 out per million.
    expect(costOf('gpt-4o-mini', { inputTokens: 1_000_000, outputTokens: 1_000_000 })).toBe(0.75);
    expect(costOf('gpt-4o-mini', { inputTokens: 1000, outputTokens: 0, cachedInputTokens: 1000 })).toBe(
      0.000075,
    );
    expect(priceOf('gpt-4o-mini-2024-07-18')?.input).toBe(0.15);
    expect(priceOf('gpt-4o-2024-08-06')?.input).toBe(2.5);
    expect(priceOf('openai/gpt-4o')?.provider).toBe('openai');
    expect(priceOf('claude-sonnet-4-5-20250929')?.provider).toBe('anthropic');
    expect(PRICES_AS_OF).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('answers null, never 0, for a model it does not know', () => {
    expect(costOf('my-local-llama', { inputTokens: 10, outputTokens: 10 })).toBeNull();
  });

  it('lets the operator override and extend it with a JSON file', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'prices-')), 'prices.json');
    writeFileSync(
      file,
      JSON.stringify({
        pricesAsOf: '2030-01-01',
        models: { 'my-local-llama': { provider: 'self-hosted', input: 1, output: 2 } },
      }),
    );
    const table = priceTable(file);
    expect(table.pricesAsOf).toBe('2030-01-01');
    expect(costOf('my-local-llama', { inputTokens: 1_000_000, outputTokens: 500_000 }, table)).toBe(2);
    expect(priceOf('gpt-4o', table)?.provider).toBe('openai');
    const bad = file.replace('prices.json', 'bad.json');
    writeFileSync(bad, JSON.stringify({ models: { x: { input: -1 } } }));
    expect(() => priceTable(bad)).toThrow();
  });
});

/**
 * Metering with cost, the usage report and the monthly quota, end to end: widget → engine →
 * gateway → a local server speaking OpenAI chat completions.
 */
describe.each(testDatabaseKinds)('usage, cost and quotas on %s', (kind) => {
  let fake: FakeOpenAi;
  let t: TestApp;
  let base: string;
  let org: WidgetOrg;
  let n = 0;
  const as = (method: 'GET' | 'PUT' | 'POST', url: string, payload?: object) =>
    t.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${org.apiKey}` },
      ...(payload ? { payload } : {}),
    });
  const ask = async (text: string) => {
    const c = await startConversation(base, org.agentKey);
    const events = await readEvents(
      await sendMessage(base, c.conversationId, c.token, { text, clientMessageId: `m${++n}` }),
    );
    return { conversationId: c.conversationId, events };
  };
  const thresholdMails = async () =>
    (
      (await as('GET', '/v1/notifications/outbox?limit=50')).json().messages as {
        kind: string;
        subject: string;
        to: string;
      }[]
    ).filter((m) => m.kind === 'usage_threshold');

  beforeAll(async () => {
    fake = await startFakeOpenAi({
      deltas: ['You can reset it from the sign-in page [1].'],
      usage: { prompt_tokens: 1000, completion_tokens: 200 },
    });
    t = await createTestApp({ kind, env: { CONFIDANT_ALLOW_PRIVATE_NETWORKS: 'true' } });
    org = await createWidgetOrg(t, 'Lumen', { answerMode: 'model' });
    await createUserWithMembership(t, {
      email: 'owner@lumen.test',
      password: 'correct horse battery staple',
      name: 'Olga',
      orgId: org.orgId,
      role: 'admin',
    });
    const saved = await as('PUT', '/v1/model-provider', {
      baseUrl: fake.baseUrl,
      model: 'gpt-4o-mini',
      apiKey: 'sk-test',
    });
    expect(saved.statusCode, saved.body).toBe(200);
    base = await listen(t);
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  it('stores the cost of every model call, and GET /v1/usage sums the calls made', async () => {
    await ask('How do I reset my password?');
    await ask('How do I reset my password please?');
    const calls = await withTenant(t.database, [org.orgId], (tx) =>
      tx.select().from(modelCalls).where(eq(modelCalls.orgId, org.orgId)),
    );
    const answers = calls.filter((c) => c.purpose === 'answer');
    expect(answers).toHaveLength(2);
    // (1000 × $0.15 + 200 × $0.60) / 1M
    for (const c of answers)
      expect(c).toMatchObject({
        model: 'gpt-4o-mini',
        inputTokens: 1000,
        outputTokens: 200,
        costUsd: 0.00027,
        outcome: 'ok',
      });

    const today = new Date().toISOString().slice(0, 10);
    const byModel = await as('GET', `/v1/usage?from=${today}&to=${today}&groupBy=model`);
    expect(byModel.statusCode, byModel.body).toBe(200);
    const model = byModel.json().series.find((s: { key: string }) => s.key === 'gpt-4o-mini');
    expect(model).toMatchObject({
      tokensIn: 2000,
      tokensOut: 400,
      costUsd: 0.00054,
      unpricedTokens: 0,
      messages: null,
    });
    expect(byModel.json().totals).toMatchObject({
      tokensIn: 2000,
      tokensOut: 400,
      costUsd: 0.00054,
      conversations: 2,
      messages: 4,
      answers: { model: 2, extractive: 0, handoff: 0 },
    });

    const byDay = (await as('GET', '/v1/usage?groupBy=day')).json();
    expect(byDay.series).toHaveLength(30);
    expect(byDay.series.at(-1)).toMatchObject({
      key: today,
      tokensIn: 2000,
      costUsd: 0.00054,
      conversations: 2,
    });

    const byAgent = (await as('GET', '/v1/usage?groupBy=agent')).json();
    expect(byAgent.series.find((s: { key: string }) => s.key === org.agentId)).toMatchObject({
      label: 'Lumen helper',
      tokensIn: 2000,
      costUsd: 0.00054,
      answers: { model: 2, extractive: 0, handoff: 0 },
    });
    // The org's provider (PUT /v1/model-provider made its default one), as recorded with each call.
    const byProvider = (await as('GET', '/v1/usage?groupBy=provider')).json();
    expect(byProvider.series).toEqual([
      expect.objectContaining({ label: 'Default (openai-compatible)', tokensOut: 400 }),
    ]);
    expect(byProvider.series[0].key).toBe(answers[0]!.providerId);
  });

  it('lets viewers read usage and limits, only admins set limits', async () => {
    const created = await as('POST', '/v1/api-keys', { name: 'Dashboard', role: 'viewer' });
    expect(created.statusCode, created.body).toBe(201);
    const viewer = { authorization: `Bearer ${created.json().key}` };
    for (const url of ['/v1/usage', '/v1/usage/limits', '/v1/usage/prices'])
      expect((await t.app.inject({ method: 'GET', url, headers: viewer })).statusCode, url).toBe(200);
    const put = await t.app.inject({
      method: 'PUT',
      url: '/v1/usage/limits',
      headers: viewer,
      payload: { monthlyTokens: 10 },
    });
    expect(put.statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/v1/usage' })).statusCode).toBe(401);
  });

  it('refuses bad ranges and groupings with 400', async () => {
    for (const q of [
      'from=2026-13-01',
      'from=yesterday',
      'from=2026-02-01&to=2026-01-01',
      'from=2024-01-01&to=2026-01-01',
      'groupBy=week',
      'extra=1',
    ]) {
      const res = await as('GET', `/v1/usage?${q}`);
      expect(res.statusCode, q).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    for (const body of [
      { monthlyTokens: -1 },
      { monthlyTokens: 1.5 },
      { monthlyCostUsd: 'ten' },
      { other: 1 },
    ]) {
      expect((await as('PUT', '/v1/usage/limits', body)).statusCode, JSON.stringify(body)).toBe(400);
    }
  });

  it('notifies at 80% and 100% once, then answers extractively; the playground gets 429 quota_exceeded', async () => {
    // 2,400 tokens used so far: a 2,900-token limit is at 83%.
    const set = await as('PUT', '/v1/usage/limits', { monthlyTokens: 2900 });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toMatchObject({
      effective: { monthlyTokens: 2900, monthlyMessages: null },
      month: { used: { tokens: 2400 } },
    });

    // Under 100%: the model still answers; 80% is announced before the call, and 100% right
    // after it (the answer carried the month to 3,600 tokens).
    const before = fake.requests.length;
    await ask('How do I reset my password now?');
    expect(fake.requests.length).toBe(before + 1);
    const subjects = (await thresholdMails()).map((m) => m.subject);
    expect(subjects).toHaveLength(2);
    expect(subjects).toEqual(
      expect.arrayContaining([expect.stringContaining('80%'), expect.stringContaining('limit reached')]),
    );

    // Past 100%: no model call, an extractive answer with citations, 100% announced once.
    const { events } = await ask('How do I reset my password?');
    expect(fake.requests.length).toBe(before + 1);
    expect(streamedText(events).length).toBeGreaterThan(0);
    expect(dataOf<{ citations: unknown[] }>(events, 'citations')!.citations.length).toBeGreaterThan(0);
    await ask('How do I reset my password again?');
    const mails = await thresholdMails();
    expect(mails).toHaveLength(2);
    expect(mails.every((m) => m.to === 'owner@lumen.test')).toBe(true);
    const usage = (await as('GET', '/v1/usage?groupBy=agent')).json();
    expect(usage.totals.answers).toMatchObject({ model: 3, extractive: 2 });

    const playground = await as('POST', '/v1/knowledge/playground', {
      question: 'How do I reset my password?',
      agentId: org.agentId,
    });
    expect(playground.statusCode, playground.body).toBe(429);
    expect(playground.json()).toMatchObject({ code: 'quota_exceeded' });
    expect(fake.requests.length).toBe(before + 1);

    const audit = await as('GET', '/v1/audit?limit=50');
    const actions = (audit.json().entries as { action: string }[]).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['usage.limits_set', 'usage.threshold_reached']));

    // Lifting the limit restores model answers.
    expect((await as('PUT', '/v1/usage/limits', {})).json().effective.monthlyTokens).toBeNull();
    await ask('How do I reset my password today?');
    expect(fake.requests.length).toBe(before + 2);
  });

  it('meters cached input tokens when the provider reports them, at the cached price', async () => {
    fake.reply = {
      deltas: ['You can reset it from the sign-in page [1].'],
      // The OpenAI wire shape: cached tokens are part of prompt_tokens.
      usage: {
        prompt_tokens: 1000,
        completion_tokens: 200,
        prompt_tokens_details: { cached_tokens: 400 },
      } as {
        prompt_tokens: number;
        completion_tokens: number;
      },
    };
    const { conversationId } = await ask('How do I reset my password, cached?');
    const [call] = await withTenant(t.database, [org.orgId], (tx) =>
      tx.select().from(modelCalls).where(eq(modelCalls.conversationId, conversationId)),
    );
    // (600 × $0.15 + 400 × $0.075 + 200 × $0.60) / 1M
    expect(call).toMatchObject({ inputTokens: 1000, cachedInputTokens: 400, costUsd: 0.00024 });
  });

  it('lets a reseller cap a client; the effective limit is the minimum', async () => {
    const reseller = await t.createOrg('Reseller', 'reseller');
    const client = await t.app.inject({
      method: 'POST',
      url: '/v1/orgs',
      headers: { authorization: `Bearer ${reseller.apiKey}` },
      payload: { name: 'Client' },
    });
    expect(client.statusCode, client.body).toBe(201);
    const { orgId: clientId, apiKey: clientKey } = client.json() as { orgId: string; apiKey: string };
    const cap = await t.app.inject({
      method: 'PUT',
      url: `/v1/orgs/${clientId}/usage-limits`,
      headers: { authorization: `Bearer ${reseller.apiKey}` },
      payload: { monthlyMessages: 1000, monthlyCostUsd: 50 },
    });
    expect(cap.statusCode, cap.body).toBe(200);
    expect(cap.json()).toEqual({ monthlyMessages: 1000, monthlyTokens: null, monthlyCostUsd: 50 });
    const own = await t.app.inject({
      method: 'PUT',
      url: '/v1/usage/limits',
      headers: { authorization: `Bearer ${clientKey}` },
      payload: { monthlyMessages: 5000, monthlyTokens: 10_000 },
    });
    expect(own.json()).toMatchObject({
      own: { monthlyMessages: 5000, monthlyTokens: 10_000, monthlyCostUsd: null },
      caps: { monthlyMessages: 1000, monthlyCostUsd: 50 },
      effective: { monthlyMessages: 1000, monthlyTokens: 10_000, monthlyCostUsd: 50 },
    });
    // Not the parent: 404.
    const other = await as('PUT', `/v1/orgs/${clientId}/usage-limits`, { monthlyMessages: 1 });
    expect(other.statusCode).toBe(404);
  });
});
