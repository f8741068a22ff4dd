import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKinds } from '../../platform/db/test-database.js';
import type { ResolveHost } from '../../platform/net/outbound-policy.js';
import { openSuperuserSql, type SuperuserSql } from '../../testing/superuser-sql.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { type FakeOpenAi, startFakeOpenAi } from '../answers/testing/fake-openai.js';
import { eventSequence, readEvents, streamedText } from '../conversations/testing/sse-client.js';
import {
  createWidgetOrg,
  listen,
  sendMessage,
  startConversation,
  type WidgetOrg,
} from '../conversations/testing/widget-fixture.js';

/**
 * Tenant model-provider URLs under the outbound address guard (platform/net/): refused when
 * saved if they resolve to a non-public address, and refused again when called if DNS changed
 * since. The provider is a real local HTTP server speaking OpenAI streaming, which would answer
 * if it were reached.
 */
const PUBLIC_ADDRESS = '93.184.215.14';
const FAKE_TEXT = 'LOOPBACK-CANARY answer from the internal server';
const QUESTION = 'How do I reset my password?';

/** A resolver the test steers: host → addresses, changeable between save and call. */
function steeredResolver(table: Record<string, string[]>): ResolveHost {
  return async (host) => {
    const addresses = table[host];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
}

const put = (t: TestApp, org: { apiKey: string }, baseUrl: string) =>
  t.app.inject({
    method: 'PUT',
    url: '/v1/model-provider',
    headers: { authorization: `Bearer ${org.apiKey}` },
    payload: { baseUrl, model: 'fake-model', apiKey: 'sk-test' },
  });
const get = (t: TestApp, org: { apiKey: string }) =>
  t.app.inject({
    method: 'GET',
    url: '/v1/model-provider',
    headers: { authorization: `Bearer ${org.apiKey}` },
  });

async function ask(base: string, org: WidgetOrg, clientMessageId: string) {
  const { conversationId, token } = await startConversation(base, org.agentKey);
  return readEvents(await sendMessage(base, conversationId, token, { text: QUESTION, clientMessageId }));
}

describe.each(testDatabaseKinds)('tenant model provider URLs on %s (private networks refused)', (kind) => {
  let t: TestApp;
  let su: SuperuserSql;
  let fake: FakeOpenAi;
  let org: WidgetOrg;
  let base: string;
  const dns: Record<string, string[]> = {
    'llm.example': [PUBLIC_ADDRESS],
    'intranet.example': ['10.1.2.3'],
    'mixed.example': [PUBLIC_ADDRESS, '127.0.0.1'],
  };

  beforeAll(async () => {
    fake = await startFakeOpenAi({ deltas: [FAKE_TEXT] });
    t = await createTestApp({ kind, resolveHost: steeredResolver(dns) });
    org = await createWidgetOrg(t, 'Lumen', { answerMode: 'model' });
    su = await openSuperuserSql(t.database);
    base = await listen(t);
  });
  afterAll(async () => {
    await su?.close();
    await t?.close();
    await fake?.close();
  });

  const providerAudit = async () =>
    (
      await su.query<{ n: number }>(
        "select count(*)::int as n from audit_log where org_id = $1 and action like 'model_provider.%'",
        [org.orgId],
      )
    )[0]!.n;

  const refusals: [string, string | RegExp][] = [
    [
      'http://127.0.0.1:11434/v1',
      'baseUrl points to a loopback address (127.0.0.1), which tenant URLs may not reach',
    ],
    ['http://10.0.0.5/v1', /^baseUrl points to a private network address \(10\.0\.0\.5\)/],
    ['http://192.168.1.20:8000/v1', /private network address \(192\.168\.1\.20\)/],
    ['http://169.254.169.254/latest/meta-data/', /cloud metadata address \(169\.254\.169\.254\)/],
    ['http://169.254.10.1/', /link-local address \(169\.254\.10\.1\)/],
    ['http://[::1]:8080/v1', /loopback address \(::1\)/],
    ['http://[::ffff:127.0.0.1]/v1', /loopback address \(::ffff:7f00:1\)/],
    ['http://2130706433/v1', /loopback address \(127\.0\.0\.1\)/],
    ['http://[fd00:ec2::254]/', /cloud metadata address/],
    [
      'http://metadata.google.internal/computeMetadata/v1',
      /cloud metadata service \(metadata\.google\.internal\)/,
    ],
    ['https://intranet.example/v1', /^baseUrl resolves to a private network address \(10\.1\.2\.3\)/],
    ['https://mixed.example/v1', /resolves to a loopback address \(127\.0\.0\.1\)/],
    ['https://nowhere.example/v1', /could not be resolved/],
  ];

  it('refuses a URL resolving to a non-public address with a 400 naming the rule, and stores nothing', async () => {
    expect((await get(t, org)).statusCode).toBe(404);
    for (const [baseUrl, detail] of refusals) {
      const res = await put(t, org, baseUrl);
      expect(res.statusCode, baseUrl).toBe(400);
      expect(res.headers['content-type'], baseUrl).toContain('application/problem+json');
      if (typeof detail === 'string') expect(res.json().detail, baseUrl).toBe(detail);
      else expect(res.json().detail, baseUrl).toMatch(detail);
      expect(res.json().issues?.[0]?.path, baseUrl).toBe('body.baseUrl');
    }
    expect((await get(t, org)).statusCode).toBe(404);
    expect(await providerAudit()).toBe(0);
  });

  it('keeps the previous value when a later save is refused', async () => {
    expect((await put(t, org, 'https://llm.example/v1')).statusCode).toBe(200);
    const before = (await get(t, org)).json();
    for (const [baseUrl] of refusals) expect((await put(t, org, baseUrl)).statusCode, baseUrl).toBe(400);
    expect((await get(t, org)).json()).toEqual(before);
    expect(await providerAudit()).toBe(1);
  });

  it('refuses at call time a host whose DNS turned private after saving: no loopback content reaches the visitor', async () => {
    // "localhost" on purpose: an unguarded fetch (the system resolver) would reach the fake
    // provider on loopback, so only the guard at call time keeps its answer out.
    const port = new URL(fake.baseUrl).port;
    dns.localhost = [PUBLIC_ADDRESS];
    expect((await put(t, org, `http://localhost:${port}/v1`)).statusCode).toBe(200);
    // Now the name resolves to the server's own loopback, where the fake provider listens.
    dns.localhost = ['127.0.0.1'];
    const events = await ask(base, org, 'rebind-1');
    // The refused provider is a failed provider: the extractive answerer answers instead.
    expect(eventSequence(events)).not.toContain('error');
    expect(JSON.stringify(events)).not.toContain('LOOPBACK-CANARY');
    expect(fake.requests).toHaveLength(0);
    const [call] = await su.query<{ outcome: string }>(
      "select outcome from model_calls where org_id = $1 and purpose = 'answer'",
      [org.orgId],
    );
    expect(call?.outcome).toBe('error');
  });
});

describe.each(testDatabaseKinds)('model providers on %s with CONFIDANT_ALLOW_PRIVATE_NETWORKS', (kind) => {
  let t: TestApp;
  let fake: FakeOpenAi;
  let org: WidgetOrg;
  let base: string;

  beforeAll(async () => {
    fake = await startFakeOpenAi({ deltas: [FAKE_TEXT] });
    t = await createTestApp({
      kind,
      env: { CONFIDANT_ALLOW_PRIVATE_NETWORKS: 'true' },
      resolveHost: steeredResolver({
        'ollama.internal': ['127.0.0.1'],
        'metadata.evil.example': ['169.254.169.254'],
      }),
    });
    org = await createWidgetOrg(t, 'Lumen', { answerMode: 'model' });
    base = await listen(t);
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  it('accepts private addresses but still refuses cloud metadata addresses', async () => {
    for (const baseUrl of ['http://10.0.0.5/v1', 'http://[fd12:3456::1]/v1', 'http://100.64.0.1/v1']) {
      expect((await put(t, org, baseUrl)).statusCode, baseUrl).toBe(200);
    }
    for (const baseUrl of [
      'http://169.254.169.254/latest/meta-data/',
      'http://[fd00:ec2::254]/',
      'http://[::ffff:169.254.169.254]/',
      'http://100.100.100.200/',
      'http://metadata.google.internal/',
      'http://metadata.evil.example/',
    ]) {
      const res = await put(t, org, baseUrl);
      expect(res.statusCode, baseUrl).toBe(400);
      expect(res.json().detail, baseUrl).toMatch(/cloud metadata/);
    }
  });

  it('answers through a provider on a private address, pinned to the address the name resolved to', async () => {
    const port = new URL(fake.baseUrl).port;
    expect((await put(t, org, `http://ollama.internal:${port}/v1`)).statusCode).toBe(200);
    const events = await ask(base, org, 'private-1');
    expect(eventSequence(events)).toEqual(['token…', 'citations', 'done']);
    expect(streamedText(events)).toBe(FAKE_TEXT);
    expect(fake.requests).toHaveLength(1);
  });
});

describe.each(testDatabaseKinds)('the operator’s model on %s', (kind) => {
  it('keeps working on loopback (CONFIDANT_MODEL_BASE_URL is trusted), private networks refused', async () => {
    const fake = await startFakeOpenAi({ deltas: [FAKE_TEXT] });
    const t = await createTestApp({
      kind,
      env: { CONFIDANT_MODEL_BASE_URL: fake.baseUrl, CONFIDANT_MODEL_NAME: 'env-model' },
    });
    try {
      expect(t.config.network.allowPrivateNetworks).toBe(false);
      const org = await createWidgetOrg(t, 'Lumen', { answerMode: 'model' });
      const events = await ask(await listen(t), org, 'operator-1');
      expect(streamedText(events)).toBe(FAKE_TEXT);
      expect(fake.requests).toHaveLength(1);
    } finally {
      await t.close();
      await fake.close();
    }
  });
});
