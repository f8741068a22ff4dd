import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_ORIGIN, ConsoleClient } from '../../src/modules/auth/test-console-client.js';
import {
  createWidgetOrg,
  SITE,
  type WidgetOrg,
} from '../../src/modules/conversations/testing/widget-fixture.js';
import { createTestApp, type TestApp } from '../../src/testing/test-app.js';

/**
 * Every surface a stranger can reach is rate limited: a burst gets a 429 problem+json with
 * Retry-After and the IETF draft RateLimit headers, on the in-process store and on Redis
 * (TEST_REDIS_URL; skipped when unset). Client addresses are chosen per test with inject's
 * `remoteAddress`, so tests do not spend each other's budgets. No wall-clock assertions.
 */
const redisUrl = process.env.TEST_REDIS_URL;
const stores: ('memory' | 'redis')[] = redisUrl ? ['memory', 'redis'] : ['memory'];

/** Small limits, so a burst is a handful of requests. */
const limits = {
  CONFIDANT_RATE_LIMIT: 'on',
  CONFIDANT_RATE_LIMIT_WIDGET_CONFIG: '3/1m',
  CONFIDANT_RATE_LIMIT_WIDGET_CONVERSATIONS: '2/1m',
  CONFIDANT_RATE_LIMIT_WIDGET_MESSAGES_PER_CONVERSATION: '2/1m',
  CONFIDANT_RATE_LIMIT_WIDGET_MESSAGES_PER_IP: '4/1m',
  CONFIDANT_RATE_LIMIT_ADMIN: '5/1m',
  CONFIDANT_RATE_LIMIT_AUTH_FAILURES_PER_IP: '4/15m',
  CONFIDANT_RATE_LIMIT_SIGN_IN_PER_IP: '6/10m',
  CONFIDANT_RATE_LIMIT_SIGN_IN_FAILURES_PER_ACCOUNT: '3/15m',
  CONFIDANT_RATE_LIMIT_SIGN_IN_FAILURES_PER_ACCOUNT_IP: '2/15m',
  PUBLIC_URL: CONSOLE_ORIGIN,
};

const PASSWORD = 'correct horse battery staple';

function expectRateLimited(res: LightMyRequestResponse) {
  expect(res.statusCode).toBe(429);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.json()).toMatchObject({ status: 429, code: 'rate_limited', title: 'Too many requests' });
  expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  expect(Number(res.headers['ratelimit-limit'])).toBeGreaterThan(0);
  expect(res.headers['ratelimit-remaining']).toBe('0');
  expect(Number(res.headers['ratelimit-reset'])).toBeGreaterThan(0);
}

/** A fresh client address per call: tests never share a budget by accident. */
let addressCounter = 0;
const freshAddress = () => {
  addressCounter += 1;
  return `10.${Math.floor(addressCounter / 250)}.${addressCounter % 250}.7`;
};

describe.each(stores)('rate limits on the %s store', (store) => {
  let t: TestApp;
  let org: WidgetOrg;
  const keyPrefix = `confidant-test-${randomUUID()}:`;

  beforeAll(async () => {
    t = await createTestApp({
      env: {
        ...limits,
        CONFIDANT_ALLOW_SIGNUP: 'true',
        ...(store === 'redis' ? { REDIS_URL: redisUrl!, CONFIDANT_REDIS_KEY_PREFIX: keyPrefix } : {}),
      },
    });
    org = await createWidgetOrg(t, 'Limited', {}, []);
  });

  afterAll(async () => {
    await t?.close();
    if (store !== 'redis') return;
    const redis = new Redis(redisUrl!);
    const keys = await redis.keys(`${keyPrefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  const widgetConfig = (remoteAddress: string) =>
    t.app.inject({
      method: 'GET',
      url: `/v1/widget/config?agentKey=${org.agentKey}`,
      headers: { origin: SITE },
      remoteAddress,
    });
  const startConversation = (remoteAddress: string) =>
    t.app.inject({
      method: 'POST',
      url: '/v1/widget/conversations',
      headers: { origin: SITE },
      payload: { agentKey: org.agentKey },
      remoteAddress,
    });
  const sendMessage = (remoteAddress: string, conversationId: string, token: string) =>
    t.app.inject({
      method: 'POST',
      url: `/v1/widget/conversations/${conversationId}/messages`,
      headers: { origin: SITE, authorization: `Bearer ${token}` },
      payload: { text: 'Where is my order?', clientMessageId: randomUUID() },
      remoteAddress,
    });

  it('limits widget config reads per address', async () => {
    const ip = freshAddress();
    for (let i = 0; i < 3; i++) {
      const res = await widgetConfig(ip);
      expect(res.statusCode).toBe(200);
      expect(res.headers['ratelimit-limit']).toBe('3');
      expect(res.headers['ratelimit-remaining']).toBe(String(2 - i));
    }
    expectRateLimited(await widgetConfig(ip));
    expect((await widgetConfig(freshAddress())).statusCode).toBe(200);
  });

  it('limits conversation starts per publishable key and address', async () => {
    const ip = freshAddress();
    expect((await startConversation(ip)).statusCode).toBe(201);
    expect((await startConversation(ip)).statusCode).toBe(201);
    expectRateLimited(await startConversation(ip));
    expect((await startConversation(freshAddress())).statusCode).toBe(201);
  });

  it('limits messages per conversation, whatever the address', async () => {
    const { conversationId, token } = (await startConversation(freshAddress())).json();
    expect((await sendMessage(freshAddress(), conversationId, token)).statusCode).toBe(200);
    expect((await sendMessage(freshAddress(), conversationId, token)).statusCode).toBe(200);
    const limited = await sendMessage(freshAddress(), conversationId, token);
    expectRateLimited(limited);
    // Counted after the origin check, so the widget on the allowed site can read the 429.
    expect(limited.headers['access-control-allow-origin']).toBe(SITE);
  });

  it('limits messages per address, counted before the visitor token is checked', async () => {
    const ip = freshAddress();
    for (let i = 0; i < 4; i++) {
      expect((await sendMessage(ip, randomUUID(), 'not-a-token')).statusCode).toBe(401);
    }
    expectRateLimited(await sendMessage(ip, randomUUID(), 'not-a-token'));
  });

  it('limits admin requests per API key, not per address', async () => {
    const { apiKey } = await t.createOrg('Busy');
    const list = (key: string) =>
      t.app.inject({
        method: 'GET',
        url: '/v1/agents',
        headers: { authorization: `Bearer ${key}` },
        remoteAddress: freshAddress(),
      });
    for (let i = 0; i < 5; i++) expect((await list(apiKey)).statusCode).toBe(200);
    expectRateLimited(await list(apiKey));
    // Another caller keeps its own budget.
    expect((await list(org.apiKey)).statusCode).toBe(200);
  });

  it('slows then refuses a burst of bad API keys from one address', async () => {
    const ip = freshAddress();
    const withKey = (key: string, remoteAddress = ip) =>
      t.app.inject({
        method: 'GET',
        url: '/v1/agents',
        headers: { authorization: `Bearer ${key}` },
        remoteAddress,
      });
    for (let i = 0; i < 4; i++) expect((await withKey(`ck_${randomUUID()}`)).statusCode).toBe(401);
    const refused = await withKey(`ck_${randomUUID()}`);
    expectRateLimited(refused);
    // Refused before the key is looked at: a good key from that address waits too.
    expectRateLimited(await withKey(org.apiKey));
    // Other addresses are unaffected.
    expect((await withKey(`ck_${randomUUID()}`, freshAddress())).statusCode).toBe(401);
    expect((await withKey(org.apiKey, freshAddress())).statusCode).toBe(200);
  });

  describe('console sign-in', () => {
    const signIn = (client: ConsoleClient, email: string, password: string, remoteAddress: string) =>
      client.request({
        method: 'POST',
        url: '/api/auth/sign-in/email',
        payload: { email, password },
        remoteAddress,
      });
    const signUp = async (email: string) => {
      const res = await new ConsoleClient(t.app).request({
        method: 'POST',
        url: '/api/auth/sign-up/email',
        payload: { email, password: PASSWORD, name: 'Someone' },
        remoteAddress: freshAddress(),
      });
      expect(res.statusCode).toBe(200);
    };

    it('limits attempts per address', async () => {
      const ip = freshAddress();
      const client = new ConsoleClient(t.app);
      for (let i = 0; i < 6; i++) {
        expect((await signIn(client, `nobody-${i}@example.com`, 'wrong password', ip)).statusCode).toBe(401);
      }
      expectRateLimited(await signIn(client, 'nobody-else@example.com', 'wrong password', ip));
    });

    it('limits password reset requests and resets per address, like sign-in', async () => {
      const ip = freshAddress();
      const client = new ConsoleClient(t.app);
      const ask = () =>
        client.request({
          method: 'POST',
          url: '/api/auth/request-password-reset',
          payload: { email: `someone-${randomUUID()}@example.com` },
          remoteAddress: ip,
        });
      for (let i = 0; i < 5; i++) expect((await ask()).statusCode).toBe(200);
      const reset = await client.request({
        method: 'POST',
        url: '/api/auth/reset-password',
        payload: { token: 'not-a-token', newPassword: PASSWORD },
        remoteAddress: ip,
      });
      expect(reset.statusCode).toBe(400);
      // The address's 6 credential attempts are spent: both reset endpoints are refused now.
      expectRateLimited(await ask());
    });

    it('counts failures per account without locking the owner out', async () => {
      const victim = `victim-${randomUUID()}@example.com`;
      const bystander = `bystander-${randomUUID()}@example.com`;
      await signUp(victim);
      await signUp(bystander);
      const attacker = new ConsoleClient(t.app);
      const attackerIp = freshAddress();

      // The attacker's address spends its failures for this account (spelt differently: the
      // email is normalised before it is counted).
      expect((await signIn(attacker, victim, 'guess one', attackerIp)).statusCode).toBe(401);
      expect((await signIn(attacker, victim.toUpperCase(), 'guess two', attackerIp)).statusCode).toBe(401);
      expectRateLimited(await signIn(attacker, victim, PASSWORD, attackerIp));

      // Another person, from another address, signs in as usual; so does the victim.
      expect((await signIn(new ConsoleClient(t.app), bystander, PASSWORD, freshAddress())).statusCode).toBe(
        200,
      );
      expect((await signIn(new ConsoleClient(t.app), victim, PASSWORD, freshAddress())).statusCode).toBe(200);

      // A second attacking address spends the account's failures from everywhere (3)…
      const secondIp = freshAddress();
      expect((await signIn(attacker, victim, 'guess three', secondIp)).statusCode).toBe(401);
      // …and is refused from then on, while an address that made no mistake still gets in.
      expectRateLimited(await signIn(attacker, victim, 'guess four', secondIp));
      expect((await signIn(new ConsoleClient(t.app), victim, PASSWORD, freshAddress())).statusCode).toBe(200);
    });
  });
});

describe('rate limits and proxies', () => {
  let trusting: TestApp;
  let untrusting: TestApp;
  beforeAll(async () => {
    trusting = await createTestApp({ env: { ...limits, CONFIDANT_TRUST_PROXY: 'true' } });
    untrusting = await createTestApp({ env: { ...limits } });
  });
  afterAll(async () => {
    await trusting?.close();
    await untrusting?.close();
  });

  const badKeyVia = (t: TestApp, forwardedFor: string) =>
    t.app.inject({
      method: 'GET',
      url: '/v1/agents',
      headers: { authorization: `Bearer ck_${randomUUID()}`, 'x-forwarded-for': forwardedFor },
      remoteAddress: '192.0.2.10',
    });

  it('ignores X-Forwarded-For unless CONFIDANT_TRUST_PROXY is set', async () => {
    for (let i = 0; i < 4; i++) expect((await badKeyVia(untrusting, `198.51.100.${i}`)).statusCode).toBe(401);
    expectRateLimited(await badKeyVia(untrusting, '198.51.100.99'));
  });

  it('counts the forwarded client address behind a trusted proxy', async () => {
    for (let i = 0; i < 4; i++) expect((await badKeyVia(trusting, '198.51.100.1')).statusCode).toBe(401);
    expectRateLimited(await badKeyVia(trusting, '198.51.100.1'));
    // Another client behind the same proxy is counted on its own.
    expect((await badKeyVia(trusting, '198.51.100.2')).statusCode).toBe(401);
  });

  it('a burst of failed sign-ins from one address does not stop another address', async () => {
    const signIn = (forwardedFor: string, email: string) =>
      trusting.app.inject({
        method: 'POST',
        url: '/api/auth/sign-in/email',
        headers: { origin: CONSOLE_ORIGIN, 'x-forwarded-for': forwardedFor },
        payload: { email, password: 'wrong password' },
        remoteAddress: '192.0.2.10',
      });
    for (let i = 0; i < 6; i++)
      expect((await signIn('203.0.113.1', `x${i}@example.com`)).statusCode).toBe(401);
    expectRateLimited(await signIn('203.0.113.1', 'y@example.com'));
    expect((await signIn('203.0.113.2', 'y@example.com')).statusCode).toBe(401);
  });
});

describe('CONFIDANT_RATE_LIMIT=off', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { ...limits, CONFIDANT_RATE_LIMIT: 'off' } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('lets every burst through, without rate-limit headers', async () => {
    for (let i = 0; i < 10; i++) {
      const res = await t.app.inject({
        method: 'GET',
        url: '/v1/agents',
        headers: { authorization: `Bearer ck_${randomUUID()}` },
      });
      expect(res.statusCode).toBe(401);
      expect(res.headers['ratelimit-limit']).toBeUndefined();
    }
    for (let i = 0; i < 10; i++) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/auth/sign-in/email',
        headers: { origin: CONSOLE_ORIGIN },
        payload: { email: 'someone@example.com', password: 'wrong password' },
      });
      expect(res.statusCode).toBe(401);
    }
  });
});
