import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataMap } from '../../../platform/db/data-map.js';
import { queryRows } from '../../../platform/db/query-rows.js';
import {
  auditLog,
  expiringCategories,
  modelCalls,
  notifications,
} from '../../../platform/db/schema/index.js';
import { withTenant } from '../../../platform/db/tenancy.js';
import { testDatabaseKinds } from '../../../platform/db/test-database.js';
import { createTestApp, type TestApp } from '../../../testing/test-app.js';
import { readEvents } from '../../conversations/testing/sse-client.js';
import {
  createWidgetOrg,
  listen,
  SITE,
  sendMessage,
  startConversation,
  type WidgetOrg,
} from '../../conversations/testing/widget-fixture.js';
import { purgeOrganization } from './purge.js';
import { handlePurgeRetention } from './purge-job.js';
import { purgePlan } from './purge-plan.js';
import { ageConversation } from './testing/age-conversation.js';

const TENANT_TABLES = [
  'conversations',
  'messages',
  'events',
  'conversation_reads',
  'visitor_contacts',
  'notifications',
  'model_calls',
  'daily_aggregates',
  'audit_log',
];

/**
 * The retention purge end to end: conversations aged in the database (a test clock), a dry run
 * that changes nothing, a queued run that removes what is past its period (with everything that
 * hangs off it, including the job queue's rows) while newer and held conversations stay, and
 * Usage numbers that do not change when their conversations go.
 */
describe.each(testDatabaseKinds)('the retention purge on %s', (kind) => {
  let t: TestApp;
  let base: string;
  let org: WidgetOrg;
  const call = (method: 'GET' | 'PUT' | 'POST' | 'DELETE', url: string, payload?: object) =>
    t.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${org.apiKey}` },
      ...(payload ? { payload } : {}),
    });
  const chat = async (text: string) => {
    const c = await startConversation(base, org.agentKey);
    await readEvents(await sendMessage(base, c.conversationId, c.token, { text, clientMessageId: 'm1' }));
    return c;
  };
  const rowCounts = () =>
    withTenant(t.database, [org.orgId], async (tx) => {
      const out: Record<string, number> = {};
      for (const table of TENANT_TABLES) {
        const [row] = await queryRows<{ n: number }>(
          tx,
          sql`select count(*)::int as n from ${sql.identifier(table)} where org_id = ${org.orgId}`,
        );
        out[table] = row?.n ?? 0;
      }
      return out;
    });
  const jobsNaming = async (id: string) =>
    (
      await queryRows<{ n: number }>(
        t.database.db,
        sql`select count(*)::int as n from pgboss.job j
             where exists (select 1 from jsonb_each_text(j.data) kv where kv.value = ${id})`,
      )
    )[0]!.n;
  const waitFor = async (what: string, check: () => Promise<boolean>) => {
    for (let i = 0; i < 200; i++) {
      if (await check()) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`timed out waiting for ${what}`);
  };

  beforeAll(async () => {
    t = await createTestApp({ kind });
    org = await createWidgetOrg(t, 'Lumen', {}, []);
    base = await listen(t);
  });
  afterAll(() => t?.close());

  it('reads its tables from the data map', () => {
    const plan = purgePlan();
    expect(plan.anchor).toMatchObject({ table: 'conversations', category: 'transcripts' });
    expect(plan.followers.map((f) => f.table).sort()).toEqual(
      [
        'action_calls',
        'captured_values',
        'consent_records',
        'conversation_ratings',
        'conversation_reads',
        'events',
        'messages',
        'notifications',
        'visitor_contacts',
        'visitor_identities',
        'voice_recordings',
      ].sort(),
    );
    expect(plan.aged.map((a) => [a.table, a.category]).sort()).toEqual(
      [
        ['action_calls', 'transcripts'],
        ['call_coaching', 'call_transcripts'],
        ['call_metrics', 'call_transcripts'],
        ['call_recordings', 'recordings'],
        ['call_scores', 'call_transcripts'],
        ['call_segments', 'call_transcripts'],
        ['calls', 'call_transcripts'],
        ['captured_values', 'contacts'],
        ['consent_records', 'contacts'],
        ['events', 'transcripts'],
        ['model_calls', 'model_calls'],
        ['notifications', 'notification_outbox'],
        ['visitor_contacts', 'contacts'],
        ['voice_recordings', 'recordings'],
      ].sort(),
    );
    expect(plan.references).toEqual([{ table: 'model_calls', column: 'conversation_id', action: 'null' }]);

    // Every table holding data of an expiring category is reached by the purge, so a new table
    // cannot declare "transcripts" (or any period) without the purge deleting it.
    const reached = new Set([
      plan.anchor.table,
      ...plan.followers.map((f) => f.table),
      ...plan.aged.map((a) => a.table),
    ]);
    const expiring = new Set<string>(expiringCategories);
    const unreached = Object.entries(dataMap)
      .filter(([, policy]) => Object.values(policy.columns).some((c) => expiring.has(c.retention)))
      .map(([table]) => table)
      .filter((table) => !reached.has(table));
    expect(unreached).toEqual([]);
  });

  it('purges what is past its period, keeps newer and held conversations, and keeps the numbers', async () => {
    // Model-call records expire with the transcripts here, so their tokens are rolled up too.
    await call('PUT', '/v1/privacy/retention', { rules: [{ category: 'model_calls', days: 30 }] });

    // An old conversation with a handoff, a contact left with consent, an operator reply (emailed
    // to the visitor: a notification and its delivery job) and a metered model call.
    const old = await chat('I want to talk to a human');
    const contact = await fetch(`${base}/v1/widget/conversations/${old.conversationId}/contact`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${old.token}`, origin: SITE },
      body: JSON.stringify({ email: 'ada@example.com', consent: true, purpose: 'reply_by_email' }),
    });
    expect(contact.status).toBe(204);
    const reply = await call('POST', `/v1/conversations/${old.conversationId}/messages`, {
      text: 'Hello Ada',
    });
    expect(reply.statusCode, reply.body).toBe(201);
    await withTenant(t.database, [org.orgId], (tx) =>
      tx.insert(modelCalls).values({
        orgId: org.orgId,
        conversationId: old.conversationId,
        purpose: 'answer',
        model: 'gpt-4o-mini',
        inputTokens: 120,
        outputTokens: 45,
        costUsd: 0.000045,
        outcome: 'ok',
      }),
    );
    const [notification] = await withTenant(t.database, [org.orgId], (tx) =>
      tx.select().from(notifications).where(eq(notifications.conversationId, old.conversationId)),
    );
    expect(notification).toBeDefined();
    await waitFor('the reply email job', async () => (await jobsNaming(notification!.id)) > 0);

    const quiet = await chat('How long does shipping take?');
    const held = await chat('Keep this one');
    const fresh = await chat('A new question');
    for (const c of [old, quiet, held]) await ageConversation(t.database, org.orgId, c.conversationId, 40);
    expect(
      (await call('POST', `/v1/conversations/${held.conversationId}/hold`, { reason: 'Dispute' })).statusCode,
    ).toBe(200);

    const usageBefore = (await call('GET', '/v1/usage/daily?days=60')).json();
    const reports = async () => {
      const out: Record<string, unknown> = {};
      for (const groupBy of ['day', 'agent', 'model', 'provider'])
        out[groupBy] = (
          await call('GET', `/v1/usage?groupBy=${groupBy}&from=${usageBefore.days[0].day}`)
        ).json();
      return out;
    };
    const reportsBefore = await reports();
    expect((reportsBefore.model as { totals: object }).totals).toMatchObject({
      tokensIn: 120,
      costUsd: 0.000045,
      conversations: 4,
    });
    const oldDay = usageBefore.days.find((d: { conversations: number }) => d.conversations > 0);
    // Without knowledge every question is handed off (low confidence); one got an operator reply.
    expect(oldDay).toMatchObject({
      conversations: 3,
      resolvedWithoutPerson: 2,
      tokensIn: 120,
      tokensOut: 45,
    });
    expect(oldDay.handoffs).toBeGreaterThanOrEqual(1);
    expect(oldDay.medianFirstResponseSeconds).not.toBeNull();

    // Dry run: what would go, nothing changed.
    const countsBefore = await rowCounts();
    const jobRowsBefore = await jobsNaming(notification!.id);
    const preview = await call('POST', '/v1/privacy/retention/run?dryRun=true');
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json().counts).toMatchObject({
      conversations: 2,
      visitor_contacts: 1,
      notifications: 1,
      model_calls: 1,
    });
    expect(preview.json().counts.messages).toBeGreaterThanOrEqual(4);
    expect(preview.json().counts['pgboss.job']).toBeGreaterThanOrEqual(1);
    expect(await rowCounts()).toEqual(countsBefore);
    expect(await jobsNaming(notification!.id)).toBe(jobRowsBefore);

    // The real run, through the queue.
    const run = await call('POST', '/v1/privacy/retention/run');
    expect(run.statusCode, run.body).toBe(202);
    const { runId } = run.json();
    await waitFor('the purge run', async () => {
      const res = await call('GET', `/v1/privacy/retention/runs/${runId}`);
      return res.json().state === 'completed';
    });

    for (const c of [old, quiet]) {
      expect((await call('GET', `/v1/conversations/${c.conversationId}`)).statusCode).toBe(404);
    }
    for (const c of [held, fresh]) {
      expect((await call('GET', `/v1/conversations/${c.conversationId}`)).statusCode).toBe(200);
    }
    const countsAfter = await rowCounts();
    expect(countsAfter.conversations).toBe(countsBefore.conversations! - 2);
    expect(countsAfter.visitor_contacts).toBe(countsBefore.visitor_contacts! - 1);
    expect(countsAfter.notifications).toBe(countsBefore.notifications! - 1);
    expect(countsAfter.model_calls).toBe(0);
    expect(await jobsNaming(notification!.id)).toBe(0);
    expect(await jobsNaming(old.conversationId)).toBe(0);

    // The same numbers for that day, now from the aggregates.
    expect((await call('GET', '/v1/usage/daily?days=60')).json()).toEqual(usageBefore);
    expect(await reports()).toEqual(reportsBefore);

    // The run's counts are in the audit chain (ids and numbers only).
    const entries = await withTenant(t.database, [org.orgId], (tx) =>
      tx
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.orgId, org.orgId), eq(auditLog.action, 'privacy.retention.purged'))),
    );
    const purged = entries.find((e) => e.targetId === runId && 'conversations' in e.metadata);
    expect(purged?.metadata).toMatchObject({ conversations: 2, visitor_contacts: 1, notifications: 1 });
    expect(purged?.actorType).toBe('system');
    expect(JSON.stringify(entries)).not.toContain('ada@example.com');

    // Lifting the hold lets the next run take the held conversation too.
    expect((await call('DELETE', `/v1/conversations/${held.conversationId}/hold`)).statusCode).toBe(204);
    const next = await call('POST', '/v1/privacy/retention/run?dryRun=true');
    expect(next.json().counts).toMatchObject({ conversations: 1 });
    const again = await call('POST', '/v1/privacy/retention/run');
    await waitFor('the second run', async () => {
      const res = await call('GET', `/v1/privacy/retention/runs/${again.json().runId}`);
      return res.json().state === 'completed';
    });
    expect((await call('GET', `/v1/conversations/${held.conversationId}`)).statusCode).toBe(404);
    expect((await call('GET', `/v1/conversations/${fresh.conversationId}`)).statusCode).toBe(200);
    expect((await call('GET', '/v1/usage/daily?days=60')).json()).toEqual(usageBefore);
    expect(await reports()).toEqual(reportsBefore);
  });
  it('works in batches, each one on record, and removes finished jobs past their period', async () => {
    const other = await createWidgetOrg(t, 'Batches', {}, []);
    const asOther = (method: 'GET' | 'POST', url: string) =>
      t.app.inject({ method, url, headers: { authorization: `Bearer ${other.apiKey}` } });
    const ids: string[] = [];
    for (const text of ['one', 'two', 'three']) {
      const c = await startConversation(base, other.agentKey);
      await readEvents(await sendMessage(base, c.conversationId, c.token, { text, clientMessageId: 'm1' }));
      await ageConversation(t.database, other.orgId, c.conversationId, 31);
      ids.push(c.conversationId);
    }
    // A finished job of this org, 8 days old (job payloads are kept 7 days by default).
    await t.jobs.createQueue('retention-test', {});
    const jobId = await t.jobs.send('retention-test', { orgId: other.orgId, sourceId: crypto.randomUUID() });
    await t.database.db.execute(
      sql`update pgboss.job set state = 'completed', completed_on = now() - interval '8 days' where id = ${jobId}`,
    );
    const usageBefore = (await asOther('GET', '/v1/usage/daily?days=40')).json();

    // Batches of one conversation: each is its own transaction with its own audit entry.
    const result = await purgeOrganization(t, other.orgId, { batchSize: 1, runId: crypto.randomUUID() });
    expect(result.counts.conversations).toBe(3);
    expect(result.counts['pgboss.job']).toBeGreaterThanOrEqual(1);
    const [job] = await queryRows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from pgboss.job where id = ${jobId}`,
    );
    expect(job!.n).toBe(0);
    const entries = await withTenant(t.database, [other.orgId], (tx) =>
      tx.select().from(auditLog).where(eq(auditLog.action, 'privacy.retention.purged')),
    );
    const perBatch = entries.filter((e) => 'conversations' in e.metadata);
    expect(perBatch.map((e) => e.metadata.conversations)).toEqual([1, 1, 1]);
    expect(entries.some((e) => 'pgboss.job' in e.metadata)).toBe(true);
    for (const id of ids) expect((await asOther('GET', `/v1/conversations/${id}`)).statusCode).toBe(404);
    expect((await asOther('GET', '/v1/usage/daily?days=40')).json()).toEqual(usageBefore);

    // Nothing is left: the sweep over every org finds nothing more here.
    await handlePurgeRetention(t, {}, { jobId: crypto.randomUUID(), signal: new AbortController().signal });
    const after = await asOther('POST', '/v1/privacy/retention/run?dryRun=true');
    expect(after.json().counts).toEqual({});
  });
  it('never counts a conversation twice when two runs overlap', async () => {
    const other = await createWidgetOrg(t, 'Overlap', {}, []);
    const usage = () =>
      t.app
        .inject({
          method: 'GET',
          url: '/v1/usage/daily?days=40',
          headers: { authorization: `Bearer ${other.apiKey}` },
        })
        .then((r) => r.json());
    for (const text of ['a', 'b', 'c', 'd', 'e']) {
      const c = await startConversation(base, other.agentKey);
      await readEvents(await sendMessage(base, c.conversationId, c.token, { text, clientMessageId: 'm1' }));
      await ageConversation(t.database, other.orgId, c.conversationId, 35);
    }
    const before = await usage();
    const runs = await Promise.all([
      purgeOrganization(t, other.orgId, { batchSize: 1 }),
      purgeOrganization(t, other.orgId, { batchSize: 1 }),
    ]);
    expect(runs.reduce((n, r) => n + (r.counts.conversations ?? 0), 0)).toBe(5);
    expect(await usage()).toEqual(before);
  });
});
