import { eq, sql } from 'drizzle-orm';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationRatings, conversations } from '../../../platform/db/schema/index.js';
import { withTenant } from '../../../platform/db/tenancy.js';
import { testDatabaseKinds } from '../../../platform/db/test-database.js';
import { createTestApp, type TestApp } from '../../../testing/test-app.js';
import { rollUpConversations } from '../../privacy/retention/roll-up.js';
import { runPrivacyRequest, visitorPost } from '../../privacy/testing/subject-fixture.js';
import {
  createWidgetOrg,
  listen,
  SITE,
  startConversation,
  type WidgetOrg,
} from '../testing/widget-fixture.js';

/**
 * Satisfaction ratings: the visitor rates a closed conversation through the widget API (visitor
 * token, zod, one per conversation, changeable for 24 hours), operators read it in the inbox,
 * the scores feed the anonymized satisfaction totals (also after the purge rolled them up), and
 * the comment is exported and erased with the visitor's other data.
 */
describe.each(testDatabaseKinds)('conversation ratings on %s', (kind) => {
  let t: TestApp;
  let base: string;
  let a: WidgetOrg;
  let b: WidgetOrg;

  const admin = (org: WidgetOrg, method: 'GET' | 'POST', url: string, payload?: object) =>
    t.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${org.apiKey}` },
      ...(payload ? { payload } : {}),
    });
  const rate = (c: { conversationId: string; token: string }, body: unknown) =>
    visitorPost(base, c, '/rating', body);
  const ratingRows = (org: WidgetOrg) =>
    withTenant(t.database, [org.orgId], (tx) => tx.select().from(conversationRatings));
  const closed = async (org: WidgetOrg) => {
    const c = await startConversation(base, org.agentKey);
    const res = await admin(org, 'POST', `/v1/conversations/${c.conversationId}/close`);
    expect(res.statusCode, res.body).toBe(200);
    return c;
  };

  beforeAll(async () => {
    t = await createTestApp({ kind });
    a = await createWidgetOrg(t, 'Lumen', {}, []);
    b = await createWidgetOrg(t, 'Other', {}, []);
    base = await listen(t);
  }, 120_000);
  afterAll(() => t?.close());

  it('refuses a rating before the conversation is closed (409), then stores one, and lets it change', async () => {
    const c = await startConversation(base, a.agentKey);
    const early = await rate(c, { score: 4 });
    expect(early.status).toBe(409);
    expect(early.headers.get('content-type')).toContain('application/problem+json');
    expect(await ratingRows(a)).toHaveLength(0);

    await admin(a, 'POST', `/v1/conversations/${c.conversationId}/close`);
    const first = await rate(c, { score: 4, comment: '  Quick and kind.  ' });
    expect(first.status).toBe(201);
    expect(await first.json()).toMatchObject({ score: 4, comment: 'Quick and kind.' });
    const changed = await rate(c, { score: 5 });
    expect(changed.status).toBe(200);
    const rows = (await ratingRows(a)).filter((r) => r.conversationId === c.conversationId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ score: 5, comment: null, agentId: a.agentId });

    // Operators see it in the list (score) and the detail (score and comment).
    const list = await admin(a, 'GET', '/v1/conversations?view=closed');
    expect(list.statusCode).toBe(200);
    const item = list.json().conversations.find((x: { id: string }) => x.id === c.conversationId);
    expect(item.rating).toBe(5);
    const detail = await admin(a, 'GET', `/v1/conversations/${c.conversationId}`);
    expect(detail.json().rating).toMatchObject({ score: 5, comment: null });

    // After the change window it is final.
    await withTenant(t.database, [a.orgId], (tx) =>
      tx
        .update(conversationRatings)
        .set({ createdAt: sql`now() - interval '25 hours'` })
        .where(eq(conversationRatings.conversationId, c.conversationId)),
    );
    const late = await rate(c, { score: 1 });
    expect(late.status).toBe(409);
    expect((await ratingRows(a)).find((r) => r.conversationId === c.conversationId)?.score).toBe(5);
  });

  it('validates the body: a bad score, comment or extra field is a 400 that stores nothing', async () => {
    const c = await closed(a);
    for (const body of [
      {},
      { score: 0 },
      { score: 6 },
      { score: 3.5 },
      { score: '4' },
      { score: 4, comment: 'x'.repeat(1001) },
      { score: 4, comment: 7 },
      { score: 4, extra: true },
    ]) {
      const res = await rate(c, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    expect((await ratingRows(a)).filter((r) => r.conversationId === c.conversationId)).toHaveLength(0);
  });

  it('needs the visitor token of that conversation, from an allowed origin; other orgs see nothing', async () => {
    const c = await closed(a);
    const other = await closed(b);
    const noToken = await fetch(`${base}/v1/widget/conversations/${c.conversationId}/rating`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: SITE },
      body: JSON.stringify({ score: 3 }),
    });
    expect(noToken.status).toBe(401);
    // Another conversation's token (another org's too) is not this conversation's: 404.
    expect((await rate({ conversationId: c.conversationId, token: other.token }, { score: 3 })).status).toBe(
      404,
    );
    const wrongSite = await fetch(`${base}/v1/widget/conversations/${c.conversationId}/rating`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${c.token}`,
        origin: 'https://evil.example',
      },
      body: JSON.stringify({ score: 3 }),
    });
    expect(wrongSite.status).toBe(403);
    expect((await ratingRows(a)).filter((r) => r.conversationId === c.conversationId)).toHaveLength(0);

    expect((await rate(c, { score: 2, comment: 'Slow' })).status).toBe(201);
    // Org B cannot read org A's conversation or its rating, and its totals count none of A's.
    expect((await admin(b, 'GET', `/v1/conversations/${c.conversationId}`)).statusCode).toBe(404);
    expect(await ratingRows(b)).toHaveLength(0);
    const totalsB = await admin(b, 'GET', '/v1/usage/satisfaction');
    expect(totalsB.json()).toMatchObject({ count: 0, average: null, distribution: [0, 0, 0, 0, 0] });
  });

  it('feeds the anonymized totals, the same after the purge rolls the ratings up', async () => {
    const org = await createWidgetOrg(t, 'Totals', {}, []);
    const given: number[] = [5, 4, 4, 1];
    const ids: string[] = [];
    for (const score of given) {
      const c = await closed(org);
      ids.push(c.conversationId);
      expect((await rate(c, { score, comment: `comment ${score}` })).status).toBe(201);
    }
    const read = async () => {
      const res = await admin(org, 'GET', '/v1/usage/satisfaction');
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    };
    const before = await read();
    expect(before).toMatchObject({ count: 4, average: 3.5, distribution: [1, 0, 0, 2, 1] });
    expect(JSON.stringify(before)).not.toContain('comment');

    // The purge's roll-up and delete, in one transaction (privacy/retention/purge.ts).
    await withTenant(t.database, [org.orgId], async (tx) => {
      await rollUpConversations(tx, org.orgId, ids.slice(0, 3));
      for (const id of ids.slice(0, 3)) await tx.delete(conversations).where(eq(conversations.id, id));
    });
    expect(await ratingRows(org)).toHaveLength(1);
    expect(await read()).toEqual(before);
    const bad = await admin(org, 'GET', '/v1/usage/satisfaction?from=2026-02-01&to=2026-01-01');
    expect(bad.statusCode).toBe(400);
  });

  it('keeps no comment for an ephemeral conversation, only the score', async () => {
    const org = await createWidgetOrg(t, 'Ephemeral', { storeTranscripts: false }, []);
    const c = await closed(org);
    expect((await rate(c, { score: 3, comment: 'secret words' })).status).toBe(201);
    expect(await ratingRows(org)).toEqual([expect.objectContaining({ score: 3, comment: null })]);
  });

  it("exports the visitor's rating and comment, and erases them", async () => {
    const c = await closed(a);
    const email = 'rater@example.com';
    // The address the visitor left with consent is how the request finds the conversation.
    const contact = await visitorPost(base, c, '/contact', {
      email,
      consent: true,
      purpose: 'reply_by_email',
    });
    expect(contact.status).toBe(204);
    expect((await rate(c, { score: 4, comment: 'canary-rating-comment' })).status).toBe(201);

    const exported = await runPrivacyRequest(t, a.apiKey, { type: 'export', subject: { email } });
    expect(exported.status).toBe('completed');
    expect(exported.counts).toMatchObject({ conversation_ratings: 1 });
    const res = await admin(a, 'GET', exported.download!.url);
    const files = unzipSync(new Uint8Array(res.rawPayload));
    const everything = Object.values(files)
      .map((bytes) => strFromU8(bytes))
      .join('\n');
    expect(everything).toContain('canary-rating-comment');

    const erased = await runPrivacyRequest(t, a.apiKey, { type: 'erasure', subject: { email } });
    expect(erased.status).toBe('completed');
    expect(erased.counts).toMatchObject({ conversation_ratings: 1 });
    expect((await ratingRows(a)).filter((r) => r.conversationId === c.conversationId)).toHaveLength(0);
  });
});
