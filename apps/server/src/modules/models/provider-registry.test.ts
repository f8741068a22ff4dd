import { readdir, readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { embedMany, streamText } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGuardedFetch } from '../../platform/net/guarded-fetch.js';
import {
  embeddingModelFor,
  languageModelFor,
  PROVIDER_KINDS,
  ProviderConfigurationError,
  type ProviderConnection,
} from './provider-registry.js';

/**
 * Every provider kind is an explicit AI SDK instance that calls the configured base URL, with the
 * configured key, through the fetch it is given (the guarded one for tenants' URLs); and no code
 * passes a plain model string, which `ai` would send through Vercel's hosted gateway.
 */
type Seen = { method: string; url: string; headers: IncomingMessage['headers'] };

let server: Server;
let origin: string;
const seen: Seen[] = [];

beforeAll(async () => {
  // Answers every request with a 500: the test is about where requests go, not what comes back.
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'test server', type: 'server_error' } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

/** One streamed call through a language model; returns the request the test server saw. */
async function callOnce(connection: ProviderConnection, modelId: string): Promise<Seen> {
  const before = seen.length;
  let fetched = 0;
  const guarded = createGuardedFetch(
    { allowPrivateNetworks: true },
    { timeoutMs: 10_000, maxResponseBytes: 1 << 20 },
  );
  const result = streamText({
    model: languageModelFor(
      {
        ...connection,
        fetch: (input, init) => {
          fetched++;
          return guarded(input, init);
        },
      },
      modelId,
    ),
    prompt: 'ping',
    maxRetries: 0,
    onError: () => {},
  });
  const parts: string[] = [];
  for await (const part of result.fullStream) parts.push(part.type);
  expect(parts).toContain('error');
  expect(fetched).toBe(1);
  expect(seen.length).toBe(before + 1);
  return seen.at(-1)!;
}

describe('provider registry', () => {
  const key = 'test-key-123';

  it.each([
    ['openai', '/v1', '/v1/responses', 'authorization', `Bearer ${key}`],
    ['anthropic', '/v1', '/v1/messages', 'x-api-key', key],
    ['google', '/v1beta', '/v1beta/models/m-test:streamGenerateContent?alt=sse', 'x-goog-api-key', key],
    ['xai', '/v1', '/v1/chat/completions', 'authorization', `Bearer ${key}`],
    ['perplexity', '', '/chat/completions', 'authorization', `Bearer ${key}`],
    ['mistral', '/v1', '/v1/chat/completions', 'authorization', `Bearer ${key}`],
    // On *.openai.azure.com the SDK inserts /v1 and ?api-version=v1; elsewhere the URL is taken as is.
    ['azure', '/openai/v1', '/openai/v1/chat/completions', 'api-key', key],
    ['openai-compatible', '/v1', '/v1/chat/completions', 'authorization', `Bearer ${key}`],
  ] as const)(
    '%s calls the configured base URL with the configured key',
    async (kind, prefix, path, header, value) => {
      const request = await callOnce({ kind, baseUrl: `${origin}${prefix}`, apiKey: key }, 'm-test');
      expect(request.method).toBe('POST');
      expect(request.url).toBe(path);
      expect(request.headers[header]).toBe(value);
    },
  );

  it('amazon-bedrock calls the configured endpoint with its API key, never the server’s AWS credentials', async () => {
    const request = await callOnce(
      { kind: 'amazon-bedrock', baseUrl: origin, region: 'eu-central-1', apiKey: key },
      'anthropic.claude-test',
    );
    expect(request.url).toBe('/model/anthropic.claude-test/converse-stream');
    expect(request.headers.authorization).toBe(`Bearer ${key}`);

    // Without a key the SDK would sign with AWS_ACCESS_KEY_ID from the environment: refused.
    const saved = { ...process.env };
    process.env.AWS_ACCESS_KEY_ID = 'AKIAOPERATOR';
    process.env.AWS_SECRET_ACCESS_KEY = 'operator-secret';
    try {
      const before = seen.length;
      const result = streamText({
        model: languageModelFor({ kind: 'amazon-bedrock', baseUrl: origin, region: 'eu-central-1' }, 'm'),
        prompt: 'ping',
        maxRetries: 0,
        onError: () => {},
      });
      const errors: unknown[] = [];
      for await (const part of result.fullStream) if (part.type === 'error') errors.push(part.error);
      expect(errors.length).toBe(1);
      expect(seen.length).toBe(before);
    } finally {
      process.env = saved;
    }
  });

  it('never falls back to the server’s environment keys for a provider without one', async () => {
    const saved = { ...process.env };
    process.env.OPENAI_API_KEY = 'sk-operator-secret';
    process.env.ANTHROPIC_API_KEY = 'sk-ant-operator-secret';
    try {
      const openai = await callOnce({ kind: 'openai', baseUrl: `${origin}/v1` }, 'gpt-test');
      expect(openai.headers.authorization ?? '').not.toContain('operator');
      const anthropic = await callOnce({ kind: 'anthropic', baseUrl: `${origin}/v1` }, 'claude-test');
      expect(anthropic.headers['x-api-key'] ?? '').not.toContain('operator');
    } finally {
      process.env = saved;
    }
  });

  it('embeds through the configured base URL for kinds that have embeddings', async () => {
    for (const [kind, prefix, path] of [
      ['openai', '/v1', '/v1/embeddings'],
      ['mistral', '/v1', '/v1/embeddings'],
      ['openai-compatible', '/v1', '/v1/embeddings'],
      ['google', '/v1beta', '/v1beta/models/embed-test:embedContent'],
    ] as const) {
      const before = seen.length;
      await expect(
        embedMany({
          model: embeddingModelFor({ kind, baseUrl: `${origin}${prefix}`, apiKey: key }, 'embed-test'),
          values: ['hello'],
          maxRetries: 0,
        }),
      ).rejects.toThrow();
      expect(seen.length).toBe(before + 1);
      expect(seen.at(-1)!.url).toBe(path);
    }
    for (const kind of ['anthropic', 'xai', 'perplexity'] as const) {
      expect(() => embeddingModelFor({ kind, apiKey: key }, 'x')).toThrow(ProviderConfigurationError);
    }
  });

  it('returns model objects for every kind, never strings, and refuses kinds missing their endpoint', () => {
    for (const kind of PROVIDER_KINDS) {
      const connection: ProviderConnection = { kind, baseUrl: origin, region: 'us-east-1', apiKey: key };
      // The speech-only kinds have no chat models (modules/models/speech/ calls them).
      if (kind === 'deepgram' || kind === 'elevenlabs') {
        expect(() => languageModelFor(connection, 'm')).toThrow(ProviderConfigurationError);
        continue;
      }
      const model = languageModelFor(connection, 'm');
      expect(typeof model).toBe('object');
      expect(model.modelId).toBe('m');
    }
    expect(() => languageModelFor({ kind: 'openai-compatible' }, 'm')).toThrow(ProviderConfigurationError);
    expect(() => languageModelFor({ kind: 'azure' }, 'm')).toThrow(ProviderConfigurationError);
    expect(() => languageModelFor({ kind: 'amazon-bedrock' }, 'm')).toThrow(ProviderConfigurationError);
  });
});

describe('no plain model strings', () => {
  const serverSrc = join(fileURLToPath(new URL('.', import.meta.url)), '../..');

  async function sourceFiles(dir: string): Promise<string[]> {
    const entries = await readdir(dir, { withFileTypes: true, recursive: true });
    return entries
      .filter((e) => e.isFile() && /\.(ts|tsx|mts)$/.test(e.name))
      .map((e) => join(e.parentPath, e.name));
  }

  it('no server code calls the AI SDK with a model string, its hosted gateway or its global default provider', async () => {
    const offences: string[] = [];
    for (const file of await sourceFiles(serverSrc)) {
      if (file === fileURLToPath(import.meta.url)) continue;
      const text = await readFile(file, 'utf8');
      const name = relative(serverSrc, file);
      if (/from '@ai-sdk\/gateway'/.test(text)) offences.push(`${name}: imports @ai-sdk/gateway`);
      if (/AI_SDK_DEFAULT_PROVIDER/.test(text)) offences.push(`${name}: sets the global default provider`);
      if (!/from 'ai'/.test(text)) continue;
      if (/import\s*\{[^}]*\bgateway\b[^}]*\}\s*from 'ai'/.test(text))
        offences.push(`${name}: imports ai's gateway`);
      // `model: 'provider/model'` (or any string) in a call into the AI SDK.
      for (const match of text.matchAll(/\bmodel:\s*['"`]/g)) {
        const line = text.slice(0, match.index).split('\n').length;
        offences.push(`${name}:${line}: model given as a string`);
      }
    }
    expect(offences).toEqual([]);
  });
});
