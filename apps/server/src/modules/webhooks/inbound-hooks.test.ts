import { and, count, eq } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  conversations,
  inboundHookMessages,
  inboundHooks,
  messages,
} from '../../platform/db/schema/index.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { testDatabaseKinds } from '../../platform/db/test-database.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { type LiveEvents, openLiveEvents } from '../conversations/testing/live-events.js';
import {
  createWidgetOrg,
  listen,
  SITE,
  startConversation,
  type WidgetOrg,
} from '../conversations/testing/widget-fixture.js';

/**
 * Inbound hooks over real HTTP: a signed request posts an operator message (delivered live to the
 * visitor's widget stream) or closes a conversation; a bad signature, a stale timestamp, a
 * replayed id, an unknown or another org's conversation are refused with a 4xx problem and
 * nothing changed (checked in the database).
 */
describe.each(testDatabaseKinds)('inbound hooks on %s', (kind) => {
  let t: TestApp;
  let base: string;
  let org: WidgetOrg;
  let other: WidgetOrg;
  let hook: { id: string; path: string; secret: string };
  let conversation: { conversationId: string; token: string };
  let visitor: LiveEvents;
  let n = 0;

  const post = (body: object, options: { secret?: string; id?: string; at?: Date; path?: string } = {}) => {
    const raw = JSON.stringify(body);
    const id = options.id ?? `evt_${++n}`;
    const at = options.at ?? new Date();
    const signature = new Webhook(options.secret ?? hook.secret).sign(id, at, raw);
    return fetch(`${base}${options.path ?? hook.path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
        'webhook-signature': signature,
      },
      body: raw,
    });
  };
  const state = async () =>
    withTenant(t.database, [org.orgId, other.orgId], async (tx) => ({
      messages: (await tx.select({ n: count() }).from(messages))[0]!.n,
      seen: (await tx.select({ n: count() }).from(inboundHookMessages))[0]!.n,
      statuses: (await tx.select({ id: conversations.id, status: conversations.status }).from(conversations))
        .map((c) => `${c.id}:${c.status}`)
        .sort(),
    }));

  beforeAll(async () => {
    t = await createTestApp({ kind });
    org = await createWidgetOrg(t, 'Lumen', {}, []);
    other = await createWidgetOrg(t, 'Other', {}, []);
    base = await listen(t);
    const created = await t.app.inject({
      method: 'POST',
      url: '/v1/inbound-hooks',
      headers: { authorization: `Bearer ${org.apiKey}` },
      payload: { name: 'Help desk' },
    });
    expect(created.statusCode, created.body).toBe(201);
    hook = created.json();
    conversation = await startConversation(base, org.agentKey);
    visitor = await openLiveEvents(`${base}/v1/widget/conversations/${conversation.conversationId}/events`, {
      authorization: `Bearer ${conversation.token}`,
      origin: SITE,
    });
  }, 120_000);

  afterAll(async () => {
    visitor?.close();
    await t?.close();
  }, 60_000);

  it('shows the secret once and stores it encrypted', async () => {
    expect(hook.secret).toMatch(/^whsec_/);
    expect(hook.path).toMatch(/^\/v1\/hooks\/ih_[0-9a-f]{64}$/);
    const list = await t.app.inject({
      method: 'GET',
      url: '/v1/inbound-hooks',
      headers: { authorization: `Bearer ${org.apiKey}` },
    });
    expect(list.json().hooks).toHaveLength(1);
    expect(list.body).not.toContain(hook.secret);
    const [row] = await withTenant(t.database, [org.orgId], (tx) =>
      tx.select().from(inboundHooks).where(eq(inboundHooks.id, hook.id)),
    );
    expect(row!.secretCiphertext).not.toContain(hook.secret.slice(6, 20));
  });

  it('posts an operator message that the visitor receives live', async () => {
    const res = await post({
      type: 'conversation.message',
      conversationId: conversation.conversationId,
      text: 'Your refund was issued today.',
      authorName: 'Help desk',
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const { messageId } = (await res.json()) as { messageId: string };
    const live = await visitor.waitFor(
      (e) => e.event === 'message' && (e.data as { id: string }).id === messageId,
      'operator message',
    );
    expect(live.data).toMatchObject({
      role: 'operator',
      text: 'Your refund was issued today.',
      authorName: 'Help desk',
    });
    const [stored] = await withTenant(t.database, [org.orgId], (tx) =>
      tx
        .select()
        .from(messages)
        .where(and(eq(messages.orgId, org.orgId), eq(messages.id, messageId))),
    );
    expect(stored).toMatchObject({
      role: 'operator',
      content: 'Your refund was issued today.',
      authorLabel: 'Help desk',
    });
    // Read again later (a reload), the name is still there: in the inbox and in the widget.
    const detail = await t.app.inject({
      method: 'GET',
      url: `/v1/conversations/${conversation.conversationId}`,
      headers: { authorization: `Bearer ${org.apiKey}` },
    });
    expect(detail.statusCode, detail.body).toBe(200);
    expect(
      (detail.json() as { messages: { id: string; authorName: string | null }[] }).messages.find(
        (m) => m.id === messageId,
      )?.authorName,
    ).toBe('Help desk');
    const history = await fetch(`${base}/v1/widget/conversations/${conversation.conversationId}`, {
      headers: { authorization: `Bearer ${conversation.token}`, origin: SITE },
    });
    expect(history.status).toBe(200);
    const lines = ((await history.json()) as { messages: { id: string; authorName?: string }[] }).messages;
    expect(lines.find((m) => m.id === messageId)?.authorName).toBe('Help desk');
  });

  it('refuses a bad signature, a stale timestamp, a replayed id, a foreign conversation: nothing changes', async () => {
    const message = {
      type: 'conversation.message',
      conversationId: conversation.conversationId,
      text: 'Hello',
    };
    const before = await state();
    const otherConversation = await startConversation(base, other.agentKey);
    const baseline = await state();
    expect(baseline.messages).toBe(before.messages);

    const badSig = await post(message, { secret: `whsec_${Buffer.alloc(32, 1).toString('base64')}` });
    expect(badSig.status).toBe(401);
    expect(badSig.headers.get('content-type')).toContain('application/problem+json');
    expect(((await badSig.json()) as { detail: string }).detail).toContain('signature');

    const stale = await post(message, { at: new Date(Date.now() - 10 * 60_000) });
    expect(stale.status).toBe(401);
    expect(((await stale.json()) as { detail: string }).detail).toContain('stale');

    const unknown = await post({ ...message, conversationId: '00000000-0000-4000-8000-000000000000' });
    expect(unknown.status).toBe(404);
    const foreign = await post({ ...message, conversationId: otherConversation.conversationId });
    expect(foreign.status).toBe(404);
    const notAnAction = await post({
      type: 'conversation.delete',
      conversationId: conversation.conversationId,
    });
    expect(notAnAction.status).toBe(400);
    const wrongHook = await post(message, { path: `/v1/hooks/ih_${'0'.repeat(64)}` });
    expect(wrongHook.status).toBe(404);
    expect(await state()).toEqual(baseline);

    // Accepted once; the same webhook-id again is a replay.
    const first = await post(message, { id: 'evt_replayed' });
    expect(first.status).toBe(200);
    const afterFirst = await state();
    const replay = await post(message, { id: 'evt_replayed' });
    expect(replay.status).toBe(409);
    expect(((await replay.json()) as { detail: string }).detail).toContain('replay');
    expect(await state()).toEqual(afterFirst);
  });

  it('closes a conversation', async () => {
    const res = await post({ type: 'conversation.close', conversationId: conversation.conversationId });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, changed: true });
    await visitor.waitFor(
      (e) => e.event === 'status' && (e.data as { status: string }).status === 'closed',
      'closed status',
    );
    const [row] = await withTenant(t.database, [org.orgId], (tx) =>
      tx.select().from(conversations).where(eq(conversations.id, conversation.conversationId)),
    );
    expect(row!.status).toBe('closed');
  });

  it('a disabled hook answers 404', async () => {
    const patched = await t.app.inject({
      method: 'PATCH',
      url: `/v1/inbound-hooks/${hook.id}`,
      headers: { authorization: `Bearer ${org.apiKey}` },
      payload: { enabled: false },
    });
    expect(patched.json()).toMatchObject({ enabled: false });
    const res = await post({ type: 'conversation.close', conversationId: conversation.conversationId });
    expect(res.status).toBe(404);
  });
});
