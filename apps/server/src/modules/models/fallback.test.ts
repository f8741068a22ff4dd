import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { dataOf, eventSequence, streamedText } from '../conversations/testing/sse-client.js';
import { createWidgetOrg, listen, type WidgetOrg } from '../conversations/testing/widget-fixture.js';
import { FAILURE_THRESHOLD } from './circuit-breaker.js';
import { askWidget } from './testing/ask-widget.js';
import { type FakeProvider, startFakeProvider } from './testing/fake-provider.js';

/**
 * The last resort is the extractive answerer: a provider that errors or sends nothing in time
 * before its first token never reaches the visitor as an error while passages exist; and a
 * provider failing repeatedly is skipped for a cool-down (not even called).
 */
describe('model fallback', () => {
  let fake: FakeProvider;
  let t: TestApp;
  let base: string;
  let org: WidgetOrg;
  let n = 0;

  beforeAll(async () => {
    fake = await startFakeProvider('anthropic', { deltas: [], usage: { input: 0, output: 0 } });
    t = await createTestApp({
      kind: 'pglite',
      env: {
        CONFIDANT_MODEL_KIND: 'anthropic',
        CONFIDANT_MODEL_BASE_URL: fake.baseUrl,
        CONFIDANT_MODEL_NAME: 'fake-model',
        CONFIDANT_MODEL_API_KEY: 'sk-test',
        // Long enough for a first answer on a loaded machine, short for the hanging case.
        CONFIDANT_MODEL_FIRST_TOKEN_TIMEOUT_MS: '1000',
        // One attempt per answer here; retries: provider-attempts.test.ts.
        CONFIDANT_MODEL_MAX_RETRIES: '0',
      },
    });
    org = await createWidgetOrg(t, 'Lumen', { answerMode: 'model' });
    base = await listen(t);
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  const ask = () => askWidget(t, base, org, `f-${++n}`);

  function expectExtractive({ events, stored }: Awaited<ReturnType<typeof ask>>) {
    expect(eventSequence(events)).toEqual(['token…', 'citations', 'done']);
    expect(streamedText(events).length).toBeGreaterThan(0);
    const citations = dataOf<{ citations: { title: string }[] }>(events, 'citations')!.citations;
    expect(citations.map((c) => c.title)).toContain('Your account and password');
    expect(stored.find((m) => m.role === 'assistant')?.answerMode).toBe('extractive');
  }

  it('answers with the model when it works', async () => {
    fake.reply = { deltas: ['Use the reset link [1].'], usage: { input: 5, output: 3 } };
    const answer = await ask();
    expect(streamedText(answer.events)).toBe('Use the reset link [1].');
    expect(answer.stored.find((m) => m.role === 'assistant')?.answerMode).toBe('model');
  });

  it('falls back to the extractive answer with citations when the provider answers 500', async () => {
    fake.reply = { deltas: [], usage: { input: 0, output: 0 }, status: 500 };
    const answer = await ask();
    expectExtractive(answer);
    expect(answer.calls.map((c) => c.outcome)).toEqual(['error']);
  });

  it('falls back when the provider sends nothing before the first-token deadline', async () => {
    fake.reply = { deltas: [], usage: { input: 0, output: 0 }, hang: true };
    const answer = await ask();
    expectExtractive(answer);
    expect(answer.calls).toHaveLength(1);
  });

  it('skips a provider that keeps failing for a cool-down', async () => {
    fake.reply = { deltas: [], usage: { input: 0, output: 0 }, status: 503 };
    // Two failures above, so the circuit opens on this one (FAILURE_THRESHOLD consecutive failures).
    expect(FAILURE_THRESHOLD).toBe(3);
    expectExtractive(await ask());
    const before = fake.requests.length;
    const skipped = await ask();
    expectExtractive(skipped);
    // The open circuit: not called, not metered.
    expect(fake.requests.length).toBe(before);
    expect(skipped.calls).toEqual([]);
  });
});
