import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages, notifications } from '../../platform/db/schema/index.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { testDatabaseKinds } from '../../platform/db/test-database.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { createUserWithMembership } from '../auth/service.js';
import { CONSOLE_ORIGIN, ConsoleClient } from '../auth/test-console-client.js';
import { readEvents } from '../conversations/testing/sse-client.js';
import {
  createWidgetOrg,
  listen,
  SITE,
  sendMessage,
  startConversation,
  type WidgetOrg,
} from '../conversations/testing/widget-fixture.js';
import { type SmtpSink, startSmtpSink } from './testing/smtp-sink.js';
import { queueVisitorReplyEmail } from './visitor-reply-email.js';

/**
 * Operator and visitor email, delivered to a real SMTP server (smtp-server) by the real job:
 * who is notified of a waiting conversation, an assignment and a visitor's new message; that
 * chat text stays out of operator notifications unless the org enables previews; retries after
 * a temporary SMTP failure; an operator's reply emailed to a visitor who left an address.
 */
const password = 'a long enough password';
const AGENT = 'Lumen helper';

describe.each(testDatabaseKinds)('email notifications on %s', (kind) => {
  let t: TestApp;
  let smtp: SmtpSink;
  let base: string;
  let org: WidgetOrg;
  const ids: Record<'olga' | 'ana' | 'bob' | 'vic', string> = { olga: '', ana: '', bob: '', vic: '' };
  const consoles: Record<'olga' | 'ana' | 'bob', ConsoleClient> = {} as never;
  let counter = 0;

  const member = async (name: keyof typeof ids, role: 'admin' | 'agent' | 'viewer') => {
    ({ userId: ids[name] } = await createUserWithMembership(t, {
      email: `${name}@example.com`,
      password,
      name,
      orgId: org.orgId,
      role,
    }));
  };
  const ask = async (text: string, conversation?: { conversationId: string; token: string }) => {
    const c = conversation ?? (await startConversation(base, org.agentKey));
    await readEvents(
      await sendMessage(base, c.conversationId, c.token, { text, clientMessageId: `m-${++counter}` }),
    );
    return c;
  };
  const rowsOf = (conversationId: string) =>
    withTenant(t.database, [org.orgId], (tx) =>
      tx
        .select()
        .from(notifications)
        .where(and(eq(notifications.orgId, org.orgId), eq(notifications.conversationId, conversationId))),
    );
  const emailsFor = (conversationId: string) => smtp.received.filter((e) => e.text.includes(conversationId));
  const settle = async (conversationId: string, expected: number) => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const rows = await rowsOf(conversationId);
      if (rows.length >= expected && rows.every((r) => r.status !== 'queued')) return rows;
      if (Date.now() > deadline) throw new Error(`notifications not settled: ${JSON.stringify(rows)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  beforeAll(async () => {
    smtp = await startSmtpSink();
    t = await createTestApp({
      kind,
      env: {
        PUBLIC_URL: CONSOLE_ORIGIN,
        CONFIDANT_SMTP_URL: smtp.url,
        CONFIDANT_SMTP_FROM: 'Lumen <help@lumen.test>',
      },
    });
    org = await createWidgetOrg(t, 'Lumen', {}, []);
    await member('olga', 'admin');
    await member('ana', 'agent');
    await member('bob', 'agent');
    await member('vic', 'viewer');
    for (const name of ['olga', 'ana', 'bob'] as const) {
      consoles[name] = new ConsoleClient(t.app);
      expect((await consoles[name].signIn(`${name}@example.com`, password)).statusCode).toBe(200);
    }
    base = await listen(t);
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  it('has every notification on by default and keeps a member’s own choices', async () => {
    const get = await consoles.bob.inOrg(org.orgId, { method: 'GET', url: '/v1/notifications/preferences' });
    expect(get.statusCode, get.body).toBe(200);
    expect(get.json()).toEqual({
      waitingConversation: true,
      assignedToMe: true,
      replyInMyConversation: true,
    });
    const put = await consoles.bob.inOrg(org.orgId, {
      method: 'PUT',
      url: '/v1/notifications/preferences',
      payload: { waitingConversation: false },
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toEqual({
      waitingConversation: false,
      assignedToMe: true,
      replyInMyConversation: true,
    });
    // Another member's preferences are untouched.
    const ana = await consoles.ana.inOrg(org.orgId, { method: 'GET', url: '/v1/notifications/preferences' });
    expect(ana.json().waitingConversation).toBe(true);
  });

  it('emails every operator who wants it about a waiting conversation: a link, no transcript text', async () => {
    const canary = 'CANARY-7731 my order number is 55-1234';
    const { conversationId } = await ask(`I want to talk to a human. ${canary}`);
    await settle(conversationId, 2);
    const emails = emailsFor(conversationId);
    // Olga (admin) and Ana (agent); not Bob (opted out) nor Vic (viewer).
    expect(emails.flatMap((e) => e.to).sort()).toEqual(['ana@example.com', 'olga@example.com']);
    for (const email of emails) {
      expect(email.from).toBe('help@lumen.test');
      expect(email.subject).toBe(`A visitor is waiting for a person (${AGENT})`);
      expect(email.text).toContain(`${CONSOLE_ORIGIN}/console/inbox/${conversationId}`);
      expect(email.text).toContain('the visitor asked for a person');
      expect(email.text).not.toContain('CANARY-7731');
      expect(email.headers).toMatch(/^Auto-Submitted: auto-generated$/im);
    }
    const rows = await rowsOf(conversationId);
    expect(rows.map((r) => [r.status, r.attempts, r.body.includes('CANARY')])).toEqual([
      ['sent', 1, false],
      ['sent', 1, false],
    ]);
  });

  it('quotes the visitor only when the org enables previews', async () => {
    const on = await t.app.inject({
      method: 'PUT',
      url: '/v1/notifications/settings',
      headers: { authorization: `Bearer ${org.apiKey}` },
      payload: { previews: true },
    });
    expect(on.statusCode, on.body).toBe(200);
    const { conversationId } = await ask('Please get me a human agent. CANARY-9902');
    await settle(conversationId, 2);
    const emails = emailsFor(conversationId);
    expect(emails).toHaveLength(2);
    for (const email of emails) expect(email.text).toContain('> Please get me a human agent. CANARY-9902');
    const off = await t.app.inject({
      method: 'PUT',
      url: '/v1/notifications/settings',
      headers: { authorization: `Bearer ${org.apiKey}` },
      payload: { previews: false },
    });
    expect(off.json()).toEqual({ hasSlackWebhook: false, previews: false });
  });

  it('tells an assignee, not someone assigning themselves, and the owner of a conversation when the visitor writes', async () => {
    const conversation = await ask('I want to talk to a human');
    const { conversationId } = conversation;
    await settle(conversationId, 2);
    // Olga claims it herself: no "assigned to you" for anyone.
    const claimed = await consoles.olga.inOrg(org.orgId, {
      method: 'POST',
      url: `/v1/conversations/${conversationId}/claim`,
      payload: {},
    });
    expect(claimed.statusCode, claimed.body).toBe(200);
    // …then assigns it to Ana, who hears of it.
    const assigned = await consoles.olga.inOrg(org.orgId, {
      method: 'POST',
      url: `/v1/conversations/${conversationId}/assign`,
      payload: { userId: ids.ana },
    });
    expect(assigned.statusCode, assigned.body).toBe(200);
    const toAna = await smtp.waitFor(
      (e) => e.to.includes('ana@example.com') && e.subject.startsWith('A conversation was assigned to you'),
      'assignment email',
    );
    expect(toAna.text).toContain(`${CONSOLE_ORIGIN}/console/inbox/${conversationId}`);

    // The visitor writes twice while Ana's first notice may still be queued: Ana gets one or two
    // emails, never more, and none quotes the visitor (previews are off).
    await ask('CANARY-4410 are you there?', conversation);
    const reply = await smtp.waitFor(
      (e) => e.to.includes('ana@example.com') && e.subject.startsWith('The visitor wrote'),
      'visitor message email',
    );
    expect(reply.subject).toBe(`The visitor wrote in your conversation (${AGENT})`);
    expect(reply.text).not.toContain('CANARY-4410');
    const rows = await settle(conversationId, 4);
    expect(rows.filter((r) => r.kind === 'conversation_assigned').map((r) => r.recipient)).toEqual([
      'ana@example.com',
    ]);
    expect(rows.filter((r) => r.kind === 'visitor_replied').map((r) => r.recipient)).toEqual([
      'ana@example.com',
    ]);

    // Ana turns these off: the next visitor message notifies nobody.
    await consoles.ana.inOrg(org.orgId, {
      method: 'PUT',
      url: '/v1/notifications/preferences',
      payload: { replyInMyConversation: false },
    });
    await ask('one more thing', conversation);
    expect((await rowsOf(conversationId)).filter((r) => r.kind === 'visitor_replied')).toHaveLength(1);
  });

  it('retries after the SMTP server refuses for a while, and sends each message once', async () => {
    smtp.rejectNext(2);
    const { conversationId } = await ask('I want to talk to a human');
    const rows = await settle(conversationId, 2);
    expect(rows.map((r) => r.status)).toEqual(['sent', 'sent']);
    // Two refusals spread over the two rows: three attempts in all, and the retried one
    // remembers why its first attempt failed (a code, no server text).
    expect(rows.reduce((n, r) => n + r.attempts, 0)).toBe(4);
    expect(rows.filter((r) => r.lastErrorCode !== null).map((r) => r.lastErrorCode)).toEqual(
      expect.arrayContaining(['smtp_EMESSAGE_451']),
    );
    expect(
      emailsFor(conversationId)
        .flatMap((e) => e.to)
        .sort(),
    ).toEqual(['ana@example.com', 'olga@example.com']);
  });

  it('emails an operator’s reply to a visitor who left an address, and never a note', async () => {
    const visitor = await startConversation(base, org.agentKey);
    const { conversationId } = await ask('I want to talk to a human', visitor);
    await settle(conversationId, 2);
    const reply = await consoles.olga.inOrg(org.orgId, {
      method: 'POST',
      url: `/v1/conversations/${conversationId}/messages`,
      payload: { text: 'Your parcel left our warehouse today.' },
    });
    expect(reply.statusCode, reply.body).toBe(201);
    const note = await consoles.olga.inOrg(org.orgId, {
      method: 'POST',
      url: `/v1/conversations/${conversationId}/messages`,
      payload: { text: 'internal: customer seems upset', internal: true },
    });
    expect(note.statusCode, note.body).toBe(201);
    // No address left yet: the reply queued nothing for the visitor.
    expect((await rowsOf(conversationId)).filter((r) => r.kind === 'operator_reply')).toEqual([]);

    // Nobody was online: the visitor leaves an address. Without the tick nothing is stored;
    // with it, the next reply goes out by email too.
    const contact = (body: object) =>
      fetch(`${base}/v1/widget/conversations/${conversationId}/contact`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${visitor.token}`,
          origin: SITE,
        },
        body: JSON.stringify(body),
      });
    const refused = await contact({
      email: 'visitor@example.org',
      consent: false,
      purpose: 'reply_by_email',
    });
    expect(refused.status).toBe(400);
    const consented = await contact({
      email: 'visitor@example.org',
      consent: true,
      purpose: 'reply_by_email',
    });
    expect(consented.status).toBe(204);
    const second = await consoles.olga.inOrg(org.orgId, {
      method: 'POST',
      url: `/v1/conversations/${conversationId}/messages`,
      payload: { text: 'Your parcel left our warehouse today.' },
    });
    expect(second.statusCode, second.body).toBe(201);
    const lateNote = await consoles.olga.inOrg(org.orgId, {
      method: 'POST',
      url: `/v1/conversations/${conversationId}/messages`,
      payload: { text: 'internal: customer seems upset', internal: true },
    });
    expect(lateNote.statusCode).toBe(201);
    // The lookup itself never sends a note, whoever asks.
    const lookup = async () => ({ email: 'visitor@example.org' });
    expect(
      await withTenant(t.database, [org.orgId], (tx) =>
        queueVisitorReplyEmail(tx, t.keyring, org.orgId, conversationId, note.json().id, lookup),
      ),
    ).toBeNull();
    const email = await smtp.waitFor((e) => e.to.includes('visitor@example.org'), 'reply to the visitor');
    expect(email.to).toEqual(['visitor@example.org']);
    expect(email.subject).toBe(`${AGENT}: a reply to your question`);
    expect(email.text).toContain('Your parcel left our warehouse today.');
    expect(email.text).not.toContain('internal: customer seems upset');
    expect(email.text).not.toContain('/console/');
    const stored = await withTenant(t.database, [org.orgId], (tx) =>
      tx
        .select()
        .from(messages)
        .where(and(eq(messages.orgId, org.orgId), eq(messages.internal, true))),
    );
    expect(stored).toHaveLength(2);
    // One email to the visitor: the reply after they left their address, nothing else.
    expect(smtp.received.filter((e) => e.to.includes('visitor@example.org'))).toHaveLength(1);
  });
});
