import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../platform/db/query-rows.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { testDatabaseKinds } from '../../platform/db/test-database.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import {
  createWidgetOrg,
  listen,
  SITE,
  startConversation,
  type WidgetOrg,
} from '../conversations/testing/widget-fixture.js';
import { purgeOrganization } from '../privacy/retention/purge.js';
import { runPrivacyRequest } from '../privacy/testing/subject-fixture.js';
import { sampleFlow } from './testing/sample-flow.js';

/**
 * Flows and consent-first forms: the flow API refuses broken flows and changes nothing; the
 * widget config carries the flow with the exact notice texts; a form's values are stored only
 * for purposes the visitor ticked (checked in the database), encrypted, with a consent record
 * holding the notice's SHA-256 and version; GPC refuses optional purposes; withdrawal deletes
 * the values; consent records and values are exported and erased with the subject.
 */
const EMAIL = 'flow.subject@example.net';
const NOTE = 'canary-note-7731';

describe.each(testDatabaseKinds)('flows and consent on %s', (kind) => {
  let t: TestApp;
  let base: string;
  let org: WidgetOrg;
  const admin = (method: 'GET' | 'PUT', url: string, payload?: object) =>
    t.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${org.apiKey}` },
      ...(payload ? { payload } : {}),
    });
  const submit = (
    c: { conversationId: string; token: string },
    stepId: string,
    body: unknown,
    extra: Record<string, string> = {},
  ) =>
    fetch(`${base}/v1/widget/conversations/${c.conversationId}/flow/${stepId}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${c.token}`,
        origin: SITE,
        ...extra,
      },
      body: JSON.stringify(body),
    });
  const rows = (table: 'consent_records' | 'captured_values', conversationId: string) =>
    withTenant(t.database, [org.orgId], (tx) =>
      queryRows<Record<string, unknown>>(
        tx,
        sql`select * from ${sql.identifier(table)} where conversation_id = ${conversationId}::uuid order by purpose`,
      ),
    );

  beforeAll(async () => {
    t = await createTestApp({ kind });
    org = await createWidgetOrg(t, 'Lumen', {}, []);
    base = await listen(t);
  }, 120_000);
  afterAll(() => t?.close());

  it('refuses broken flows with a 400 that changes nothing', async () => {
    const step = (id: string, extra: object = {}) => ({ id, type: 'message', text: 'Hi', ...extra });
    const bad: [string, object][] = [
      ['duplicate ids', { steps: [step('a'), step('a')] }],
      ['next to nowhere', { steps: [step('a', { next: 'zzz' })] }],
      ['unreachable step', { steps: [{ id: 'a', type: 'ai', text: 'x' }, step('b')] }],
      [
        'button to nowhere',
        { steps: [{ id: 'a', type: 'buttons', text: 'x', buttons: [{ label: 'y', next: 'q' }] }] },
      ],
      [
        'select without options',
        {
          steps: [
            {
              id: 'f',
              type: 'form',
              title: 'F',
              fields: [{ key: 'k', kind: 'select', label: 'K', purpose: 'p', required: true }],
            },
          ],
        },
      ],
      [
        'duplicate field keys',
        {
          steps: [
            {
              id: 'f',
              type: 'form',
              title: 'F',
              fields: [
                { key: 'k', kind: 'text', label: 'K', purpose: 'p', required: true },
                { key: 'k', kind: 'name', label: 'N', purpose: 'p', required: true },
              ],
            },
          ],
        },
      ],
      ['too many steps', { steps: Array.from({ length: 31 }, (_, i) => step(`s${i}`)) }],
      ['unknown type', { steps: [{ id: 'a', type: 'video', text: 'x' }] }],
      ['bad step id', { steps: [step('Has Spaces')] }],
      ['blank text', { steps: [step('a', { text: '   ' })] }],
    ];
    for (const [name, body] of bad) {
      const res = await admin('PUT', `/v1/agents/${org.agentId}/flow`, body);
      expect(res.statusCode, name).toBe(400);
      expect(res.headers['content-type'], name).toContain('application/problem+json');
    }
    expect((await admin('GET', `/v1/agents/${org.agentId}/flow`)).json()).toEqual({
      steps: [],
      version: 0,
      updatedAt: null,
    });
    const missing = await admin('GET', '/v1/agents/00000000-0000-4000-8000-000000000000/flow');
    expect(missing.statusCode).toBe(404);
  });

  it('saves a flow (version grows) and serves it with the exact notice texts in the widget config', async () => {
    const saved = await admin('PUT', `/v1/agents/${org.agentId}/flow`, sampleFlow);
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().version).toBe(1);
    const again = await admin('PUT', `/v1/agents/${org.agentId}/flow`, sampleFlow);
    expect(again.json().version).toBe(2);
    const form = again.json().steps.find((s: { id: string }) => s.id === 'details');
    expect(form.consentText).toContain('{purpose}');

    const res = await fetch(`${base}/v1/widget/config?agentKey=${org.agentKey}`, {
      headers: { origin: SITE },
    });
    const config = await res.json();
    expect(config.gpc).toBeUndefined();
    expect(config.flow.version).toBe(2);
    const served = config.flow.steps.find((s: { id: string }) => s.id === 'details');
    expect(served.notices.map((n: { purpose: string }) => n.purpose)).toEqual([
      'reply to you by email',
      'improve our answers',
    ]);
    expect(served.notices[0].text).toContain('so that you can reply to you by email');
    const gpc = await (
      await fetch(`${base}/v1/widget/config?agentKey=${org.agentKey}`, {
        headers: { origin: SITE, 'sec-gpc': '1' },
      })
    ).json();
    expect(gpc.gpc).toBe(true);
  });

  it('stores nothing typed when consent is not given: only "declined" records', async () => {
    const c = await startConversation(base, org.agentKey);
    const res = await submit(c, 'details', {
      values: { email: EMAIL, topic: 'Refund', note: NOTE },
      consents: [],
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      granted: [],
      declined: ['reply to you by email', 'improve our answers'],
      refused: [],
    });
    expect(await rows('captured_values', c.conversationId)).toEqual([]);
    const consents = await rows('consent_records', c.conversationId);
    expect(consents.map((r) => [r.outcome, r.method])).toEqual([
      ['declined', 'checkbox'],
      ['declined', 'checkbox'],
    ]);
    // Nothing typed anywhere in the database (no table holds the note or the address).
    const dump = await withTenant(t.database, [org.orgId], (tx) =>
      queryRows<{ hit: number }>(
        tx,
        sql`select count(*)::int as hit from consent_records r where r::text like ${`%${NOTE}%`} or r::text like ${`%${EMAIL}%`}`,
      ),
    );
    expect(dump[0]!.hit).toBe(0);
  });

  it('with consent stores the values encrypted with a consent record (notice hash and version)', async () => {
    const c = await startConversation(base, org.agentKey);
    const invalid = await submit(c, 'details', {
      values: { email: 'not-an-email', topic: 'Refund' },
      consents: ['reply to you by email'],
    });
    expect(invalid.status).toBe(400);
    const wrongChoice = await submit(c, 'details', {
      values: { email: EMAIL, topic: 'Gold' },
      consents: ['reply to you by email'],
    });
    expect(wrongChoice.status).toBe(400);
    expect(await rows('consent_records', c.conversationId)).toEqual([]);

    const res = await submit(c, 'details', {
      values: { email: EMAIL, topic: 'Refund', note: NOTE },
      consents: ['reply to you by email'],
    });
    expect(await res.json()).toEqual({
      granted: ['reply to you by email'],
      declined: ['improve our answers'],
      refused: [],
    });
    const values = await rows('captured_values', c.conversationId);
    expect(values.map((v) => v.field_key).sort()).toEqual(['email', 'topic']);
    for (const v of values) expect(String(v.value_ciphertext)).not.toContain(EMAIL);
    const consents = await rows('consent_records', c.conversationId);
    const granted = consents.find((r) => r.outcome === 'granted')!;
    const config = await (
      await fetch(`${base}/v1/widget/config?agentKey=${org.agentKey}`, { headers: { origin: SITE } })
    ).json();
    const notice = config.flow.steps.find((s: { id: string }) => s.id === 'details').notices[0].text;
    expect(granted).toMatchObject({
      method: 'checkbox',
      notice_version: 2,
      notice_hash: createHash('sha256').update(notice, 'utf8').digest('hex'),
      withdrawn_at: null,
    });

    const captured = await admin('GET', `/v1/conversations/${c.conversationId}/captured-data`);
    expect(captured.statusCode).toBe(200);
    expect(captured.json().values.find((v: { key: string }) => v.key === 'email').value).toBe(EMAIL);

    // Export by the email typed into the form finds the conversation and holds the value and consent.
    const done = await runPrivacyRequest(t, org.apiKey, { type: 'export', subject: { email: EMAIL } });
    expect(done.counts).toMatchObject({ consent_records: 2, captured_values: 2 });
    const zip = await t.app.inject({
      method: 'GET',
      url: done.download!.url,
      headers: { authorization: `Bearer ${org.apiKey}` },
    });
    const json = JSON.parse(strFromU8(unzipSync(new Uint8Array(zip.rawPayload))['subject.json']!));
    expect(json.tables.captured_values.map((v: { value: string }) => v.value)).toContain(EMAIL);
    expect(json.tables.consent_records.map((r: { outcome: string }) => r.outcome).sort()).toEqual([
      'declined',
      'granted',
    ]);

    // Withdrawal: the records are marked, the values deleted; a second one changes nothing.
    const withdraw = () =>
      fetch(`${base}/v1/widget/conversations/${c.conversationId}/consent/withdraw`, {
        method: 'POST',
        headers: { authorization: `Bearer ${c.token}`, origin: SITE },
      });
    expect(await (await withdraw()).json()).toEqual({ withdrawn: 1, deletedValues: 2, deletedRecordings: 0 });
    expect(await (await withdraw()).json()).toEqual({ withdrawn: 0, deletedValues: 0, deletedRecordings: 0 });
    expect(await rows('captured_values', c.conversationId)).toEqual([]);
    expect(
      (await rows('consent_records', c.conversationId)).find((r) => r.outcome === 'granted')!.withdrawn_at,
    ).not.toBeNull();
    const state = await fetch(`${base}/v1/widget/conversations/${c.conversationId}/consent`, {
      headers: { authorization: `Bearer ${c.token}`, origin: SITE },
    });
    expect(await state.json()).toEqual({ purposes: [] });
  });

  it('under Sec-GPC: 1 refuses optional purposes (method gpc) and drops their values', async () => {
    const c = await startConversation(base, org.agentKey);
    const res = await submit(
      c,
      'details',
      {
        values: { email: EMAIL, topic: 'Delivery', note: NOTE },
        consents: ['reply to you by email', 'improve our answers'],
      },
      { 'sec-gpc': '1' },
    );
    expect(await res.json()).toEqual({
      granted: ['reply to you by email'],
      declined: [],
      refused: ['improve our answers'],
    });
    const consents = await rows('consent_records', c.conversationId);
    expect(consents.find((r) => r.purpose === 'improve our answers')).toMatchObject({
      method: 'gpc',
      outcome: 'refused',
    });
    expect((await rows('captured_values', c.conversationId)).map((v) => v.field_key).sort()).toEqual([
      'email',
      'topic',
    ]);

    // Erasure removes consent records and values with the conversation.
    const erased = await runPrivacyRequest(t, org.apiKey, {
      type: 'erasure',
      subject: { conversationId: c.conversationId },
    });
    expect(erased.status).toBe('completed');
    expect(await rows('consent_records', c.conversationId)).toEqual([]);
    expect(await rows('captured_values', c.conversationId)).toEqual([]);
  });

  it('a handoff step moves the conversation to waiting; unknown steps and bad bodies are refused', async () => {
    const c = await startConversation(base, org.agentKey);
    const notForm = await submit(c, 'menu', { values: {}, consents: [] });
    expect(notForm.status).toBe(404);
    const badBody = await submit(c, 'details', { values: { email: 5 }, consents: [] });
    expect(badBody.status).toBe(400);
    const handoff = await fetch(`${base}/v1/widget/conversations/${c.conversationId}/handoff`, {
      method: 'POST',
      headers: { authorization: `Bearer ${c.token}`, origin: SITE },
    });
    expect(handoff.status, await handoff.clone().text()).toBe(200);
    expect(await handoff.json()).toEqual({ operatorsAvailable: false });
    const [row] = await withTenant(t.database, [org.orgId], (tx) =>
      queryRows<{ status: string }>(
        tx,
        sql`select status from conversations where id = ${c.conversationId}::uuid`,
      ),
    );
    expect(row!.status).toBe('waiting');
  });

  it('follows the contact-details retention: consent records and values go when their period passes', async () => {
    const before = await withTenant(t.database, [org.orgId], (tx) =>
      queryRows<{ n: number }>(tx, sql`select count(*)::int as n from consent_records`),
    );
    expect(before[0]!.n).toBeGreaterThan(0);
    const later = new Date(Date.now() + 40 * 86_400_000);
    const result = await purgeOrganization({ database: t.database, keyring: t.keyring }, org.orgId, {
      now: later,
    });
    expect(result.counts.consent_records ?? 0).toBeGreaterThan(0);
    const after = await withTenant(t.database, [org.orgId], (tx) =>
      queryRows<{ n: number }>(
        tx,
        sql`select (select count(*) from consent_records)::int + (select count(*) from captured_values)::int as n`,
      ),
    );
    expect(after[0]!.n).toBe(0);
  });
});
