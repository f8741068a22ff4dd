import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, visitorContacts } from '../../platform/db/schema/index.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { testDatabaseKinds } from '../../platform/db/test-database.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { replies } from '../answers/engine.js';
import { createUserWithMembership } from '../auth/service.js';
import { touchPresence } from '../inbox/presence.js';
import { dataOf, readEvents, streamedText } from './testing/sse-client.js';
import {
  createWidgetOrg,
  listen,
  SITE,
  sendMessage,
  startConversation,
  type WidgetOrg,
} from './testing/widget-fixture.js';
import { consentTextHash, findConsentedContact } from './visitor-contacts.js';

/**
 * The widget's honest text and the offline flow: the persistence setting, the config computed
 * from real settings and operator presence, the handoff reply that promises a person only when
 * one is present, and an email address stored only with consent.
 */
describe.each(testDatabaseKinds)('widget honesty and offline contact on %s', (kind) => {
  let t: TestApp;
  let base: string;
  let org: WidgetOrg;
  let counter = 0;
  const nextId = () => `m-${++counter}`;

  const admin = (method: 'GET' | 'PATCH' | 'POST', url: string, payload?: object) =>
    t.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${org.apiKey}` },
      ...(payload ? { payload } : {}),
    });
  const config = async () => {
    const res = await fetch(`${base}/v1/widget/config?agentKey=${org.agentKey}`, {
      headers: { origin: SITE },
    });
    expect(res.status).toBe(200);
    return res.json();
  };
  const postContact = (conversationId: string, token: string, body: unknown) =>
    fetch(`${base}/v1/widget/conversations/${conversationId}/contact`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, origin: SITE },
      body: JSON.stringify(body),
    });
  const contactRows = () => withTenant(t.database, [org.orgId], (tx) => tx.select().from(visitorContacts));

  beforeAll(async () => {
    t = await createTestApp({ kind });
    org = await createWidgetOrg(t, 'Lumen');
    base = await listen(t);
  });
  afterAll(() => t?.close());

  it('stores persistence per agent (default tab); a bad value is a 400 that changes nothing', async () => {
    expect((await admin('GET', `/v1/agents/${org.agentId}`)).json().persistence).toBe('tab');
    const bad = await admin('PATCH', `/v1/agents/${org.agentId}`, { persistence: 'forever' });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect((await admin('GET', `/v1/agents/${org.agentId}`)).json().persistence).toBe('tab');

    const none = await admin('PATCH', `/v1/agents/${org.agentId}`, { persistence: 'none' });
    expect(none.statusCode, none.body).toBe(200);
    expect(none.json().persistence).toBe('none');
    expect((await config()).storageNotice).toBe(
      'No cookies. Messages are stored by Lumen to answer you and deleted 30 days after the last message. Nothing is kept in your browser.',
    );
    await admin('PATCH', `/v1/agents/${org.agentId}`, { persistence: 'tab' });
  });

  it('computes the footnote and the handoff lines from real settings and presence', async () => {
    const offline = await config();
    expect(offline).toMatchObject({
      persistence: 'tab',
      storageNotice:
        'No cookies. Messages are stored by Lumen to answer you and deleted 30 days after the last message. This chat stays in this tab until you close it.',
      handoff: {
        enabled: true,
        operatorsAvailable: false,
        onlineLine: 'A person from our team will reply here.',
        contactConsentText: 'Use my email address so the Lumen team can reply to this conversation by email.',
      },
    });
    // The retention period is the one the purge enforces (privacy/retention), and never "only in this tab".
    expect(JSON.stringify(offline).match(/\d+ days/g)).toEqual(['30 days']);
    expect(JSON.stringify(offline)).not.toMatch(/only in this tab/);

    const { userId } = await createUserWithMembership(t, {
      email: 'olga@example.com',
      password: 'a long enough password',
      name: 'Olga',
      orgId: org.orgId,
      role: 'agent',
    });
    await withTenant(t.database, [org.orgId], (tx) => touchPresence(tx, org.orgId, userId));
    expect((await config()).handoff.operatorsAvailable).toBe(true);

    // A person is present now: the handoff reply promises one, and the event says so.
    const { conversationId, token } = await startConversation(base, org.agentKey);
    const events = await readEvents(
      await sendMessage(base, conversationId, token, {
        text: 'Can I talk to a person?',
        clientMessageId: nextId(),
      }),
    );
    expect(streamedText(events)).toBe(replies.handoffRequested);
    expect(dataOf(events, 'handoff')).toEqual({ reason: 'requested', operatorsAvailable: true });

    // Outside the agent's business hours nobody is promised, even with an operator online.
    const closedAllWeek = { timezone: 'Pacific/Kiritimati', weekly: {} };
    const hours = await admin('PATCH', `/v1/agents/${org.agentId}`, { businessHours: closedAllWeek });
    expect(hours.statusCode, hours.body).toBe(200);
    expect(hours.json().businessHours).toEqual(closedAllWeek);
    expect((await config()).handoff.operatorsAvailable).toBe(false);
    const always = Object.fromEntries(
      ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['00:00', '24:00']]]),
    );
    await admin('PATCH', `/v1/agents/${org.agentId}`, { businessHours: { timezone: 'UTC', weekly: always } });
    expect((await config()).handoff.operatorsAvailable).toBe(true);
    const badZone = await admin('PATCH', `/v1/agents/${org.agentId}`, {
      businessHours: { timezone: 'Mars/Olympus', weekly: {} },
    });
    expect(badZone.statusCode).toBe(400);
    expect((await admin('GET', `/v1/agents/${org.agentId}`)).json().businessHours.timezone).toBe('UTC');
    await admin('PATCH', `/v1/agents/${org.agentId}`, { businessHours: null });

    await withTenant(t.database, [org.orgId], (tx) =>
      tx.execute(sql`update operator_presence set last_seen_at = now() - interval '1 hour'`),
    );
    expect((await config()).handoff.operatorsAvailable).toBe(false);
  });

  it('hands off honestly with nobody present, and stores an email only with consent', async () => {
    const { conversationId, token } = await startConversation(base, org.agentKey);
    const events = await readEvents(
      await sendMessage(base, conversationId, token, {
        text: 'I want to talk to a human',
        clientMessageId: nextId(),
      }),
    );
    expect(streamedText(events)).toBe(replies.handoffRequestedOffline);
    expect(dataOf(events, 'handoff')).toEqual({ reason: 'requested', operatorsAvailable: false });

    const before = (await contactRows()).length;
    for (const body of [
      { email: 'ada@example.com', purpose: 'reply_by_email' },
      { email: 'ada@example.com', consent: false, purpose: 'reply_by_email' },
      { email: 'ada@example.com', consent: 'yes', purpose: 'reply_by_email' },
      { email: 'not an email', consent: true, purpose: 'reply_by_email' },
      { email: ' ada@example.com ', consent: true, purpose: 'reply_by_email' },
      { email: 'ada@example.com', consent: true, purpose: 'marketing' },
      { email: 'ada@example.com', consent: true, purpose: 'reply_by_email', extra: 1 },
    ]) {
      const res = await postContact(conversationId, token, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    expect(
      await postContact(conversationId, 'x.y.z', {
        email: 'ada@example.com',
        consent: true,
        purpose: 'reply_by_email',
      }).then((r) => r.status),
    ).toBe(401);
    expect((await contactRows()).length).toBe(before);
    expect(
      await withTenant(t.database, [org.orgId], (tx) => findConsentedContact(tx, org.orgId, conversationId)),
    ).toBeNull();

    const stored = await postContact(conversationId, token, {
      email: 'Ada@Example.com',
      consent: true,
      purpose: 'reply_by_email',
    });
    expect(stored.status).toBe(204);
    const again = await postContact(conversationId, token, {
      email: 'ada.l@example.com',
      consent: true,
      purpose: 'reply_by_email',
    });
    expect(again.status).toBe(204);
    const rows = (await contactRows()).filter((r) => r.conversationId === conversationId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      email: 'ada.l@example.com',
      purpose: 'reply_by_email',
      consentTextHash: consentTextHash(
        'Use my email address so the Lumen team can reply to this conversation by email.',
      ),
      withdrawnAt: null,
    });
    expect(
      await withTenant(t.database, [org.orgId], (tx) => findConsentedContact(tx, org.orgId, conversationId)),
    ).toBe('ada.l@example.com');
    // Operators see the address (it is why the visitor left it); only a consented one exists.
    const detail = await admin('GET', `/v1/conversations/${conversationId}`);
    expect(detail.json().contactEmail).toBe('ada.l@example.com');

    // Audited with ids only: the address never reaches the audit log.
    const audit = await withTenant(t.database, [org.orgId], (tx) =>
      tx
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.orgId, org.orgId), eq(auditLog.action, 'visitor_contact.consented'))),
    );
    expect(audit.length).toBe(2);
    expect(JSON.stringify(audit)).not.toContain('example.com');
  });
});
