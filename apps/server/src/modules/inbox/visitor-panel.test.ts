import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKinds } from '../../platform/db/test-database.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { readEvents } from '../conversations/testing/sse-client.js';
import {
  createWidgetOrg,
  listen,
  SITE,
  sendMessage,
  type WidgetOrg,
} from '../conversations/testing/widget-fixture.js';

/**
 * What the operator's side panel and search read, over real HTTP: where a chat started (page
 * path without its query, language), the visitor's other conversations linked only through an
 * email left with consent and only within the org, and the list's search and paging.
 */
describe.each(testDatabaseKinds)('visitor panel, search and paging on %s', (kind) => {
  let t: TestApp;
  let base: string;
  let lumen: WidgetOrg;
  let other: WidgetOrg;
  let counter = 0;

  const start = async (org: WidgetOrg, body: object = {}, headers: Record<string, string> = {}) => {
    const res = await fetch(`${base}/v1/widget/conversations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: SITE, ...headers },
      body: JSON.stringify({ agentKey: org.agentKey, ...body }),
    });
    expect(res.status).toBe(201);
    return (await res.json()) as { conversationId: string; token: string };
  };
  const say = async (c: { conversationId: string; token: string }, text: string) =>
    readEvents(
      await sendMessage(base, c.conversationId, c.token, { text, clientMessageId: `m-${++counter}` }),
    );
  const leaveEmail = async (c: { conversationId: string; token: string }, email: string) => {
    const res = await fetch(`${base}/v1/widget/conversations/${c.conversationId}/contact`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: SITE, authorization: `Bearer ${c.token}` },
      body: JSON.stringify({ email, consent: true, purpose: 'reply_by_email' }),
    });
    expect(res.status).toBe(204);
  };
  const get = (org: WidgetOrg, url: string) =>
    t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${org.apiKey}` } });
  const ids = (res: { json(): { conversations: { id: string }[] } }) =>
    res.json().conversations.map((c) => c.id);

  beforeAll(async () => {
    t = await createTestApp({ kind });
    lumen = await createWidgetOrg(t, 'Lumen', {}, []);
    other = await createWidgetOrg(t, 'Other', {}, []);
    base = await listen(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('records the page as origin and path only, and the first language of Accept-Language', async () => {
    const c = await start(
      lumen,
      { page: `${SITE}/pricing?email=ann@example.com#plans` },
      { 'accept-language': 'de-CH,de;q=0.9,en;q=0.8' },
    );
    const detail = (await get(lumen, `/v1/conversations/${c.conversationId}`)).json();
    expect(detail).toMatchObject({ origin: SITE, pageUrl: `${SITE}/pricing`, language: 'de-CH' });
    expect(JSON.stringify(detail)).not.toContain('ann@example.com');

    // A page on another site than the request's origin is not where the visitor was.
    const elsewhere = await start(lumen, { page: 'https://evil.example/x' }, { 'accept-language': '*' });
    expect((await get(lumen, `/v1/conversations/${elsewhere.conversationId}`)).json()).toMatchObject({
      pageUrl: null,
      language: null,
    });
  });

  it('links past conversations only through a consented email, and only within the org', async () => {
    const first = await start(lumen);
    await say(first, 'Do you ship to Norway?');
    await leaveEmail(first, 'ann@example.com');
    const second = await start(lumen);
    await say(second, 'Where is my parcel?');
    await leaveEmail(second, 'Ann@Example.com');
    const anonymous = await start(lumen);
    await say(anonymous, 'Do you ship to Norway too?');
    // The same address in another organization is another organization's visitor.
    const foreign = await start(other);
    await leaveEmail(foreign, 'ann@example.com');

    const related = await get(lumen, `/v1/conversations/${second.conversationId}/related`);
    expect(related.statusCode).toBe(200);
    expect(related.json()).toMatchObject({
      identifiedBy: 'contact_email',
      conversations: [{ id: first.conversationId, preview: 'Do you ship to Norway?' }],
    });
    expect(ids(await get(lumen, `/v1/conversations/${first.conversationId}/related`))).toEqual([
      second.conversationId,
    ]);

    // No identifier, nothing linked — even though the anonymous visitor asked the same thing.
    expect((await get(lumen, `/v1/conversations/${anonymous.conversationId}/related`)).json()).toEqual({
      identifiedBy: null,
      conversations: [],
    });
    // The other org sees only its own conversation's (empty) history, and not Lumen's ids at all.
    expect(ids(await get(other, `/v1/conversations/${foreign.conversationId}/related`))).toEqual([]);
    expect((await get(other, `/v1/conversations/${first.conversationId}/related`)).statusCode).toBe(404);
    // The detail shows the consented address; the anonymous conversation has none.
    expect((await get(lumen, `/v1/conversations/${second.conversationId}`)).json().contactEmail).toBe(
      'ann@example.com',
    );
    expect(
      (await get(lumen, `/v1/conversations/${anonymous.conversationId}`)).json().contactEmail,
    ).toBeNull();
  });

  it('searches by message text, consented email and id prefix, within the org only', async () => {
    const lumenConversation = await start(lumen);
    await say(lumenConversation, 'My kayak paddle arrived broken');
    await leaveEmail(lumenConversation, 'kim@example.com');
    const foreign = await start(other);
    await say(foreign, 'My kayak paddle is lost');

    const byText = await get(lumen, '/v1/conversations?view=all&q=kayak');
    expect(byText.statusCode).toBe(200);
    expect(ids(byText)).toEqual([lumenConversation.conversationId]);
    expect(ids(await get(other, '/v1/conversations?view=all&q=kayak'))).toEqual([foreign.conversationId]);
    expect(ids(await get(lumen, '/v1/conversations?view=all&q=KIM%40example'))).toEqual([
      lumenConversation.conversationId,
    ]);
    const prefix = lumenConversation.conversationId.slice(0, 8).toUpperCase();
    expect(ids(await get(lumen, `/v1/conversations?view=all&q=Visitor%20${prefix}`))).toContain(
      lumenConversation.conversationId,
    );
    expect(ids(await get(other, `/v1/conversations?view=all&q=${lumenConversation.conversationId}`))).toEqual(
      [],
    );
    // LIKE wildcards are text, not patterns.
    expect(ids(await get(lumen, '/v1/conversations?view=all&q=%25'))).toEqual([]);
  });

  it('pages with a cursor and refuses bad cursors and bad queries with 400', async () => {
    const all = ids(await get(lumen, '/v1/conversations?view=all&limit=100'));
    expect(all.length).toBeGreaterThan(3);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await get(
        lumen,
        `/v1/conversations?view=all&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(page.statusCode).toBe(200);
      seen.push(...ids(page));
      cursor = page.json().nextCursor;
    } while (cursor);
    expect(seen).toEqual(all);

    for (const query of ['cursor=not-a-cursor', 'q=', `q=${'x'.repeat(201)}`, 'q=%00']) {
      const res = await get(lumen, `/v1/conversations?view=all&${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
  });
});
