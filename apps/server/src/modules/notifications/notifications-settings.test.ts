import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notifications } from '../../platform/db/schema/index.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { testDatabaseKinds } from '../../platform/db/test-database.js';
import { openSuperuserSql, type SuperuserSql } from '../../testing/superuser-sql.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { createUserWithMembership } from '../auth/service.js';
import { CONSOLE_ORIGIN, ConsoleClient } from '../auth/test-console-client.js';
import { readEvents } from '../conversations/testing/sse-client.js';
import {
  createWidgetOrg,
  listen,
  sendMessage,
  startConversation,
  type WidgetOrg,
} from '../conversations/testing/widget-fixture.js';
import { startWebhookSink, type WebhookSink } from './testing/webhook-sink.js';

/**
 * Org notification settings and the dev outbox, with no SMTP server configured: the Slack
 * webhook (a real local HTTP server, reachable because the operator allows private networks) is
 * write-only, encrypted, checked by the outbound guard when saved and posted to for each waiting
 * conversation; email lands in the dev outbox; bad input is a 4xx that writes nothing; another
 * organization sees none of it.
 */
const password = 'a long enough password';

describe.each(testDatabaseKinds)('notification settings, Slack and the dev outbox on %s', (kind) => {
  let t: TestApp;
  let su: SuperuserSql;
  let slack: WebhookSink;
  let base: string;
  let org: WidgetOrg;
  let other: { orgId: string; apiKey: string };
  let agent: ConsoleClient;
  let counter = 0;

  const as = (apiKey: string, method: 'GET' | 'PUT', url: string, payload?: unknown) =>
    t.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${apiKey}` },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  const handoff = async (text = 'I want to talk to a human') => {
    const c = await startConversation(base, org.agentKey);
    await readEvents(
      await sendMessage(base, c.conversationId, c.token, { text, clientMessageId: `m-${++counter}` }),
    );
    return c.conversationId;
  };
  const settled = async (conversationId: string, expected: number) => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const rows = await withTenant(t.database, [org.orgId], (tx) =>
        tx
          .select()
          .from(notifications)
          .where(and(eq(notifications.orgId, org.orgId), eq(notifications.conversationId, conversationId))),
      );
      if (rows.length >= expected && rows.every((r) => r.status !== 'queued')) return rows;
      if (Date.now() > deadline) throw new Error(`not settled: ${JSON.stringify(rows)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const counts = async () =>
    (
      await su.query<{ settings: number; audit: number; prefs: number }>(
        `select (select count(*)::int from notification_settings) as settings,
                (select count(*)::int from audit_log where action like 'notification%') as audit,
                (select count(*)::int from notification_preferences) as prefs`,
      )
    )[0]!;

  beforeAll(async () => {
    slack = await startWebhookSink();
    t = await createTestApp({
      kind,
      env: { PUBLIC_URL: CONSOLE_ORIGIN, CONFIDANT_ALLOW_PRIVATE_NETWORKS: 'true' },
    });
    org = await createWidgetOrg(t, 'Lumen', {}, []);
    other = await t.createOrg('Other');
    await createUserWithMembership(t, {
      email: 'ana@example.com',
      password,
      name: 'Ana',
      orgId: org.orgId,
      role: 'agent',
    });
    agent = new ConsoleClient(t.app);
    expect((await agent.signIn('ana@example.com', password)).statusCode).toBe(200);
    su = await openSuperuserSql(t.database);
    base = await listen(t);
  });
  afterAll(async () => {
    await su?.close();
    await t?.close();
    await slack?.close();
  });

  it('refuses bad input with a problem and writes nothing', async () => {
    const before = await counts();
    const bad: [string, 'PUT', string, unknown, number][] = [
      ['non-URL webhook', 'PUT', '/v1/notifications/settings', { slackWebhookUrl: 'not a url' }, 400],
      ['ftp webhook', 'PUT', '/v1/notifications/settings', { slackWebhookUrl: 'ftp://hooks.example/x' }, 400],
      [
        'credentials',
        'PUT',
        '/v1/notifications/settings',
        { slackWebhookUrl: 'https://u:p@hooks.example/x' },
        400,
      ],
      ['previews not a boolean', 'PUT', '/v1/notifications/settings', { previews: 'yes' }, 400],
      ['unknown field', 'PUT', '/v1/notifications/settings', { previews: true, extra: 1 }, 400],
      [
        'metadata address',
        'PUT',
        '/v1/notifications/settings',
        { slackWebhookUrl: 'http://169.254.169.254/x' },
        400,
      ],
      ['API key has no preferences', 'PUT', '/v1/notifications/preferences', { assignedToMe: false }, 403],
    ];
    for (const [what, method, url, payload, status] of bad) {
      const res = await as(org.apiKey, method, url, payload);
      expect(res.statusCode, `${what}: ${res.body}`).toBe(status);
      expect(res.headers['content-type'], what).toContain('application/problem+json');
    }
    const metadata = await as(org.apiKey, 'PUT', '/v1/notifications/settings', {
      slackWebhookUrl: 'http://169.254.169.254/x',
    });
    expect(metadata.json().detail).toBe(
      'slackWebhookUrl points to a cloud metadata address (169.254.169.254), which tenant URLs may not reach',
    );
    expect(metadata.json().issues[0].path).toBe('body.slackWebhookUrl');
    const prefs = await agent.inOrg(org.orgId, {
      method: 'PUT',
      url: '/v1/notifications/preferences',
      payload: { waitingConversation: 'no' },
    });
    expect(prefs.statusCode).toBe(400);
    // An agent is not an admin: settings and outbox are refused.
    for (const url of ['/v1/notifications/settings', '/v1/notifications/outbox'])
      expect((await agent.inOrg(org.orgId, { method: 'GET', url })).statusCode, url).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/v1/notifications/outbox' })).statusCode).toBe(401);
    const outboxBad = await as(org.apiKey, 'GET', '/v1/notifications/outbox?cursor=nope');
    expect(outboxBad.statusCode).toBe(400);
    expect(await counts()).toEqual(before);
    expect((await as(org.apiKey, 'GET', '/v1/notifications/settings')).json()).toEqual({
      hasSlackWebhook: false,
      previews: false,
    });
  });

  it('stores the Slack webhook encrypted and write-only, audited without the URL', async () => {
    const res = await as(org.apiKey, 'PUT', '/v1/notifications/settings', { slackWebhookUrl: slack.url });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ hasSlackWebhook: true, previews: false });
    const got = await as(org.apiKey, 'GET', '/v1/notifications/settings');
    expect(got.body).not.toContain('secret-token');
    const stored = await su.query<{ c: string }>(
      'select slack_webhook_ciphertext as c from notification_settings where org_id = $1',
      [org.orgId],
    );
    expect(stored[0]!.c).not.toContain('secret-token');
    const audit = await su.query<{ action: string; metadata: unknown }>(
      "select action, metadata from audit_log where org_id = $1 and action like 'notification%'",
      [org.orgId],
    );
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain('secret-token');
    expect(audit[0]!.metadata).toMatchObject({ hasSlackWebhook: true, slackWebhookChanged: true });
  });

  it('posts each waiting conversation to Slack: link and reason, no transcript text', async () => {
    const conversationId = await handoff('I want to talk to a human. CANARY-5150');
    const rows = await settled(conversationId, 2);
    expect(rows.map((r) => [r.channel, r.status]).sort()).toEqual([
      ['email', 'sent'],
      ['slack', 'sent'],
    ]);
    const post = slack.posts.find((p) => p.body.text?.includes(conversationId));
    expect(post?.path).toBe('/services/T000/B000/secret-token');
    expect(post?.body.text).toContain('Lumen helper');
    expect(post?.body.text).toContain('the visitor asked for a person');
    expect(post?.body.text).toContain(`${CONSOLE_ORIGIN}/console/inbox/${conversationId}`);
    expect(post?.body.text).not.toContain('CANARY-5150');
  });

  it('retries a Slack post that failed, then marks it sent', async () => {
    slack.failNext(1, 503);
    const conversationId = await handoff();
    const rows = await settled(conversationId, 2);
    const slackRow = rows.find((r) => r.channel === 'slack')!;
    expect(slackRow).toMatchObject({ status: 'sent', attempts: 2, lastErrorCode: 'slack_http_503' });
    expect(slack.posts.filter((p) => p.body.text?.includes(conversationId))).toHaveLength(1);
  });

  it('keeps email in the dev outbox, newest first, in pages — for this organization only', async () => {
    const first = await handoff();
    const second = await handoff();
    await settled(second, 2);
    await settled(first, 2);
    const page1 = await as(org.apiKey, 'GET', '/v1/notifications/outbox?limit=1');
    expect(page1.statusCode, page1.body).toBe(200);
    const body1 = page1.json() as {
      messages: { to: string; text: string; status: string }[];
      nextCursor: string;
    };
    expect(body1.messages).toHaveLength(1);
    expect(body1.messages[0]).toMatchObject({ to: 'ana@example.com', status: 'sent' });
    expect(body1.messages[0]!.text).toContain(`${CONSOLE_ORIGIN}/console/inbox/${second}`);
    const page2 = await as(
      org.apiKey,
      'GET',
      `/v1/notifications/outbox?limit=1&cursor=${encodeURIComponent(body1.nextCursor)}`,
    );
    expect(page2.json().messages[0].text).toContain(`/console/inbox/${first}`);
    // Slack messages are not email: never in the outbox.
    const all = await as(org.apiKey, 'GET', '/v1/notifications/outbox?limit=100');
    expect(all.json().messages.every((m: { to: string }) => m.to === 'ana@example.com')).toBe(true);

    // Another organization: an empty outbox and its own default settings.
    const theirs = await as(other.apiKey, 'GET', '/v1/notifications/outbox');
    expect(theirs.json()).toEqual({ messages: [], nextCursor: null });
    expect((await as(other.apiKey, 'GET', '/v1/notifications/settings')).json()).toEqual({
      hasSlackWebhook: false,
      previews: false,
    });
    // The agent cannot reach org A's data by naming another org it does not belong to.
    const cross = await agent.inOrg(other.orgId, { method: 'GET', url: '/v1/notifications/preferences' });
    expect([401, 403, 404]).toContain(cross.statusCode);
  });

  it('removes the webhook with null', async () => {
    const res = await as(org.apiKey, 'PUT', '/v1/notifications/settings', { slackWebhookUrl: null });
    expect(res.json()).toEqual({ hasSlackWebhook: false, previews: false });
    const conversationId = await handoff();
    const rows = await settled(conversationId, 1);
    expect(rows.map((r) => r.channel)).toEqual(['email']);
  });
});
