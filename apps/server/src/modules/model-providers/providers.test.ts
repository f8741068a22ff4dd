import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKinds } from '../../platform/db/test-database.js';
import { openSuperuserSql } from '../../testing/superuser-sql.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { loadOrgModelProvider } from './service.js';

/**
 * Several model providers per org (/v1/model-providers): any kind, write-only encrypted keys,
 * URLs checked by the outbound address guard, admin only, audited with ids and flags only; and
 * the older /v1/model-provider as a view onto the default (oldest) one.
 */
describe.each(testDatabaseKinds)('model providers per org on %s', (kind) => {
  let t: TestApp;
  let org: { orgId: string; apiKey: string };
  const call = (
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT',
    url: string,
    payload?: unknown,
    key = org.apiKey,
  ) =>
    t.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${key}` },
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });

  beforeAll(async () => {
    // A public address for every name: the guard's DNS answer is the test's, not the network's.
    t = await createTestApp({ kind, resolveHost: async () => [{ address: '93.184.215.14', family: 4 }] });
    org = await t.createOrg('Providers');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('adds, lists, changes and removes providers of any kind; the key is write-only', async () => {
    const anthropic = await call('POST', '/v1/model-providers', {
      kind: 'anthropic',
      name: 'Claude',
      models: [{ id: 'claude-x', type: 'chat' }],
      apiKey: 'sk-ant-secret-0001',
    });
    expect(anthropic.statusCode).toBe(201);
    expect(anthropic.body).not.toContain('sk-ant-secret-0001');
    expect(anthropic.json()).toMatchObject({
      kind: 'anthropic',
      name: 'Claude',
      baseUrl: null,
      region: null,
      models: [{ id: 'claude-x', type: 'chat' }],
      // The defaults: 30 s to the first token, one retry.
      timeoutMs: 30_000,
      maxRetries: 1,
      hasApiKey: true,
    });
    const id = anthropic.json().id as string;

    const bedrock = await call('POST', '/v1/model-providers', {
      kind: 'amazon-bedrock',
      name: 'Bedrock EU',
      region: 'eu-central-1',
      models: [{ id: 'amazon.titan-embed-text-v2:0', type: 'embedding' }],
    });
    expect(bedrock.statusCode).toBe(201);
    expect(bedrock.json()).toMatchObject({ region: 'eu-central-1', hasApiKey: false });

    const list = await call('GET', '/v1/model-providers');
    expect(list.json().providers.map((p: { name: string }) => p.name)).toEqual(['Claude', 'Bedrock EU']);

    // The default (oldest) provider answers, with its first chat model and decrypted key.
    expect(await loadOrgModelProvider(t.database, t.keyring, org.orgId)).toEqual({
      providerId: id,
      kind: 'anthropic',
      model: 'claude-x',
      timeoutMs: 30_000,
      maxRetries: 1,
      apiKey: 'sk-ant-secret-0001',
    });

    const patched = await call('PATCH', `/v1/model-providers/${id}`, {
      baseUrl: 'https://llm-proxy.example/v1',
      apiKey: null,
      timeoutMs: 5000,
      maxRetries: 0,
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({
      name: 'Claude',
      baseUrl: 'https://llm-proxy.example/v1',
      timeoutMs: 5000,
      maxRetries: 0,
      hasApiKey: false,
    });
    expect((await call('GET', `/v1/model-providers/${id}`)).json()).toEqual(patched.json());

    expect((await call('DELETE', `/v1/model-providers/${id}`)).statusCode).toBe(204);
    expect((await call('GET', `/v1/model-providers/${id}`)).statusCode).toBe(404);
    expect((await call('DELETE', `/v1/model-providers/${id}`)).statusCode).toBe(404);
    // Bedrock has no chat model: nothing to answer with.
    expect(await loadOrgModelProvider(t.database, t.keyring, org.orgId)).toBeNull();
    await call('DELETE', `/v1/model-providers/${bedrock.json().id}`);

    const su = await openSuperuserSql(t.database);
    const entries = await su.query<{ action: string; target_id: string; metadata: unknown }>(
      "select action, target_id, metadata from audit_log where org_id = $1 and action like 'model_provider.%' order by seq",
      [org.orgId],
    );
    await su.close();
    expect(entries.map((e) => [e.action, e.target_id === id, e.metadata])).toEqual([
      ['model_provider.created', true, { hasApiKey: true }],
      ['model_provider.created', false, { hasApiKey: false }],
      ['model_provider.updated', true, { hasApiKey: false }],
      ['model_provider.deleted', true, { hasApiKey: false }],
      ['model_provider.deleted', false, { hasApiKey: false }],
    ]);
  });

  it('refuses what a kind cannot work without, bad input and private addresses with 400', async () => {
    const bad = [
      { kind: 'openai-compatible', name: 'No URL', models: [] },
      { kind: 'azure', name: 'No URL', models: [] },
      { kind: 'amazon-bedrock', name: 'No region', models: [] },
      { kind: 'skynet', name: 'Unknown', models: [] },
      { kind: 'openai', name: ' ', models: [] },
      { kind: 'openai', name: 'Bad model', models: [{ id: 'x', type: 'image' }] },
      { kind: 'openai', name: 'Creds', baseUrl: 'https://user:pw@llm.example/v1', models: [] },
      { kind: 'openai', name: 'Region', region: 'Mars', models: [] },
      { kind: 'openai', name: 'Hasty', timeoutMs: 999, models: [] },
      { kind: 'openai', name: 'Patient', timeoutMs: 120_001, models: [] },
      { kind: 'openai', name: 'Fractional', timeoutMs: 1500.5, models: [] },
      { kind: 'openai', name: 'Stubborn', maxRetries: 4, models: [] },
      { kind: 'openai', name: 'Negative', maxRetries: -1, models: [] },
      { kind: 'openai', name: 'Text', maxRetries: '1', models: [] },
    ];
    for (const payload of bad) {
      const res = await call('POST', '/v1/model-providers', payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    // What a kind needs is reported on its field, so a form can show it there.
    const noRegion = await call('POST', '/v1/model-providers', bad[2]);
    expect(noRegion.json().issues).toEqual([
      { path: 'body.region', message: 'required for kind amazon-bedrock' },
    ]);
    const noUrl = await call('POST', '/v1/model-providers', bad[0]);
    expect(noUrl.json().issues).toEqual([
      { path: 'body.baseUrl', message: 'required for kind openai-compatible' },
    ]);
    const loopback = await call('POST', '/v1/model-providers', {
      kind: 'openai-compatible',
      name: 'Loopback',
      baseUrl: 'http://127.0.0.1:11434/v1',
      models: [],
    });
    expect(loopback.statusCode).toBe(400);
    expect(loopback.json().detail).toMatch(/baseUrl/);

    const ok = await call('POST', '/v1/model-providers', { kind: 'openai', name: 'OpenAI', models: [] });
    const id = ok.json().id as string;
    const toPrivate = await call('PATCH', `/v1/model-providers/${id}`, { baseUrl: 'http://10.0.0.5/v1' });
    expect(toPrivate.statusCode).toBe(400);
    const toCompatibleWithoutUrl = await call('PATCH', `/v1/model-providers/${id}`, {
      kind: 'openai-compatible',
    });
    expect(toCompatibleWithoutUrl.statusCode).toBe(400);
    for (const patch of [{ timeoutMs: 0 }, { maxRetries: 9 }, { timeoutMs: null }]) {
      const res = await call('PATCH', `/v1/model-providers/${id}`, patch);
      expect(res.statusCode, JSON.stringify(patch)).toBe(400);
    }
    expect((await call('GET', `/v1/model-providers/${id}`)).json()).toMatchObject({
      kind: 'openai',
      baseUrl: null,
      timeoutMs: 30_000,
      maxRetries: 1,
    });
    expect((await call('PATCH', '/v1/model-providers/not-a-uuid', { name: 'x' })).statusCode).toBe(400);
    await call('DELETE', `/v1/model-providers/${id}`);
  });

  it('needs the admin role', async () => {
    const issued = await call('POST', '/v1/api-keys', { name: 'viewer', role: 'viewer' });
    const viewer = issued.json().key as string;
    expect((await call('GET', '/v1/model-providers', undefined, viewer)).statusCode).toBe(403);
    const post = await call('POST', '/v1/model-providers', { kind: 'openai', name: 'x', models: [] }, viewer);
    expect(post.statusCode).toBe(403);
  });

  it('keeps /v1/model-provider as a view onto the default provider', async () => {
    const put = await call('PUT', '/v1/model-provider', {
      baseUrl: 'https://llm.example/v1',
      model: 'm1',
      apiKey: 'k1',
    });
    expect(put.statusCode).toBe(200);
    const [only] = (await call('GET', '/v1/model-providers')).json().providers;
    expect(only).toMatchObject({
      kind: 'openai-compatible',
      name: 'Default',
      baseUrl: 'https://llm.example/v1',
      models: [{ id: 'm1', type: 'chat' }],
      hasApiKey: true,
    });
    // A second provider does not change what the older API shows.
    await call('POST', '/v1/model-providers', { kind: 'mistral', name: 'Mistral', models: [] });
    expect((await call('GET', '/v1/model-provider')).json()).toMatchObject({
      baseUrl: 'https://llm.example/v1',
      model: 'm1',
    });
    expect((await call('DELETE', '/v1/model-provider')).statusCode).toBe(204);
    const left = (await call('GET', '/v1/model-providers')).json().providers;
    expect(left.map((p: { name: string }) => p.name)).toEqual(['Mistral']);
  });
});
