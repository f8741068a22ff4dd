import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKinds } from '../../../platform/db/test-database.js';
import { scanForResidue } from '../../../testing/residue-scan.js';
import { createTestApp, type TestApp } from '../../../testing/test-app.js';
import { type FakeOpenAi, startFakeOpenAi } from '../../answers/testing/fake-openai.js';
import { createUserWithMembership } from '../../auth/service.js';
import { createWidgetOrg, listen, type WidgetOrg } from '../../conversations/testing/widget-fixture.js';
import {
  canariesFor,
  issueIdentitySecret,
  needlesOf,
  runPrivacyRequest,
  seedSubject,
} from '../testing/subject-fixture.js';

/**
 * The measured proof of erasure: a subject seeded through the public API (widget messages with
 * canary text and a phone number, a model answer through a local OpenAI-compatible server, a
 * verified identity, a consented contact email, a handoff that notifies an operator with chat
 * previews on, an operator reply emailed to the visitor), then an erasure by email; afterwards
 * the residue scan finds none of the subject's canaries in any column of any table of any schema
 * (the job queue's included), any file under the data dir, or the logs — while a second subject's
 * canaries are all still there.
 */
describe.each(testDatabaseKinds)('erasure leaves no residue on %s', (kind) => {
  let fake: FakeOpenAi;
  let t: TestApp;
  let base: string;
  let org: WidgetOrg;
  let secret: string;
  let logs = '';

  beforeAll(async () => {
    fake = await startFakeOpenAi({
      deltas: ['Thanks! Your order ships soon [1].'],
      usage: { prompt_tokens: 10, completion_tokens: 5 },
    });
    t = await createTestApp({
      kind,
      env: { CONFIDANT_ALLOW_PRIVATE_NETWORKS: 'true', LOG_LEVEL: 'info' },
      logStream: {
        write: (line) => {
          logs += line;
        },
      },
    });
    org = await createWidgetOrg(t, 'Lumen', { answerMode: 'model' });
    const headers = { authorization: `Bearer ${org.apiKey}` };
    const provider = await t.app.inject({
      method: 'PUT',
      url: '/v1/model-provider',
      headers,
      payload: { baseUrl: fake.baseUrl, model: 'fake-model', apiKey: 'sk-test-123' },
    });
    expect(provider.statusCode).toBe(200);
    // Operators are told about waiting conversations, with chat text quoted (previews on).
    await createUserWithMembership(t, {
      email: 'olga@lumen.test',
      password: 'a long enough password',
      name: 'Olga',
      orgId: org.orgId,
      role: 'admin',
    });
    const settings = await t.app.inject({
      method: 'PUT',
      url: '/v1/notifications/settings',
      headers,
      payload: { previews: true },
    });
    expect(settings.statusCode).toBe(200);
    secret = await issueIdentitySecret(t, org.apiKey, org.agentId);
    base = await listen(t);
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  it('erases every trace of the subject and nothing of anyone else', async () => {
    const subject = canariesFor(`s${kind.slice(0, 2)}1`, 1);
    const other = canariesFor(`o${kind.slice(0, 2)}2`, 2);
    await seedSubject(t, base, org, secret, subject, { handoff: true });
    await seedSubject(t, base, org, secret, other, { handoff: true });
    // An export of the subject first: its (encrypted) file must go with the erasure too.
    const exported = await runPrivacyRequest(t, org.apiKey, {
      type: 'export',
      subject: { email: subject.contactEmail },
    });
    expect(exported.status).toBe('completed');

    const before = await scanForResidue({ database: t.database, dataDir: t.config.dataDir, logs }, [
      ...needlesOf(subject),
    ]);
    // The scan can fail: before erasure the canaries are where the API put them.
    expect(before.map((r) => r.where)).toEqual(
      expect.arrayContaining([
        'public.messages.content',
        'public.events.payload',
        'public.visitor_contacts.email',
        'public.notifications.body',
      ]),
    );

    const erased = await runPrivacyRequest(t, org.apiKey, {
      type: 'erasure',
      subject: { email: subject.contactEmail },
    });
    expect(erased.status).toBe('completed');
    expect(erased.counts).toMatchObject({
      conversations: 1,
      visitor_contacts: 1,
      visitor_identities: 1,
      privacy_exports: 1,
    });
    expect(erased.counts.messages).toBeGreaterThanOrEqual(4);
    expect(erased.counts.notifications).toBeGreaterThanOrEqual(2);
    expect(erased.counts.model_calls).toBeGreaterThanOrEqual(1);
    // The notifications' delivery jobs (pg-boss rows that name them) went too.
    expect(erased.counts['pgboss.jobs']).toBeGreaterThanOrEqual(1);
    expect(erased.counts.events).toBeGreaterThanOrEqual(1);

    const residue = await scanForResidue({ database: t.database, dataDir: t.config.dataDir, logs }, [
      ...needlesOf(subject),
    ]);
    expect(residue).toEqual([]);

    // The other subject is untouched: its canaries are all still there (identity values are
    // stored encrypted, so they are found by no scan at any time).
    const kept = await scanForResidue({ database: t.database, dataDir: t.config.dataDir, logs }, [
      ...needlesOf(other),
    ]);
    expect(new Set(kept.map((r) => r.needle))).toEqual(
      new Set([other.message, other.phone, other.contactEmail, other.reply]),
    );
  });
});
