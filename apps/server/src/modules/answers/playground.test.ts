import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversations, messages, modelCalls } from '../../platform/db/schema/index.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { createWidgetOrg, type WidgetOrg } from '../conversations/testing/widget-fixture.js';
import type { PlaygroundResult } from './playground.js';
import { type FakeOpenAi, startFakeOpenAi } from './testing/fake-openai.js';
import { helpCenter } from './testing/help-center.js';

/**
 * POST /v1/knowledge/playground on a real app and database: the widget's answer for an agent,
 * with citations and retrieval scores, and nothing stored.
 */
describe('the knowledge playground', () => {
  let t: TestApp;
  let fake: FakeOpenAi;
  let org: WidgetOrg;
  let other: WidgetOrg;
  let modelAgentId: string;
  const articles = helpCenter.slice(0, 3);

  const ask = (apiKey: string, payload: unknown) =>
    t.app.inject({
      method: 'POST',
      url: '/v1/knowledge/playground',
      headers: { authorization: `Bearer ${apiKey}` },
      payload: payload as Record<string, unknown>,
    });
  const rowsOf = (orgId: string) =>
    withTenant(t.database, [orgId], async (tx) => ({
      conversations: (await tx.select().from(conversations).where(eq(conversations.orgId, orgId))).length,
      messages: (await tx.select().from(messages).where(eq(messages.orgId, orgId))).length,
    }));

  beforeAll(async () => {
    fake = await startFakeOpenAi({ deltas: [] });
    t = await createTestApp({ env: { CONFIDANT_ALLOW_PRIVATE_NETWORKS: 'true' } });
    org = await createWidgetOrg(t, 'Lumen', {}, articles);
    other = await createWidgetOrg(t, 'Other', {}, []);
    const headers = { authorization: `Bearer ${org.apiKey}` };
    const modelAgent = await t.app.inject({
      method: 'POST',
      url: '/v1/agents',
      headers,
      payload: { name: 'Model helper', answerMode: 'model', instructions: 'You are Lumi.' },
    });
    expect(modelAgent.statusCode).toBe(201);
    modelAgentId = modelAgent.json().id;
    const saved = await t.app.inject({
      method: 'PUT',
      url: '/v1/model-provider',
      headers,
      payload: { baseUrl: fake.baseUrl, model: 'fake-model', apiKey: 'sk-test-123' },
    });
    expect(saved.statusCode).toBe(200);
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  it('answers as the widget would, with citations and the scored passages, and stores nothing', async () => {
    const res = await ask(org.apiKey, {
      question: 'How long does standard shipping take?',
      agentId: org.agentId,
    });
    expect(res.statusCode).toBe(200);
    const body = res.json() as PlaygroundResult;
    expect(body).toMatchObject({
      agentId: org.agentId,
      answerMode: 'extractive',
      mode: 'extractive',
      handoff: null,
      confident: true,
    });
    expect(body.text).toContain('3 to 5 business days');
    expect(body.citations.map((c) => c.title)).toEqual(['Shipping and delivery']);
    expect(body.passages.length).toBeGreaterThan(0);
    const best = body.passages[0]!;
    expect(best).toMatchObject({ title: 'Shipping and delivery', cited: true, informative: true });
    expect(best.score).toBeGreaterThan(0);
    expect(best.score).toBeLessThanOrEqual(1);
    expect(best.snippet.length).toBeGreaterThan(0);
    expect(body.passages.filter((p) => p.cited)).toHaveLength(1);
    expect(await rowsOf(org.orgId)).toEqual({ conversations: 0, messages: 0 });
  });

  it('declines and offers a person when nothing answers, and works without an agent', async () => {
    const res = await ask(org.apiKey, { question: 'Who is the CEO of the company?' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      agentId: null,
      mode: 'handoff',
      handoff: 'low_confidence',
      citations: [],
      confident: false,
    });
    const requested = await ask(org.apiKey, { question: 'I want to talk to a human', agentId: org.agentId });
    expect(requested.json()).toMatchObject({ mode: 'handoff', handoff: 'requested', passages: [] });
  });

  it('uses the model path with personal data redacted, metered without a conversation', async () => {
    fake.reply = {
      deltas: ['Returns are accepted within 30 days [1].'],
      usage: { prompt_tokens: 50, completion_tokens: 9 },
    };
    const res = await ask(org.apiKey, {
      question: 'I am jane.doe@example.com, how do returns and refunds work?',
      agentId: modelAgentId,
    });
    expect(res.statusCode).toBe(200);
    const body = res.json() as PlaygroundResult;
    expect(body).toMatchObject({
      mode: 'model',
      answerMode: 'model',
      text: 'Returns are accepted within 30 days [1].',
    });
    expect(body.citations.length).toBeGreaterThan(0);
    expect(body.passages.some((p) => p.cited)).toBe(true);
    const sent = fake.requests.at(-1)!;
    expect(sent.raw).not.toContain('jane.doe@example.com');
    expect(JSON.stringify(sent.body)).toContain('You are Lumi.');
    const calls = await withTenant(t.database, [org.orgId], (tx) =>
      tx.select().from(modelCalls).where(eq(modelCalls.orgId, org.orgId)),
    );
    expect(calls.map((c) => [c.purpose, c.conversationId])).toEqual([['answer', null]]);
    expect(await rowsOf(org.orgId)).toEqual({ conversations: 0, messages: 0 });
  });

  it("refuses another organization's agent (404) and malformed input (400)", async () => {
    const foreign = await ask(org.apiKey, {
      question: 'How long does shipping take?',
      agentId: other.agentId,
    });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.headers['content-type']).toContain('application/problem+json');
    for (const payload of [
      {},
      { question: '   ' },
      { question: 'x'.repeat(4001) },
      { question: 'Shipping?', agentId: 'not-a-uuid' },
      { question: 'Shipping?', extra: true },
    ]) {
      const res = await ask(org.apiKey, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
  });

  it('takes words in letters beyond the BMP (typo repair once split them mid-character: 500)', async () => {
    const res = await ask(org.apiKey, { question: '𑢠𗀀 shipping' });
    expect(res.statusCode).toBe(200);
    const search = await t.app.inject({
      method: 'POST',
      url: '/v1/knowledge/search',
      headers: { authorization: `Bearer ${org.apiKey}` },
      payload: { query: '𑢠𗀀' },
    });
    expect(search.statusCode).toBe(200);
  });

  it('is for operators and up: a viewer key gets 403', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/v1/api-keys',
      headers: { authorization: `Bearer ${org.apiKey}` },
      payload: { name: 'Read only', role: 'viewer' },
    });
    expect(created.statusCode).toBe(201);
    const res = await ask(created.json().key, { question: 'How long does shipping take?' });
    expect(res.statusCode).toBe(403);
  });
});
