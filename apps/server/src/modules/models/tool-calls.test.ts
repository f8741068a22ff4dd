import { tool } from 'ai';
import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { modelCalls } from '../../platform/db/schema/index.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { type FakeOpenAi, startFakeOpenAi } from '../answers/testing/fake-openai.js';
import { createWidgetOrg } from '../conversations/testing/widget-fixture.js';
import { type ModelProvider, streamModelText } from './gateway.js';
import { type FakeProvider, startFakeProvider } from './testing/fake-provider.js';

/**
 * Tool calling through the gateway, against real local servers speaking each protocol: the tool
 * receives the real values behind the placeholders the model used, the model reads the tool's
 * output redacted, the steps' tokens are summed into one metered row per attempt, and a tool that
 * was not offered never runs.
 */
const EMAIL = 'jane.doe@example.com';
const ORDER_OWNER = 'Peter Schmidt';

type Seen = { inputs: unknown[] };
function orderTool(seen: Seen) {
  return tool({
    description: 'Look up an order by its number and the email it was placed with',
    inputSchema: z.object({ orderId: z.string(), email: z.string() }),
    execute: async (input) => {
      seen.inputs.push(input);
      return { status: 'shipped', shippedTo: ORDER_OWNER, contact: input.email };
    },
  });
}

async function collect(stream: AsyncGenerator<string, void>): Promise<string> {
  let text = '';
  for await (const delta of stream) text += delta;
  return text;
}

describe('tool calls through the gateway', () => {
  let t: TestApp;
  let orgId: string;
  let chat: FakeOpenAi;
  let responses: FakeProvider;
  let anthropic: FakeProvider;

  beforeAll(async () => {
    chat = await startFakeOpenAi({ deltas: [] });
    responses = await startFakeProvider('openai-responses', { deltas: [], usage: { input: 0, output: 0 } });
    anthropic = await startFakeProvider('anthropic', { deltas: [], usage: { input: 0, output: 0 } });
    t = await createTestApp({ kind: 'pglite' });
    ({ orgId } = await createWidgetOrg(t, 'Toolshop'));
  });
  afterAll(async () => {
    await t?.close();
    await Promise.all([chat?.close(), responses?.close(), anthropic?.close()]);
  });

  // A ModelProvider row's model name, not an AI SDK model string (provider-registry.test.ts scans for those).
  const providerAt = (kind: ModelProvider['kind'], baseUrl: string, name: string): ModelProvider => ({
    kind,
    baseUrl,
    apiKey: 'sk-test',
    model: name,
  });

  const callWith = (provider: ModelProvider, tools: Parameters<typeof streamModelText>[1]['tools']) =>
    streamModelText(t.database, {
      orgId,
      conversationId: null,
      purpose: 'test',
      provider,
      system: 'You are a shop assistant.',
      messages: [{ role: 'user', content: `Where is order A-1001? My email is ${EMAIL}.` }],
      signal: new AbortController().signal,
      ...(tools ? { tools } : {}),
    });

  const answerRows = async (model: string) =>
    withTenant(t.database, [orgId], (tx) =>
      tx
        .select()
        .from(modelCalls)
        .where(
          and(eq(modelCalls.orgId, orgId), eq(modelCalls.model, model), isNull(modelCalls.conversationId)),
        ),
    );

  it('chat completions: real values to the tool, redacted output to the model, steps summed', async () => {
    const seen: Seen = { inputs: [] };
    chat.queue.push({
      deltas: [],
      toolCalls: [{ name: 'lookupOrder', arguments: { orderId: 'A-1001', email: '[EMAIL_1]' } }],
      usage: { prompt_tokens: 100, completion_tokens: 10 },
    });
    chat.queue.push({
      deltas: ['Order A-1001 has shipped to [PERSON_1]; ', 'updates go to [EMAIL_1].'],
      usage: { prompt_tokens: 150, completion_tokens: 12 },
    });
    const text = await collect(
      callWith(providerAt('openai-compatible', chat.baseUrl, 'chat-tools'), { lookupOrder: orderTool(seen) }),
    );

    expect(seen.inputs).toEqual([{ orderId: 'A-1001', email: EMAIL }]);
    expect(text).toBe(`Order A-1001 has shipped to ${ORDER_OWNER}; updates go to ${EMAIL}.`);
    const [first, second] = chat.requests.slice(-2);
    expect(first!.raw).toContain('lookupOrder');
    expect(first!.raw).not.toContain(EMAIL);
    // The tool's result went back to the model, redacted with the conversation's placeholders.
    expect(second!.raw).toContain('shipped');
    expect(second!.raw).toContain('[PERSON_1]');
    expect(second!.raw).toContain('[EMAIL_1]');
    expect(second!.raw).not.toContain(EMAIL);
    expect(second!.raw).not.toContain(ORDER_OWNER);
    expect(await answerRows('chat-tools')).toMatchObject([
      { purpose: 'test', inputTokens: 250, outputTokens: 22, outcome: 'ok' },
    ]);
  });

  it('openai responses: a function call and its output round-trip the same way', async () => {
    const seen: Seen = { inputs: [] };
    responses.queue.push({
      deltas: [],
      usage: { input: 80, output: 9 },
      toolCalls: [{ name: 'lookupOrder', arguments: { orderId: 'A-1001', email: '[EMAIL_1]' } }],
    });
    responses.queue.push({ deltas: ['It shipped to [PERSON_1].'], usage: { input: 120, output: 7 } });
    const text = await collect(
      callWith(providerAt('openai', responses.baseUrl, 'responses-tools'), { lookupOrder: orderTool(seen) }),
    );
    expect(seen.inputs).toEqual([{ orderId: 'A-1001', email: EMAIL }]);
    expect(text).toBe(`It shipped to ${ORDER_OWNER}.`);
    const second = responses.requests.at(-1)!.raw;
    expect(second).toContain('function_call_output');
    expect(second).toContain('[PERSON_1]');
    expect(second).not.toContain(ORDER_OWNER);
    expect(await answerRows('responses-tools')).toMatchObject([
      { inputTokens: 200, outputTokens: 16, outcome: 'ok' },
    ]);
  });

  it('anthropic: a tool_use block and its result round-trip the same way', async () => {
    const seen: Seen = { inputs: [] };
    anthropic.queue.push({
      deltas: ['Let me check. '],
      usage: { input: 60, output: 8 },
      toolCalls: [{ name: 'lookupOrder', arguments: { orderId: 'A-1001', email: '[EMAIL_1]' } }],
    });
    anthropic.queue.push({ deltas: ['It shipped.'], usage: { input: 90, output: 3 } });
    const text = await collect(
      callWith(providerAt('anthropic', anthropic.baseUrl, 'anthropic-tools'), {
        lookupOrder: orderTool(seen),
      }),
    );
    expect(seen.inputs).toEqual([{ orderId: 'A-1001', email: EMAIL }]);
    expect(text).toBe('Let me check. It shipped.');
    const second = anthropic.requests.at(-1)!.raw;
    expect(second).toContain('tool_result');
    expect(second).not.toContain(ORDER_OWNER);
  });

  it('a tool that was not offered is refused: nothing runs, the model is told, the answer goes on', async () => {
    const seen: Seen = { inputs: [] };
    chat.queue.push({
      deltas: [],
      toolCalls: [{ name: 'deleteAccount', arguments: { email: '[EMAIL_1]' } }],
    });
    chat.queue.push({ deltas: ['I can only look up orders.'] });
    const text = await collect(
      callWith(providerAt('openai-compatible', chat.baseUrl, 'chat-refused'), {
        lookupOrder: orderTool(seen),
      }),
    );
    expect(seen.inputs).toEqual([]);
    expect(text).toBe('I can only look up orders.');
    expect(chat.requests.at(-1)!.raw).toMatch(/deleteAccount/);
  });

  it('never retries an attempt once a tool ran (the tool may have acted)', async () => {
    const seen: Seen = { inputs: [] };
    chat.queue.push({
      deltas: [],
      toolCalls: [{ name: 'lookupOrder', arguments: { orderId: 'A-1001', email: '[EMAIL_1]' } }],
    });
    chat.queue.push({ deltas: [], status: 500 });
    chat.queue.push({ deltas: ['A retry would have answered.'] });
    await expect(
      collect(
        callWith(
          { ...providerAt('openai-compatible', chat.baseUrl, 'chat-no-retry'), maxRetries: 2 },
          { lookupOrder: orderTool(seen) },
        ),
      ),
    ).rejects.toMatchObject({ code: 'unavailable' });
    expect(seen.inputs).toHaveLength(1);
    expect(await answerRows('chat-no-retry')).toMatchObject([{ outcome: 'error' }]);
    chat.queue.length = 0;
  });

  it('without tools a scripted tool call runs nothing and no tools are sent', async () => {
    chat.queue.push({ deltas: ['Hello.'] });
    const text = await collect(
      callWith(providerAt('openai-compatible', chat.baseUrl, 'chat-plain'), undefined),
    );
    expect(text).toBe('Hello.');
    expect(chat.requests.at(-1)!.body.tools).toBeUndefined();
  });
});
