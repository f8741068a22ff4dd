import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { dataOf, eventSequence, streamedText } from '../conversations/testing/sse-client.js';
import { createWidgetOrg, listen, type WidgetOrg } from '../conversations/testing/widget-fixture.js';
import { askWidget } from './testing/ask-widget.js';
import { type FakeProvider, startFakeProvider } from './testing/fake-provider.js';

/**
 * An agent's model and ordered fallbacks, each one of the org's own providers: the first that
 * answers answers; after the last, the extractive answerer (with citations, never an error).
 */
describe('agent model and fallbacks', () => {
  let primary: FakeProvider;
  let secondary: FakeProvider;
  let t: TestApp;
  let base: string;
  let org: WidgetOrg;
  let primaryId: string;
  let secondaryId: string;
  let n = 0;
  const api = (method: 'POST' | 'PATCH', url: string, payload: unknown, key = org.apiKey) =>
    t.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${key}` },
      payload: payload as Record<string, unknown>,
    });

  beforeAll(async () => {
    primary = await startFakeProvider('anthropic', { deltas: [], usage: { input: 0, output: 0 } });
    secondary = await startFakeProvider('gemini', { deltas: [], usage: { input: 0, output: 0 } });
    t = await createTestApp({
      kind: 'pglite',
      // The org's providers listen on loopback: allowed as an operator allows a shared Ollama.
      env: { CONFIDANT_ALLOW_PRIVATE_NETWORKS: 'true' },
    });
    org = await createWidgetOrg(t, 'Lumen', { answerMode: 'model' });
    const a = await api('POST', '/v1/model-providers', {
      kind: 'anthropic',
      name: 'Claude',
      baseUrl: primary.baseUrl,
      models: [{ id: 'claude-3-5-haiku-20241022', type: 'chat' }],
      apiKey: 'sk-a',
      // The shortest deadline allowed, one attempt: the timeout case stays quick.
      timeoutMs: 1000,
      maxRetries: 0,
    });
    const b = await api('POST', '/v1/model-providers', {
      kind: 'google',
      name: 'Gemini',
      baseUrl: secondary.baseUrl,
      models: [{ id: 'gemini-test', type: 'chat' }],
      apiKey: 'sk-b',
      maxRetries: 0,
    });
    primaryId = a.json().id;
    secondaryId = b.json().id;
    const patched = await api('PATCH', `/v1/agents/${org.agentId}`, {
      model: {
        providerId: primaryId,
        model: 'claude-3-5-haiku-20241022',
        temperature: 0.2,
        maxOutputTokens: 300,
      },
      fallbacks: [{ providerId: secondaryId, model: 'gemini-test' }],
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({
      model: {
        providerId: primaryId,
        model: 'claude-3-5-haiku-20241022',
        temperature: 0.2,
        maxOutputTokens: 300,
      },
      fallbacks: [{ providerId: secondaryId, model: 'gemini-test' }],
    });
    base = await listen(t);
  });
  afterAll(async () => {
    await t?.close();
    await primary?.close();
    await secondary?.close();
  });

  const ask = () => askWidget(t, base, org, `a-${++n}`);

  // A model id the Anthropic SDK knows: for unknown ones it leaves out sampling parameters.
  it('answers with the agent’s model, with its temperature and output limit', async () => {
    primary.reply = { deltas: ['From Claude [1].'], usage: { input: 9, output: 4 } };
    const answer = await ask();
    expect(streamedText(answer.events)).toBe('From Claude [1].');
    const body = JSON.parse(primary.requests.at(-1)!.raw);
    expect(body).toMatchObject({ model: 'claude-3-5-haiku-20241022', temperature: 0.2, max_tokens: 300 });
    expect(primary.requests.at(-1)!.headers['x-api-key']).toBe('sk-a');
  });

  it('falls back to the next provider when the first answers 500', async () => {
    primary.reply = { deltas: [], usage: { input: 0, output: 0 }, status: 500 };
    secondary.reply = { deltas: ['From Gemini [1].'], usage: { input: 7, output: 3 } };
    const answer = await ask();
    expect(eventSequence(answer.events)).toEqual(['token…', 'citations', 'done']);
    expect(streamedText(answer.events)).toBe('From Gemini [1].');
    expect(answer.mode).toBe('model');
    expect(answer.calls.map((c) => [c.model, c.outcome])).toEqual(
      expect.arrayContaining([
        ['claude-3-5-haiku-20241022', 'error'],
        ['gemini-test', 'ok'],
      ]),
    );
  });

  it('falls back when the first provider times out', async () => {
    primary.reply = { deltas: [], usage: { input: 0, output: 0 }, hang: true };
    const answer = await ask();
    expect(streamedText(answer.events)).toBe('From Gemini [1].');
  });

  it('answers extractively, with citations and no error event, when every provider is down', async () => {
    primary.reply = { deltas: [], usage: { input: 0, output: 0 }, status: 500 };
    secondary.reply = { deltas: [], usage: { input: 0, output: 0 }, status: 503 };
    const answer = await ask();
    expect(eventSequence(answer.events)).toEqual(['token…', 'citations', 'done']);
    expect(dataOf<{ citations: unknown[] }>(answer.events, 'citations')!.citations.length).toBeGreaterThan(0);
    expect(answer.mode).toBe('extractive');
  });

  it('accepts only the org’s own providers', async () => {
    const other = await createWidgetOrg(t, 'Other', { answerMode: 'model' }, []);
    const theirs = await api(
      'POST',
      '/v1/model-providers',
      { kind: 'anthropic', name: 'Theirs', models: [{ id: 'x', type: 'chat' }] },
      other.apiKey,
    );
    for (const providerId of [theirs.json().id, '00000000-0000-4000-8000-000000000000']) {
      const res = await api('PATCH', `/v1/agents/${org.agentId}`, {
        fallbacks: [{ providerId, model: 'x' }],
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().detail).toMatch(/providerId/);
      const created = await api('POST', '/v1/agents', { name: 'Sneaky', model: { providerId, model: 'x' } });
      expect(created.statusCode).toBe(400);
    }
  });

  it('tests a provider’s connection and says what went wrong in words', async () => {
    primary.reply = { deltas: ['OK'], usage: { input: 3, output: 1 } };
    const ok = await api('POST', `/v1/model-providers/${primaryId}/test`, {});
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ ok: true, model: 'claude-3-5-haiku-20241022', error: null });
    expect(ok.json().latencyMs).toBeGreaterThanOrEqual(0);

    primary.reply = { deltas: [], usage: { input: 0, output: 0 }, status: 401 };
    const refused = await api('POST', `/v1/model-providers/${primaryId}/test`, {});
    expect(refused.json()).toMatchObject({
      ok: false,
      error: 'The provider refused the API key (HTTP 401).',
    });

    const embeddingsOnly = await api('POST', '/v1/model-providers', {
      kind: 'openai',
      name: 'Embeddings',
      models: [{ id: 'text-embedding-3-small', type: 'embedding' }],
    });
    const noChat = await api('POST', `/v1/model-providers/${embeddingsOnly.json().id}/test`, {});
    expect(noChat.statusCode).toBe(400);
    expect(noChat.json().detail).toMatch(/chat model/);
  });
});
