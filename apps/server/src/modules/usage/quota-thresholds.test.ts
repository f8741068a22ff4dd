import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKinds } from '../../platform/db/test-database.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { createUserWithMembership } from '../auth/service.js';
import { dataOf, readEvents, streamedText } from '../conversations/testing/sse-client.js';
import {
  createWidgetOrg,
  listen,
  sendMessage,
  startConversation,
  type WidgetOrg,
} from '../conversations/testing/widget-fixture.js';

/**
 * The 80% / 100% notices reach an org whose agents never call a model: every answered visitor
 * message counts towards monthlyMessages, and crossing a threshold is announced at the message
 * that crosses it. Past 100% such an org keeps being answered (extractively, as always).
 */
describe.each(testDatabaseKinds)('usage thresholds without a model on %s', (kind) => {
  let t: TestApp;
  let base: string;
  let org: WidgetOrg;
  let n = 0;
  const as = (method: 'GET' | 'PUT', url: string, payload?: object) =>
    t.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${org.apiKey}` },
      ...(payload ? { payload } : {}),
    });
  const ask = async () => {
    const c = await startConversation(base, org.agentKey);
    return readEvents(
      await sendMessage(base, c.conversationId, c.token, {
        text: 'How do I reset my password?',
        clientMessageId: `q${++n}`,
      }),
    );
  };
  const thresholdMails = async () =>
    (
      (await as('GET', '/v1/notifications/outbox?limit=50')).json().messages as {
        kind: string;
        subject: string;
      }[]
    )
      .filter((m) => m.kind === 'usage_threshold')
      .map((m) => m.subject);

  beforeAll(async () => {
    t = await createTestApp({ kind });
    org = await createWidgetOrg(t, 'Lumen', { answerMode: 'extractive' });
    await createUserWithMembership(t, {
      email: 'owner@lumen.test',
      password: 'correct horse battery staple',
      name: 'Olga',
      orgId: org.orgId,
      role: 'owner',
    });
    base = await listen(t);
  });
  afterAll(() => t?.close());

  it('announces 80% and 100% of monthlyMessages at the messages that cross them, and keeps answering', async () => {
    // Two messages per answered question (the visitor's and the answer): 80% at the 4th, 100% at the 5th.
    await ask();
    const set = await as('PUT', '/v1/usage/limits', { monthlyMessages: 10 });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json().month.used.messages).toBe(2);

    await ask();
    await ask();
    expect(await thresholdMails()).toEqual([]);
    await ask();
    expect(await thresholdMails()).toEqual([expect.stringContaining('80%')]);
    await ask();
    const mails = await thresholdMails();
    expect(mails).toHaveLength(2);
    expect(mails).toEqual(expect.arrayContaining([expect.stringContaining('limit reached')]));

    // Past 100%: still answered, with citations; announced once.
    const events = await ask();
    expect(streamedText(events).length).toBeGreaterThan(0);
    expect(dataOf<{ citations: unknown[] }>(events, 'citations')!.citations.length).toBeGreaterThan(0);
    expect(await thresholdMails()).toHaveLength(2);
    const usage = (await as('GET', '/v1/usage/limits')).json();
    expect(usage.month.used.messages).toBe(12);
    expect(usage.month.percent).toBe(120);

    const audit = (await as('GET', '/v1/audit?limit=50')).json().entries as {
      action: string;
      metadata: { threshold?: number };
    }[];
    expect(
      audit
        .filter((e) => e.action === 'usage.threshold_reached')
        .map((e) => e.metadata.threshold)
        .sort((a, b) => (a ?? 0) - (b ?? 0)),
    ).toEqual([80, 100]);
  });
});
