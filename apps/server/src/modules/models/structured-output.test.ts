import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import type { ModelProvider } from './gateway.js';
import type { ModelDeps } from './resolve-provider.js';
import { generateStructured } from './structured-output.js';
import { type FakeProtocol, type FakeProvider, startFakeProvider } from './testing/fake-provider.js';

/**
 * generateStructured over the other protocols (chat completions: calls/scoring/scoring.test.ts):
 * the object comes back parsed and restored, and the provider was asked for JSON.
 */
const schema = z.object({ summary: z.string(), sentiment: z.enum(['positive', 'negative']) });
const EMAIL = 'maria.lopez@example.com';

describe('structured output across protocols', () => {
  let t: TestApp;
  let orgId: string;
  let deps: ModelDeps;
  const fakes: FakeProvider[] = [];

  beforeAll(async () => {
    t = await createTestApp({ kind: 'pglite' });
    ({ orgId } = await t.createOrg('Structured'));
    deps = {
      config: t.config,
      database: t.database,
      keyring: t.keyring,
      net: { allowPrivateNetworks: true },
    };
  });
  afterAll(async () => {
    await t?.close();
    await Promise.all(fakes.map((f) => f.close()));
  });

  const cases: [ModelProvider['kind'], FakeProtocol][] = [
    ['openai', 'openai-responses'],
    ['google', 'gemini'],
    ['anthropic', 'anthropic'],
  ];

  it.each(cases)('%s', async (kind, protocol) => {
    const json = JSON.stringify({ summary: 'Customer [EMAIL_1] is happy', sentiment: 'positive' });
    // Anthropic answers through the SDK's `json` tool (its structured-output mode for tool-capable models).
    const fake = await startFakeProvider(
      protocol,
      protocol === 'anthropic'
        ? {
            deltas: [],
            toolCalls: [{ name: 'json', arguments: JSON.parse(json) }],
            usage: { input: 50, output: 20 },
          }
        : { deltas: [json.slice(0, 10), json.slice(10)], usage: { input: 50, output: 20 } },
    );
    fakes.push(fake);
    const { object, usage } = await generateStructured({
      deps,
      orgId,
      model: { kind, baseUrl: fake.baseUrl, apiKey: 'k', model: `fake-${kind}` },
      schema,
      system: 'Summarise the call.',
      prompt: `The customer (${EMAIL}) said the product is great.`,
      purpose: 'call_scoring',
      signal: new AbortController().signal,
    });
    expect(object).toEqual({ summary: `Customer ${EMAIL} is happy`, sentiment: 'positive' });
    expect(usage).toMatchObject({ inputTokens: 50, outputTokens: 20 });
    const raw = fake.requests[0]!.raw;
    expect(raw).not.toContain(EMAIL);
    expect(raw).toContain('[EMAIL_1]');
    // Asked for JSON matching the schema (Responses: text.format json_schema; Gemini: a response
    // schema; Anthropic: the forced `json` tool with the schema as its input).
    expect(raw).toMatch(/json_schema|responseSchema|responseJsonSchema|"name":"json"/);
    expect(raw).toContain('sentiment');
  });
});
