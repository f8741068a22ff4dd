import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../../platform/db/schema/index.js';
import { withTenant } from '../../../platform/db/tenancy.js';
import { testDatabaseKinds } from '../../../platform/db/test-database.js';
import { createTestApp, type TestApp } from '../../../testing/test-app.js';
import {
  createWidgetOrg,
  listen,
  SITE,
  sendMessage,
  startConversation,
} from '../../conversations/testing/widget-fixture.js';

/** The retention API: defaults, bounds, "keep" only where allowed, reseller caps, legal holds. */
describe.each(testDatabaseKinds)('retention settings on %s', (kind) => {
  let t: TestApp;
  let base: string;
  const call = (key: string, method: 'GET' | 'PUT' | 'POST' | 'DELETE', url: string, payload?: object) =>
    t.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${key}` },
      ...(payload ? { payload } : {}),
    });
  const rule = (body: { rules: { category: string }[] }, category: string) =>
    body.rules.find((r) => r.category === category) as Record<string, unknown>;

  beforeAll(async () => {
    t = await createTestApp({ kind });
    base = await listen(t);
  });
  afterAll(() => t?.close());

  it('starts from the defaults and validates every rule', async () => {
    const { apiKey } = await t.createOrg('Bounds');
    const initial = await call(apiKey, 'GET', '/v1/privacy/retention');
    expect(initial.statusCode, initial.body).toBe(200);
    expect(rule(initial.json(), 'transcripts')).toMatchObject({
      days: 30,
      isDefault: true,
      effectiveDays: 30,
      keepAllowed: false,
      maxDays: null,
    });
    expect(initial.json().rules.map((r: { category: string }) => r.category)).toEqual([
      'transcripts',
      'contacts',
      'notification_outbox',
      'model_calls',
      'job_payloads',
      'recordings',
      'call_transcripts',
    ]);

    for (const rules of [
      [{ category: 'transcripts', days: 0 }],
      [{ category: 'transcripts', days: 3651 }],
      [{ category: 'transcripts', days: 1.5 }],
      [{ category: 'transcripts', days: '30' }],
      [{ category: 'transcripts', days: null }],
      [{ category: 'contacts', days: null }],
      [{ category: 'logs', days: 5 }],
      [
        { category: 'transcripts', days: 5 },
        { category: 'transcripts', days: 6 },
      ],
      [],
    ]) {
      const res = await call(apiKey, 'PUT', '/v1/privacy/retention', { rules });
      expect(res.statusCode, JSON.stringify(rules)).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    // Nothing was stored by the refused requests.
    expect(rule((await call(apiKey, 'GET', '/v1/privacy/retention')).json(), 'transcripts')).toMatchObject({
      isDefault: true,
    });

    const saved = await call(apiKey, 'PUT', '/v1/privacy/retention', {
      rules: [
        { category: 'transcripts', days: 3650 },
        { category: 'model_calls', days: null },
        { category: 'contacts', days: 1 },
      ],
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(rule(saved.json(), 'transcripts')).toMatchObject({
      days: 3650,
      isDefault: false,
      effectiveDays: 3650,
    });
    expect(rule(saved.json(), 'model_calls')).toMatchObject({ days: null, effectiveDays: null });
    expect(rule(saved.json(), 'contacts')).toMatchObject({ days: 1 });
    expect(rule(saved.json(), 'job_payloads')).toMatchObject({ days: 7, isDefault: true });
  });

  it('is for admins, and audits ids, categories and days only', async () => {
    const { orgId, apiKey } = await t.createOrg('Roles');
    const agentKey = (await call(apiKey, 'POST', '/v1/api-keys', { name: 'ops', role: 'agent' })).json().key;
    expect((await call(agentKey, 'GET', '/v1/privacy/retention')).statusCode).toBe(403);
    expect(
      (
        await call(agentKey, 'PUT', '/v1/privacy/retention', {
          rules: [{ category: 'transcripts', days: 5 }],
        })
      ).statusCode,
    ).toBe(403);
    expect((await call(agentKey, 'POST', '/v1/privacy/retention/run?dryRun=true')).statusCode).toBe(403);
    await call(apiKey, 'PUT', '/v1/privacy/retention', { rules: [{ category: 'transcripts', days: 14 }] });
    const entries = await withTenant(t.database, [orgId], (tx) =>
      tx
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.orgId, orgId), eq(auditLog.action, 'privacy.retention.updated'))),
    );
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      targetId: 'transcripts',
      metadata: { category: 'transcripts', days: 14 },
    });
  });

  it('lets a reseller cap its clients; a rule above the cap is refused and the minimum applies', async () => {
    const reseller = await t.createOrg('Reseller', 'reseller');
    const created = await call(reseller.apiKey, 'POST', '/v1/orgs', { name: 'Client' });
    expect(created.statusCode, created.body).toBe(201);
    const client = created.json() as { orgId: string; apiKey: string };
    await call(client.apiKey, 'PUT', '/v1/privacy/retention', {
      rules: [
        { category: 'transcripts', days: 60 },
        { category: 'model_calls', days: null },
      ],
    });

    const capped = await call(reseller.apiKey, 'PUT', `/v1/orgs/${client.orgId}/retention-limits`, {
      limits: [
        { category: 'transcripts', maxDays: 14 },
        { category: 'model_calls', maxDays: 90 },
      ],
    });
    expect(capped.statusCode, capped.body).toBe(200);
    expect(capped.json().limits).toEqual(
      expect.arrayContaining([
        { category: 'transcripts', maxDays: 14 },
        { category: 'contacts', maxDays: null },
      ]),
    );
    const view = (await call(client.apiKey, 'GET', '/v1/privacy/retention')).json();
    expect(rule(view, 'transcripts')).toMatchObject({ days: 60, maxDays: 14, effectiveDays: 14 });
    expect(rule(view, 'model_calls')).toMatchObject({ days: null, maxDays: 90, effectiveDays: 90 });

    const above = await call(client.apiKey, 'PUT', '/v1/privacy/retention', {
      rules: [{ category: 'transcripts', days: 20 }],
    });
    expect(above.statusCode).toBe(400);
    expect(above.json().detail).toContain('at most 14 days');
    expect(above.json().issues).toEqual([{ path: 'rules.0.days', message: expect.stringContaining('14') }]);
    const keep = await call(client.apiKey, 'PUT', '/v1/privacy/retention', {
      rules: [{ category: 'model_calls', days: null }],
    });
    expect(keep.statusCode).toBe(400);
    const within = await call(client.apiKey, 'PUT', '/v1/privacy/retention', {
      rules: [{ category: 'transcripts', days: 10 }],
    });
    expect(rule(within.json(), 'transcripts')).toMatchObject({ effectiveDays: 10 });

    // The widget tells visitors the period that is really enforced.
    const agent = await call(client.apiKey, 'POST', '/v1/agents', { name: 'Helper', allowedOrigins: [SITE] });
    const config = await fetch(`${base}/v1/widget/config?agentKey=${agent.json().publishableKey}`, {
      headers: { origin: SITE },
    });
    expect((await config.json()).storageNotice).toContain('deleted 10 days after the last message');

    // Only the parent (or the platform) may cap; not the client itself, not another org.
    const stranger = await t.createOrg('Stranger');
    for (const key of [client.apiKey, stranger.apiKey]) {
      const res = await call(key, 'PUT', `/v1/orgs/${client.orgId}/retention-limits`, {
        limits: [{ category: 'transcripts', maxDays: 365 }],
      });
      expect(res.statusCode).toBe(404);
    }
    const platform = await call(t.platformKey, 'PUT', `/v1/orgs/${client.orgId}/retention-limits`, {
      limits: [{ category: 'transcripts', maxDays: 7 }],
    });
    expect(platform.statusCode, platform.body).toBe(200);
    expect(
      rule((await call(client.apiKey, 'GET', '/v1/privacy/retention')).json(), 'transcripts'),
    ).toMatchObject({
      maxDays: 7,
      effectiveDays: 7,
    });
    const removed = await call(reseller.apiKey, 'PUT', `/v1/orgs/${client.orgId}/retention-limits`, {
      limits: [{ category: 'transcripts', maxDays: null }],
    });
    expect(removed.json().limits).toContainEqual({ category: 'transcripts', maxDays: null });
    const bad = await call(reseller.apiKey, 'PUT', `/v1/orgs/${client.orgId}/retention-limits`, {
      limits: [{ category: 'transcripts', maxDays: 0 }],
    });
    expect(bad.statusCode).toBe(400);
  });

  it('places and lifts legal holds (admin), with the reason kept out of the audit log', async () => {
    const org = await createWidgetOrg(t, 'Holds', {}, []);
    const c = await startConversation(base, org.agentKey);
    await (
      await sendMessage(base, c.conversationId, c.token, { text: 'Hello', clientMessageId: 'm1' })
    ).text();
    const url = `/v1/conversations/${c.conversationId}/hold`;
    const agentKey = (await call(org.apiKey, 'POST', '/v1/api-keys', { name: 'ops', role: 'agent' })).json()
      .key;
    expect((await call(agentKey, 'POST', url, { reason: 'Dispute 42' })).statusCode).toBe(403);
    expect((await call(org.apiKey, 'POST', url, { reason: '   ' })).statusCode).toBe(400);
    expect((await call(org.apiKey, 'POST', url, {})).statusCode).toBe(400);
    expect(
      (await call(org.apiKey, 'POST', `/v1/conversations/${crypto.randomUUID()}/hold`, { reason: 'x' }))
        .statusCode,
    ).toBe(404);

    const placed = await call(org.apiKey, 'POST', url, { reason: 'Dispute 42' });
    expect(placed.statusCode, placed.body).toBe(200);
    expect(placed.json()).toMatchObject({ reason: 'Dispute 42' });
    const detail = await call(org.apiKey, 'GET', `/v1/conversations/${c.conversationId}`);
    expect(detail.json().legalHold).toMatchObject({ reason: 'Dispute 42' });

    expect((await call(org.apiKey, 'DELETE', url)).statusCode).toBe(204);
    expect(
      (await call(org.apiKey, 'GET', `/v1/conversations/${c.conversationId}`)).json().legalHold,
    ).toBeNull();
    const entries = await withTenant(t.database, [org.orgId], (tx) =>
      tx.select().from(auditLog).where(eq(auditLog.targetId, c.conversationId)),
    );
    const holdEntries = entries.filter((e) => e.action.startsWith('conversation.legal_hold'));
    expect(holdEntries.map((e) => e.action)).toEqual([
      'conversation.legal_hold_placed',
      'conversation.legal_hold_lifted',
    ]);
    expect(JSON.stringify(holdEntries)).not.toContain('Dispute');
  });
});
