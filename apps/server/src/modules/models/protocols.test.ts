import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelCalls } from '../../platform/db/schema/index.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { dataOf, eventSequence, readEvents, streamedText } from '../conversations/testing/sse-client.js';
import {
  createWidgetOrg,
  listen,
  sendMessage,
  startConversation,
  type WidgetOrg,
} from '../conversations/testing/widget-fixture.js';
import { type FakeProtocol, type FakeProvider, startFakeProvider } from './testing/fake-provider.js';

/**
 * A chat answer streamed through each provider kind's real protocol, from a local HTTP server,
 * along the real answer path (widget → engine → gateway → the kind's AI SDK provider): the
 * provider never sees the visitor's email, the visitor sees it restored where the model echoed
 * the placeholder, and the call is metered with the tokens the protocol reported.
 * (OpenAI chat completions, the openai-compatible kind: answers/model-path.test.ts.)
 */
const cases: { kind: string; protocol: FakeProtocol; path: RegExp; keyHeader: string; key: string }[] = [
  {
    kind: 'openai',
    protocol: 'openai-responses',
    path: /^\/v1\/responses$/,
    keyHeader: 'authorization',
    key: 'Bearer sk-test',
  },
  {
    kind: 'anthropic',
    protocol: 'anthropic',
    path: /^\/v1\/messages$/,
    keyHeader: 'x-api-key',
    key: 'sk-test',
  },
  {
    kind: 'google',
    protocol: 'gemini',
    path: /^\/v1beta\/models\/fake-model:streamGenerateContent\?alt=sse$/,
    keyHeader: 'x-goog-api-key',
    key: 'sk-test',
  },
];

describe.each(cases)('a model answer over the $kind protocol', ({ kind, protocol, path, keyHeader, key }) => {
  let fake: FakeProvider;
  let t: TestApp;
  let base: string;
  let org: WidgetOrg;

  beforeAll(async () => {
    fake = await startFakeProvider(protocol, { deltas: [], usage: { input: 0, output: 0 } });
    t = await createTestApp({
      kind: 'pglite',
      env: {
        CONFIDANT_MODEL_KIND: kind,
        CONFIDANT_MODEL_BASE_URL: fake.baseUrl,
        CONFIDANT_MODEL_NAME: 'fake-model',
        CONFIDANT_MODEL_API_KEY: 'sk-test',
      },
    });
    org = await createWidgetOrg(t, 'Lumen', { answerMode: 'model' });
    base = await listen(t);
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  it('redacts before, restores after and meters the call', async () => {
    fake.reply = {
      deltas: ['We', "'ll email a reset link to [EMA", 'IL_1] right away [1]', '.'],
      usage: { input: 211, output: 13 },
    };
    const { conversationId, token } = await startConversation(base, org.agentKey);
    const events = await readEvents(
      await sendMessage(base, conversationId, token, {
        text: 'Hi, I am jane.doe@example.com. How do I reset my password?',
        clientMessageId: `${kind}-1`,
      }),
    );

    expect(eventSequence(events)).toEqual(['token…', 'citations', 'done']);
    expect(streamedText(events)).toBe("We'll email a reset link to jane.doe@example.com right away [1].");
    expect(dataOf<{ citations: unknown[] }>(events, 'citations')!.citations.length).toBeGreaterThan(0);

    const sent = fake.requests.at(-1)!;
    expect(sent.url).toMatch(path);
    expect(sent.headers[keyHeader]).toBe(key);
    expect(sent.raw).toContain('[EMAIL_1]');
    expect(sent.raw).not.toContain('jane.doe@example.com');

    const rows = await withTenant(t.database, [org.orgId], (tx) =>
      tx
        .select()
        .from(modelCalls)
        .where(and(eq(modelCalls.orgId, org.orgId), eq(modelCalls.conversationId, conversationId))),
    );
    expect(rows).toMatchObject([
      {
        purpose: 'answer',
        model: 'fake-model',
        inputTokens: 211,
        outputTokens: 13,
        redactions: 1,
        outcome: 'ok',
      },
    ]);
  });
});
