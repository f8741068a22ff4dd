import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../../platform/db/query-rows.js';
import { notifications } from '../../../platform/db/schema/index.js';
import { withTenant } from '../../../platform/db/tenancy.js';
import { testDatabaseKinds } from '../../../platform/db/test-database.js';
import { scanForResidue } from '../../../testing/residue-scan.js';
import { createTestApp, type TestApp } from '../../../testing/test-app.js';
import { readEvents } from '../../conversations/testing/sse-client.js';
import {
  createWidgetOrg,
  listen,
  SITE,
  sendMessage,
  startConversation,
} from '../../conversations/testing/widget-fixture.js';
import { ageConversation } from './testing/age-conversation.js';

/**
 * Measured proof of the retention promise: unique canaries go in through the public widget API
 * (message text, an email address left with consent) and the operator API (a reply emailed to
 * that address: a notification and its delivery job); the conversation ages past the period;
 * after a purge run, no table of any schema, no file under the data dir and no log line holds
 * any of them.
 */
describe.each(testDatabaseKinds)('retention canary on %s', (kind) => {
  let t: TestApp;
  let base: string;
  let logs = '';
  const suffix = Math.random().toString(36).slice(2, 8);
  const needles = {
    text: `canary-rtext-${suffix}`,
    email: `canary-rmail-${suffix}@example.com`,
    reply: `canary-rreply-${suffix}`,
  };

  beforeAll(async () => {
    t = await createTestApp({
      kind,
      env: { LOG_LEVEL: 'debug' },
      logStream: {
        write: (line) => {
          logs += line;
        },
      },
    });
    base = await listen(t);
  });
  afterAll(() => t?.close());

  it('leaves no trace of a purged conversation anywhere', async () => {
    const org = await createWidgetOrg(t, 'Canary', {}, []);
    const admin = (method: 'GET' | 'POST', url: string, payload?: object) =>
      t.app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${org.apiKey}` },
        ...(payload ? { payload } : {}),
      });
    const c = await startConversation(base, org.agentKey);
    await readEvents(
      await sendMessage(base, c.conversationId, c.token, {
        text: `Please help, my reference is ${needles.text}`,
        clientMessageId: 'm1',
      }),
    );
    const contact = await fetch(`${base}/v1/widget/conversations/${c.conversationId}/contact`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${c.token}`, origin: SITE },
      body: JSON.stringify({ email: needles.email, consent: true, purpose: 'reply_by_email' }),
    });
    expect(contact.status).toBe(204);
    const reply = await admin('POST', `/v1/conversations/${c.conversationId}/messages`, {
      text: `We found it: ${needles.reply}`,
    });
    expect(reply.statusCode, reply.body).toBe(201);
    // Wait until the reply email was delivered (to the dev outbox), so its job row exists.
    for (let i = 0; i < 200; i++) {
      const [row] = await withTenant(t.database, [org.orgId], (tx) =>
        tx.select().from(notifications).where(eq(notifications.conversationId, c.conversationId)),
      );
      if (row?.status === 'sent') break;
      await new Promise((r) => setTimeout(r, 50));
    }

    // The scanner sees the canaries before the purge (it can fail).
    const before = await scanForResidue({ database: t.database, dataDir: t.config.dataDir, logs }, [
      needles.text,
      needles.email,
      needles.reply,
    ]);
    expect(before.map((r) => r.where)).toEqual(
      expect.arrayContaining([
        'public.messages.content',
        'public.visitor_contacts.email',
        'public.notifications.body',
        'public.events.payload',
      ]),
    );

    await ageConversation(t.database, org.orgId, c.conversationId, 31);
    const run = await admin('POST', '/v1/privacy/retention/run');
    expect(run.statusCode).toBe(202);
    for (let i = 0; i < 200; i++) {
      const res = await admin('GET', `/v1/privacy/retention/runs/${run.json().runId}`);
      if (res.json().state === 'completed') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect((await admin('GET', `/v1/conversations/${c.conversationId}`)).statusCode).toBe(404);

    const residue = await scanForResidue({ database: t.database, dataDir: t.config.dataDir, logs }, [
      needles.text,
      needles.email,
      needles.reply,
    ]);
    expect(residue).toEqual([]);
    // And the run itself is on record, with counts.
    const [entry] = await withTenant(t.database, [org.orgId], (tx) =>
      queryRows<{ n: number }>(
        tx,
        sql`select count(*)::int as n from audit_log where action = 'privacy.retention.purged'`,
      ),
    );
    expect(entry!.n).toBeGreaterThan(0);
  });
});
