import { and, eq } from 'drizzle-orm';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { privacyRequests } from '../../../platform/db/schema/index.js';
import { withTenant } from '../../../platform/db/tenancy.js';
import { testDatabaseKinds } from '../../../platform/db/test-database.js';
import { createTestApp, type TestApp } from '../../../testing/test-app.js';
import { createWidgetOrg, listen, type WidgetOrg } from '../../conversations/testing/widget-fixture.js';
import {
  canariesFor,
  issueIdentitySecret,
  needlesOf,
  runPrivacyRequest,
  seedSubject,
} from '../testing/subject-fixture.js';
import { expireExports } from './export-file.js';

/**
 * Export on request: the zip holds every message, contact detail, consent and identity of the
 * subject — found by email, phone, user id or conversation id — in JSON and in one CSV per data
 * category, and nothing of anyone else's. Plus the API's edges: validation, roles, expiry.
 */
describe.each(testDatabaseKinds)('data-subject export on %s', (kind) => {
  let t: TestApp;
  let base: string;
  let org: WidgetOrg;
  let secret: string;
  const subject = canariesFor('exp1', 11);
  const other = canariesFor('exp2', 12);
  let subjectConversation: string;
  const headers = () => ({ authorization: `Bearer ${org.apiKey}` });

  const download = async (url: string) => {
    const res = await t.app.inject({ method: 'GET', url, headers: headers() });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    const files = unzipSync(new Uint8Array(res.rawPayload));
    return Object.fromEntries(Object.entries(files).map(([name, bytes]) => [name, strFromU8(bytes)]));
  };

  beforeAll(async () => {
    t = await createTestApp({ kind });
    org = await createWidgetOrg(t, 'Lumen', {}, []);
    secret = await issueIdentitySecret(t, org.apiKey, org.agentId);
    base = await listen(t);
    subjectConversation = (await seedSubject(t, base, org, secret, subject, { handoff: true }))
      .conversationId;
    await seedSubject(t, base, org, secret, other, { handoff: true });
  });
  afterAll(() => t?.close());

  it('exports every message, contact, consent and identity of the subject, and nothing else', async () => {
    const done = await runPrivacyRequest(t, org.apiKey, {
      type: 'export',
      subject: { email: subject.contactEmail.toUpperCase() },
    });
    expect(done.status).toBe('completed');
    expect(done.counts).toMatchObject({ conversations: 1, visitor_contacts: 1, visitor_identities: 1 });
    const files = await download(done.download!.url);
    expect(Object.keys(files)).toEqual(
      expect.arrayContaining(['subject.json', 'user.content.chat.csv', 'user.contact.email.csv']),
    );
    const json = JSON.parse(files['subject.json']!);
    const tables = json.tables as Record<string, Record<string, unknown>[]>;
    const texts = tables.messages!.map((m) => m.content as string);
    expect(texts.some((x) => x.includes(subject.message) && x.includes(subject.phone))).toBe(true);
    expect(texts.some((x) => x.includes(subject.reply))).toBe(true);
    expect(tables.visitor_contacts).toEqual([
      expect.objectContaining({
        email: subject.contactEmail,
        purpose: 'reply_by_email',
        consent_text_hash: expect.stringMatching(/^[0-9a-f]{64}$/),
        consented_at: expect.any(String),
      }),
    ]);
    expect(tables.visitor_identities).toEqual([
      expect.objectContaining({
        user_id: subject.userId,
        email: subject.identityEmail,
        name: subject.name,
      }),
    ]);
    // The reply emailed to the visitor is theirs; notifications to operators are not.
    expect(tables.notifications!.every((n) => n.recipient === subject.contactEmail)).toBe(true);
    expect(files['user.contact.email.csv']).toContain(subject.contactEmail);
    expect(files['user.content.chat.csv']).toContain(subject.message);
    expect(files['user.contact.name.csv']).toContain(subject.name);

    const everything = Object.values(files).join('\n');
    for (const needle of needlesOf(subject)) expect(everything).toContain(needle);
    for (const needle of needlesOf(other)) expect(everything).not.toContain(needle);
    expect(everything).not.toContain('olga@');
  });

  it('finds the subject by user id, phone and conversation id too', async () => {
    for (const by of [
      { userId: subject.userId },
      { phone: subject.phone.replace(/[^0-9+]/g, '') },
      { conversationId: subjectConversation },
    ]) {
      const done = await runPrivacyRequest(t, org.apiKey, { type: 'export', subject: by });
      expect(done.counts, JSON.stringify(by)).toMatchObject({ conversations: 1 });
      const everything = Object.values(await download(done.download!.url)).join('\n');
      expect(everything).toContain(subject.message);
      expect(everything).not.toContain(other.message);
    }
  });

  it('lists requests with a masked subject, a due date 30 days out and no identifier', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/privacy/requests', headers: headers() });
    expect(res.statusCode).toBe(200);
    const { requests } = res.json() as {
      requests: { subject: { masked: string }; createdAt: string; dueAt: string }[];
    };
    expect(requests.length).toBeGreaterThanOrEqual(4);
    expect(res.body).not.toContain(subject.contactEmail);
    expect(res.body).not.toContain(subject.userId);
    expect(requests.map((r) => r.subject.masked)).toContain('c•••@example.com');
    for (const r of requests) {
      expect(Date.parse(r.dueAt) - Date.parse(r.createdAt)).toBe(30 * 86_400_000);
    }
  });

  it('answers a gone export with 410 once it expired (key shredded, file deleted)', async () => {
    const done = await runPrivacyRequest(t, org.apiKey, {
      type: 'export',
      subject: { email: other.contactEmail },
    });
    const expired = await expireExports(t, new Date(Date.now() + 8 * 86_400_000));
    expect(expired).toBeGreaterThanOrEqual(1);
    const res = await t.app.inject({ method: 'GET', url: done.download!.url, headers: headers() });
    expect(res.statusCode).toBe(410);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const [row] = await withTenant(t.database, [org.orgId], (tx) =>
      tx
        .select()
        .from(privacyRequests)
        .where(and(eq(privacyRequests.orgId, org.orgId), eq(privacyRequests.id, done.id))),
    );
    expect(row).toMatchObject({ exportKeyCiphertext: null, exportBlobHash: null, subjectCiphertext: null });
  });

  it('refuses bad requests with 4xx and records nothing', async () => {
    const post = (payload: Record<string, unknown>, auth = headers()) =>
      t.app.inject({ method: 'POST', url: '/v1/privacy/requests', headers: auth, payload });
    const before = (
      await t.app.inject({ method: 'GET', url: '/v1/privacy/requests', headers: headers() })
    ).json().requests.length;
    expect((await post({ type: 'export', subject: {} })).statusCode).toBe(400);
    expect((await post({ type: 'export', subject: { email: 'a@b.example', userId: 'u1' } })).statusCode).toBe(
      400,
    );
    expect((await post({ type: 'purge', subject: { userId: 'u1' } })).statusCode).toBe(400);
    expect((await post({ type: 'export', subject: { phone: '12' } })).statusCode).toBe(400);
    expect((await post({ type: 'export', subject: { conversationId: 'nope' } })).statusCode).toBe(400);
    const agentKey = await t.app.inject({
      method: 'POST',
      url: '/v1/api-keys',
      headers: headers(),
      payload: { name: 'agent', role: 'agent' },
    });
    const asAgent = { authorization: `Bearer ${agentKey.json().key}` };
    expect((await post({ type: 'erasure', subject: { userId: 'u1' } }, asAgent)).statusCode).toBe(403);
    const missing = await t.app.inject({
      method: 'GET',
      url: '/v1/privacy/requests/00000000-0000-4000-8000-000000000000',
      headers: headers(),
    });
    expect(missing.statusCode).toBe(404);
    const after = (
      await t.app.inject({ method: 'GET', url: '/v1/privacy/requests', headers: headers() })
    ).json().requests.length;
    expect(after).toBe(before);
  });
});
