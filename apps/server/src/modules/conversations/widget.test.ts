import { and, asc, eq } from 'drizzle-orm';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversations, messages } from '../../platform/db/schema/index.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { testDatabaseKinds } from '../../platform/db/test-database.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { replies } from '../answers/engine.js';
import { dataOf, eventSequence, readEvents, streamedText } from './testing/sse-client.js';
import {
  createWidgetOrg,
  listen,
  SITE,
  sendMessage,
  startConversation,
  type WidgetOrg,
} from './testing/widget-fixture.js';
import { signVisitorToken } from './visitor-token.js';

type Citation = { sourceId: string; chunkId: string; title: string; url?: string };
type Done = { userMessageId: string; assistantMessageId: string };

describe.each(testDatabaseKinds)('widget API on %s', (kind) => {
  let t: TestApp;
  let base: string;
  let a: WidgetOrg;
  let b: WidgetOrg;
  /** Every widget response seen, to check that none sets a cookie. */
  const seen: Response[] = [];
  let counter = 0;
  const nextId = () => `msg-${++counter}`;

  const track = async (res: Promise<Response>) => {
    const r = await res;
    seen.push(r);
    return r;
  };
  const rows = (org: WidgetOrg, conversationId: string) =>
    withTenant(t.database, [org.orgId], (tx) =>
      tx
        .select()
        .from(messages)
        .where(and(eq(messages.orgId, org.orgId), eq(messages.conversationId, conversationId)))
        .orderBy(asc(messages.createdAt)),
    );
  const conversationRow = async (org: WidgetOrg, conversationId: string) =>
    (
      await withTenant(t.database, [org.orgId], (tx) =>
        tx
          .select()
          .from(conversations)
          .where(and(eq(conversations.orgId, org.orgId), eq(conversations.id, conversationId))),
      )
    )[0];
  const conversationCount = async (org: WidgetOrg) =>
    (await withTenant(t.database, [org.orgId], (tx) => tx.select().from(conversations))).length;

  beforeAll(async () => {
    t = await createTestApp({ kind });
    a = await createWidgetOrg(t, 'Lumen');
    b = await createWidgetOrg(t, 'Other', {}, []);
    base = await listen(t);
  });
  afterAll(() => t?.close());

  it('serves the widget config to an allowed origin', async () => {
    const res = await track(
      fetch(`${base}/v1/widget/config?agentKey=${a.agentKey}`, { headers: { origin: SITE } }),
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      name: 'Lumen helper',
      greeting: 'Hi! How can I help?',
      starters: ['Where is my order?'],
      persistence: 'tab',
    });
    expect(res.headers.get('access-control-allow-origin')).toBe(SITE);
    expect(res.headers.get('vary')).toMatch(/Origin/);
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();

    const evil = await track(
      fetch(`${base}/v1/widget/config?agentKey=${a.agentKey}`, {
        headers: { origin: 'https://evil.example' },
      }),
    );
    expect(evil.status).toBe(403);
    expect(evil.headers.get('content-type')).toContain('application/problem+json');
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();

    const unknown = await track(
      fetch(`${base}/v1/widget/config?agentKey=pk_${'x'.repeat(24)}`, { headers: { origin: SITE } }),
    );
    expect(unknown.status).toBe(404);
  });

  it('streams an answer with citations and stores both messages', async () => {
    const { conversationId, token } = await startConversation(base, a.agentKey);
    const res = await track(
      sendMessage(base, conversationId, token, {
        text: 'How long does shipping take?',
        clientMessageId: nextId(),
      }),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    expect(res.headers.get('access-control-allow-origin')).toBe(SITE);
    const events = await readEvents(res);

    expect(eventSequence(events)).toEqual(['token…', 'citations', 'done']);
    expect(events.filter((e) => e.event === 'token').length).toBeGreaterThan(3);
    const text = streamedText(events);
    expect(text).toContain('Standard shipping takes 3 to 5 business days');
    const { citations } = dataOf<{ citations: Citation[] }>(events, 'citations')!;
    expect(citations.map((c) => c.title)).toEqual(['Shipping and delivery']);
    expect(citations[0]!.chunkId).toMatch(/^[0-9a-f-]{36}$/);

    const done = dataOf<Done>(events, 'done')!;
    const stored = await rows(a, conversationId);
    expect(stored.map((m) => [m.id, m.role])).toEqual([
      [done.userMessageId, 'visitor'],
      [done.assistantMessageId, 'assistant'],
    ]);
    expect(stored[0]!.content).toBe('How long does shipping take?');
    expect(stored[1]!.content).toBe(text);
    expect(stored[1]!.replyToId).toBe(done.userMessageId);
    expect(stored[1]!.citations).toEqual(citations);
    expect(stored[1]!.answerMode).toBe('extractive');
    expect((await conversationRow(a, conversationId))!.status).toBe('ai');
  });

  it('says so honestly and hands off when the knowledge has no answer', async () => {
    const { conversationId, token } = await startConversation(base, a.agentKey);
    const events = await readEvents(
      await track(
        sendMessage(base, conversationId, token, {
          text: 'Do you sell gift cards?',
          clientMessageId: nextId(),
        }),
      ),
    );
    expect(eventSequence(events)).toEqual(['token…', 'citations', 'handoff', 'done']);
    // Nobody from the team is present in this test: the reply says so instead of promising a person.
    expect(streamedText(events)).toBe(replies.notFoundHandoffOffline);
    expect(dataOf(events, 'citations')).toEqual({ citations: [] });
    expect(dataOf(events, 'handoff')).toEqual({ reason: 'low_confidence', operatorsAvailable: false });
    const conversation = (await conversationRow(a, conversationId))!;
    expect(conversation.status).toBe('waiting');
    expect(conversation.handoffReason).toBe('low_confidence');
    expect(conversation.handoffRequestedAt).toBeInstanceOf(Date);
  });

  it('hands off when the visitor asks for a person', async () => {
    const { conversationId, token } = await startConversation(base, a.agentKey);
    const events = await readEvents(
      await track(
        sendMessage(base, conversationId, token, {
          text: 'Can I talk to a human please?',
          clientMessageId: nextId(),
        }),
      ),
    );
    expect(eventSequence(events)).toEqual(['token…', 'citations', 'handoff', 'done']);
    expect(dataOf(events, 'handoff')).toEqual({ reason: 'requested', operatorsAvailable: false });
    expect((await conversationRow(a, conversationId))!.status).toBe('waiting');
  });

  it('does not hand off when the agent has handoff disabled', async () => {
    const c = await createWidgetOrg(t, 'No handoff', { handoffEnabled: false }, []);
    const { conversationId, token } = await startConversation(base, c.agentKey);
    const events = await readEvents(
      await sendMessage(base, conversationId, token, {
        text: 'Do you sell gift cards?',
        clientMessageId: nextId(),
      }),
    );
    expect(eventSequence(events)).toEqual(['token…', 'citations', 'done']);
    expect(streamedText(events)).toBe(replies.notFound);
    expect((await conversationRow(c, conversationId))!.status).toBe('ai');
  });

  it('treats a repeated clientMessageId as a no-op and replays the stored answer', async () => {
    const { conversationId, token } = await startConversation(base, a.agentKey);
    const body = { text: 'How do I reset my password?', clientMessageId: nextId() };
    const first = await readEvents(await track(sendMessage(base, conversationId, token, body)));
    const before = await rows(a, conversationId);
    expect(before).toHaveLength(2);

    const again = await readEvents(await track(sendMessage(base, conversationId, token, body)));
    expect(again.map((e) => e.event)).toEqual(['token', 'citations', 'done']);
    expect(streamedText(again)).toBe(streamedText(first));
    expect(dataOf(again, 'citations')).toEqual(dataOf(first, 'citations'));
    expect(dataOf(again, 'done')).toEqual(dataOf(first, 'done'));
    expect(await rows(a, conversationId)).toEqual(before);

    // Same id with different text is still the same message: nothing new is stored.
    await readEvents(await sendMessage(base, conversationId, token, { ...body, text: 'Something else' }));
    expect(await rows(a, conversationId)).toEqual(before);
  });

  it('stores one message and one answer when the same message arrives twice at once', async () => {
    const { conversationId, token } = await startConversation(base, a.agentKey);
    const body = { text: 'Can I pay in instalments?', clientMessageId: nextId() };
    const [one, two] = await Promise.all([
      sendMessage(base, conversationId, token, body).then(readEvents),
      sendMessage(base, conversationId, token, body).then(readEvents),
    ]);
    expect(dataOf(one, 'done')).toEqual(dataOf(two, 'done'));
    expect((await rows(a, conversationId)).map((m) => m.role)).toEqual(['visitor', 'assistant']);
  });

  it('answers follow-up messages in the same conversation', async () => {
    const { conversationId, token } = await startConversation(base, a.agentKey);
    for (const text of ['Do you accept PayPal?', 'Can I pay in instalments?']) {
      const events = await readEvents(
        await sendMessage(base, conversationId, token, { text, clientMessageId: nextId() }),
      );
      expect(eventSequence(events)).toEqual(['token…', 'citations', 'done']);
    }
    expect((await rows(a, conversationId)).map((m) => m.role)).toEqual([
      'visitor',
      'assistant',
      'visitor',
      'assistant',
    ]);
  });

  it('refuses a conversation from a site the agent does not allow, storing nothing', async () => {
    const count = await conversationCount(a);
    const res = await track(
      fetch(`${base}/v1/widget/conversations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
        body: JSON.stringify({ agentKey: a.agentKey }),
      }),
    );
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const noOrigin = await track(
      fetch(`${base}/v1/widget/conversations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ agentKey: a.agentKey }),
      }),
    );
    expect(noOrigin.status).toBe(403);
    expect(await conversationCount(a)).toBe(count);
  });

  it('allows this server’s own pages and, with "*", any site or none', async () => {
    await expect(startConversation(base, a.agentKey, base)).resolves.toHaveProperty('token');
    const open = await createWidgetOrg(t, 'Open', { allowedOrigins: ['*'] }, []);
    await expect(startConversation(base, open.agentKey, 'https://anywhere.example')).resolves.toHaveProperty(
      'token',
    );
    await expect(startConversation(base, open.agentKey, null)).resolves.toHaveProperty('token');
  });

  it('does not take the Host header as proof of "own page"', async () => {
    // A page on evil.example whose DNS points at this server sends Host: evil.example and
    // Origin: http://evil.example; only PUBLIC_URL or the listening address count as own.
    const count = await conversationCount(a);
    const spoofed = await t.app.inject({
      method: 'POST',
      url: '/v1/widget/conversations',
      headers: { host: 'evil.example', origin: 'http://evil.example' },
      payload: { agentKey: a.agentKey },
    });
    expect(spoofed.statusCode).toBe(403);
    expect(spoofed.headers['content-type']).toContain('application/problem+json');
    const refererOnly = await t.app.inject({
      method: 'POST',
      url: '/v1/widget/conversations',
      headers: { host: 'evil.example', referer: 'http://evil.example/page' },
      payload: { agentKey: a.agentKey },
    });
    expect(refererOnly.statusCode).toBe(403);
    expect(await conversationCount(a)).toBe(count);
  });

  it('re-checks the origin on messages', async () => {
    const { conversationId, token } = await startConversation(base, a.agentKey);
    const res = await track(
      sendMessage(
        base,
        conversationId,
        token,
        { text: 'Hi', clientMessageId: nextId() },
        { origin: 'https://evil.example' },
      ),
    );
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(await rows(a, conversationId)).toEqual([]);
  });

  it('rejects a token for another conversation with 404 and bad or expired tokens with 401', async () => {
    const one = await startConversation(base, a.agentKey);
    const two = await startConversation(base, a.agentKey);
    const msg = { text: 'How long does shipping take?', clientMessageId: nextId() };

    const crossed = await track(sendMessage(base, two.conversationId, one.token, msg));
    expect(crossed.status).toBe(404);
    expect(crossed.headers.get('content-type')).toContain('application/problem+json');

    const claims = { org: a.orgId, agent: a.agentId, conversation: one.conversationId };
    const forged = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setAudience('confidant:widget')
      .setExpirationTime('1h')
      .sign(new Uint8Array(32).fill(1));
    const expired = await signVisitorToken(t.keyring, -60, claims);
    for (const token of [forged, expired, 'not-a-token']) {
      const res = await track(sendMessage(base, one.conversationId, token, msg));
      expect(res.status, token.slice(0, 10)).toBe(401);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    // The widget may read the expiry on an allowed site (so it can start over), not elsewhere.
    const expiredRes = await sendMessage(base, one.conversationId, expired, msg);
    expect(expiredRes.headers.get('access-control-allow-origin')).toBe(SITE);
    const forgedRes = await sendMessage(base, one.conversationId, forged, msg);
    expect(forgedRes.headers.get('access-control-allow-origin')).toBeNull();

    const missing = await fetch(`${base}/v1/widget/conversations/${one.conversationId}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: SITE },
      body: JSON.stringify(msg),
    });
    expect(missing.status).toBe(401);
    expect(await rows(a, one.conversationId)).toEqual([]);
    expect(await rows(a, two.conversationId)).toEqual([]);
  });

  it('keeps org B’s visitors out of org A’s conversations', async () => {
    const victim = await startConversation(base, a.agentKey);
    const intruder = await startConversation(base, b.agentKey);
    const res = await track(
      sendMessage(base, victim.conversationId, intruder.token, { text: 'Hi', clientMessageId: nextId() }),
    );
    expect(res.status).toBe(404);
    expect(await rows(a, victim.conversationId)).toEqual([]);
    // B's agent key opens only B's agent: its conversations belong to B.
    expect(await conversationRow(b, intruder.conversationId)).toBeDefined();
    expect(await conversationRow(a, intruder.conversationId)).toBeUndefined();
  });

  it('rejects bad message bodies with 400 and stores nothing', async () => {
    const { conversationId, token } = await startConversation(base, a.agentKey);
    const bad = [
      { text: '   ', clientMessageId: 'ok' },
      { text: 'x'.repeat(4001), clientMessageId: 'ok' },
      { text: 'hi', clientMessageId: 'has space' },
      { text: 'hi', clientMessageId: 'x'.repeat(101) },
      { text: 'hi', clientMessageId: '' },
      { text: 'hi' },
    ];
    for (const body of bad) {
      const res = await track(
        sendMessage(base, conversationId, token, body as { text: string; clientMessageId: string }),
      );
      expect(res.status, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    expect(await rows(a, conversationId)).toEqual([]);
  });

  it('answers CORS preflights', async () => {
    const res = await track(
      fetch(`${base}/v1/widget/conversations/00000000-0000-4000-8000-000000000000/messages`, {
        method: 'OPTIONS',
        headers: {
          origin: SITE,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type, authorization',
        },
      }),
    );
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(SITE);
    expect(res.headers.get('access-control-allow-methods')).toBe('GET, POST, OPTIONS');
    expect(res.headers.get('access-control-allow-headers')).toBe('content-type, authorization');
    expect(res.headers.get('access-control-max-age')).toBe('600');
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('never sets a cookie on any widget response', () => {
    expect(seen.length).toBeGreaterThan(20);
    for (const res of seen) expect(res.headers.get('set-cookie')).toBeNull();
  });
});
