import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKinds } from '../../platform/db/test-database.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { helpCenter } from '../answers/testing/help-center.js';
import { readEvents } from '../conversations/testing/sse-client.js';
import {
  createWidgetOrg,
  listen,
  sendMessage,
  startConversation,
  type WidgetOrg,
} from '../conversations/testing/widget-fixture.js';

/**
 * Agent scoping: PUT /v1/agents/{id}/sources limits what an agent answers from — the admin
 * search with its agentId and the widget's answers — and an empty list means all sources.
 */
describe.each(testDatabaseKinds)('agent sources on %s', (kind) => {
  let t: TestApp;
  let base: string;
  let a: WidgetOrg;
  let b: WidgetOrg;
  let sources: Map<string, string>;
  let otherOrgSource: string;

  beforeAll(async () => {
    t = await createTestApp({ kind });
    base = await listen(t);
    a = await createWidgetOrg(t, 'Org A');
    b = await createWidgetOrg(t, 'Org B', {}, helpCenter.slice(0, 1));
    const list = await api(a.apiKey, 'GET', '/v1/knowledge/sources');
    sources = new Map(list.json().sources.map((s: { id: string; title: string }) => [s.title, s.id]));
    otherOrgSource = (await api(b.apiKey, 'GET', '/v1/knowledge/sources')).json().sources[0].id;
  });
  afterAll(() => t?.close());

  const api = (key: string, method: 'GET' | 'PUT' | 'POST' | 'DELETE', url: string, payload?: unknown) =>
    t.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${key}` },
      ...(payload !== undefined ? { payload: payload as string } : {}),
    });
  const scopeOf = async (key: string, agentId: string) =>
    (await api(key, 'GET', `/v1/agents/${agentId}/sources`)).json();
  const searchTitles = async (query: string, agentId?: string) => {
    const res = await api(a.apiKey, 'POST', '/v1/knowledge/search', {
      query,
      k: 10,
      ...(agentId ? { agentId } : {}),
    });
    expect(res.statusCode, res.body).toBe(200);
    return [...new Set(res.json().results.map((r: { title: string }) => r.title))];
  };
  const ask = async (agentKey: string, text: string) => {
    const { conversationId, token } = await startConversation(base, agentKey);
    const res = await sendMessage(base, conversationId, token, { text, clientMessageId: randomUUID() });
    const events = await readEvents(res);
    const citations = events.find((e) => e.event === 'citations')?.data as { citations: { title: string }[] };
    return citations.citations.map((c) => c.title);
  };

  it('uses all sources until a list is set, then only the listed ones, in search and in widget answers', async () => {
    expect(await scopeOf(a.apiKey, a.agentId)).toEqual({
      agentId: a.agentId,
      sourceIds: [],
      allSources: true,
    });
    expect(await searchTitles('I forgot my password', a.agentId)).toContain('Your account and password');
    expect(await ask(a.agentKey, 'I forgot my password')).toEqual(['Your account and password']);

    const shipping = sources.get('Shipping and delivery')!;
    const warranty = sources.get('Warranty')!;
    const set = await api(a.apiKey, 'PUT', `/v1/agents/${a.agentId}/sources`, {
      sourceIds: [warranty, shipping, shipping],
    });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toEqual({
      agentId: a.agentId,
      sourceIds: [shipping, warranty].sort(),
      allSources: false,
    });
    expect(await scopeOf(a.apiKey, a.agentId)).toEqual(set.json());

    expect(await searchTitles('I forgot my password', a.agentId)).toEqual([]);
    expect(await searchTitles('how long does shipping take', a.agentId)).toEqual(['Shipping and delivery']);
    // Without the agent, the admin search still covers everything.
    expect(await searchTitles('I forgot my password')).toContain('Your account and password');
    // The widget answers from the agent's sources only: the password article is out of reach.
    expect(await ask(a.agentKey, 'I forgot my password')).toEqual([]);
    expect(await ask(a.agentKey, 'How long does shipping take?')).toEqual(['Shipping and delivery']);

    const reset = await api(a.apiKey, 'PUT', `/v1/agents/${a.agentId}/sources`, { sourceIds: [] });
    expect(reset.json()).toEqual({ agentId: a.agentId, sourceIds: [], allSources: true });
    expect(await ask(a.agentKey, 'I forgot my password')).toEqual(['Your account and password']);
  });

  it('refuses sources that are not the org’s, bad ids and non-admins, changing nothing', async () => {
    const warranty = sources.get('Warranty')!;
    await api(a.apiKey, 'PUT', `/v1/agents/${a.agentId}/sources`, { sourceIds: [warranty] });
    const before = await scopeOf(a.apiKey, a.agentId);

    for (const sourceIds of [[warranty, otherOrgSource], [randomUUID()]]) {
      const res = await api(a.apiKey, 'PUT', `/v1/agents/${a.agentId}/sources`, { sourceIds });
      expect(res.statusCode, res.body).toBe(404);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    for (const payload of [
      { sourceIds: ['nope'] },
      { sourceIds: warranty },
      {},
      { sourceIds: [], extra: 1 },
    ]) {
      const res = await api(a.apiKey, 'PUT', `/v1/agents/${a.agentId}/sources`, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
    }
    expect(
      (await api(a.apiKey, 'PUT', `/v1/agents/${randomUUID()}/sources`, { sourceIds: [] })).statusCode,
    ).toBe(404);
    expect((await api(a.apiKey, 'GET', `/v1/agents/${randomUUID()}/sources`)).statusCode).toBe(404);

    const viewerKey = (await api(a.apiKey, 'POST', '/v1/api-keys', { name: 'viewer', role: 'viewer' })).json()
      .key;
    expect(
      (await api(viewerKey, 'PUT', `/v1/agents/${a.agentId}/sources`, { sourceIds: [] })).statusCode,
    ).toBe(403);
    expect((await api(viewerKey, 'GET', `/v1/agents/${a.agentId}/sources`)).statusCode).toBe(200);

    expect(await scopeOf(a.apiKey, a.agentId)).toEqual(before);
  });

  it('drops a deleted source from the agent’s list', async () => {
    const payments = sources.get('Payment methods')!;
    const warranty = sources.get('Warranty')!;
    await api(a.apiKey, 'PUT', `/v1/agents/${a.agentId}/sources`, { sourceIds: [payments, warranty] });
    expect((await api(a.apiKey, 'DELETE', `/v1/knowledge/sources/${payments}`)).statusCode).toBe(204);
    expect((await scopeOf(a.apiKey, a.agentId)).sourceIds).toEqual([warranty]);
  });
});
