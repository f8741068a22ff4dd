import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoOnce } from '../../src/modules/demo/seed.js';
import { flowBodySchema } from '../../src/modules/flows/flow-schema.js';
import { saveFlow } from '../../src/modules/flows/service.js';
import { sampleFlow } from '../../src/modules/flows/testing/sample-flow.js';
import { collectSubjectRows } from '../../src/modules/privacy/requests/export-subject.js';
import { findSubjectConversations } from '../../src/modules/privacy/requests/find-subject-conversations.js';
import { queryRows } from '../../src/platform/db/query-rows.js';
import { agents } from '../../src/platform/db/schema/index.js';
import { withTenant } from '../../src/platform/db/tenancy.js';
import { createTestApp, type TestApp } from '../../src/testing/test-app.js';
import { CHROMIUM, freePort, launchChromium, seriousAxeViolations } from './console-helpers.js';

/**
 * A flow in the real widget (Chromium, the demo page): a message, quick-reply buttons, a
 * consent-first form and an optional form. Without a ticked box nothing typed reaches the
 * database; with it the value and its consent record are stored and appear in a subject export;
 * "Withdraw consent / forget my details" deletes them; a browser with Global Privacy Control
 * (Sec-GPC: 1 and navigator.globalPrivacyControl) never sees optional fields or the optional
 * form, and the refusal is recorded.
 */
const hasChromium = existsSync(CHROMIUM);
const EMAIL = 'ada.flow@example.org';
const NOTE = 'canary-typed-note-4412';

describe.skipIf(!hasChromium && !process.env.CI)('widget flows and consent (Chromium)', () => {
  let t: TestApp;
  let dataDir: string;
  let baseUrl: string;
  let orgId: string;
  let browser: Browser;
  const problems: string[] = [];

  const db = <T>(query: ReturnType<typeof sql>) =>
    withTenant(t.database, [orgId], (tx) => queryRows<T & Record<string, unknown>>(tx, query));

  async function openWidget(gpc = false): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({
      viewport: { width: 1000, height: 900 },
      ...(gpc ? { extraHTTPHeaders: { 'Sec-GPC': '1' } } : {}),
    });
    if (gpc)
      await context.addInitScript(() => {
        Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true });
      });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (e) => problems.push(`page error: ${e}`));
    await page.goto(`${baseUrl}/demo`);
    await page.getByRole('button', { name: 'Open chat' }).click();
    await page.getByText('Welcome to Lumen support.').waitFor();
    return { context, page };
  }

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'confidant-flows-'));
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    t = await createTestApp({
      env: { CONFIDANT_DEMO: 'true', CONFIDANT_DATA_DIR: dataDir, PUBLIC_URL: baseUrl },
    });
    const seeded = await seedDemoOnce(t);
    orgId = seeded.demo!.orgId;
    const agentId = seeded.demo!.agentId;
    await t.app.listen({ host: '127.0.0.1', port });
    await withTenant(t.database, [orgId], async (tx) => {
      await tx
        .update(agents)
        .set({ allowedOrigins: [baseUrl] })
        .where(sql`id = ${agentId}`);
      await saveFlow(
        tx,
        t.keyring,
        orgId,
        { type: 'system', id: null },
        agentId,
        flowBodySchema.parse(sampleFlow),
      );
    });
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('without consent nothing typed is stored; only "declined" is recorded', async () => {
    const { context, page } = await openWidget();
    await page.getByRole('button', { name: 'Order question' }).click();
    const form = page.getByRole('form', { name: 'Your details' });
    await form.waitFor();
    await form.getByRole('textbox', { name: 'Email' }).fill(EMAIL);
    await form.getByRole('combobox', { name: 'Topic' }).selectOption('Refund');
    await form.getByRole('textbox', { name: 'Anything else' }).fill(NOTE);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await form.getByRole('button', { name: 'Send' }).click();
    await page.getByText('Nothing you typed was kept', { exact: false }).waitFor();
    // The optional form follows; skipping it sends nothing.
    await page.getByRole('form', { name: 'A quick question' }).getByRole('button', { name: 'Skip' }).click();
    await page.getByText('Ask me anything.').waitFor();
    expect(await db(sql`select * from captured_values`)).toEqual([]);
    const consents = await db<{ outcome: string }>(
      sql`select outcome, method from consent_records order by purpose`,
    );
    expect(consents.map((r) => [r.outcome, r.method])).toEqual([
      ['declined', 'checkbox'],
      ['declined', 'checkbox'],
    ]);
    // The typed text is nowhere in the database.
    const anywhere = await db<{ n: number }>(
      sql`select (select count(*) from messages where content like ${`%${NOTE}%`})::int
            + (select count(*) from consent_records r where r::text like ${`%${EMAIL}%`})::int as n`,
    );
    expect(anywhere[0]!.n).toBe(0);
    expect(
      await page.getByRole('button', { name: 'Withdraw consent and forget my details' }).isVisible(),
    ).toBe(false);
    await context.close();
  });

  it('with consent stores the value and its consent record, exported with the subject; withdrawal deletes it', async () => {
    const { context, page } = await openWidget();
    await page.getByRole('button', { name: 'Order question' }).click();
    const form = page.getByRole('form', { name: 'Your details' });
    await form.getByRole('textbox', { name: 'Email' }).fill(EMAIL);
    await form.getByRole('combobox', { name: 'Topic' }).selectOption('Delivery');
    await form.getByRole('textbox', { name: 'Anything else' }).fill(NOTE);
    await form.getByRole('checkbox', { name: 'so that you can reply to you by email' }).check();
    await page.screenshot({ path: '/tmp/widget-flow-form.png' });
    await form.getByRole('button', { name: 'Send' }).click();
    await page.getByText('Thanks, saved with your consent', { exact: false }).waitFor();

    const values = await db<{ field_key: string; conversation_id: string }>(
      sql`select field_key, conversation_id from captured_values order by field_key`,
    );
    // The note's purpose was not ticked: only the email and topic are kept.
    expect(values.map((v) => v.field_key)).toEqual(['email', 'topic']);
    const conversationId = values[0]!.conversation_id;
    const granted = await db<{ notice_hash: string }>(
      sql`select * from consent_records where conversation_id = ${conversationId}::uuid and outcome = 'granted'`,
    );
    expect(granted).toHaveLength(1);
    expect(granted[0]).toMatchObject({
      method: 'checkbox',
      purpose: 'reply to you by email',
      withdrawn_at: null,
    });
    expect(granted[0]!.notice_hash).toMatch(/^[0-9a-f]{64}$/);

    // A subject export by the address typed in the form holds the value and the consent record.
    const ids = await withTenant(t.database, [orgId], (tx) =>
      findSubjectConversations(tx, t.keyring, orgId, { kind: 'email', value: EMAIL }),
    );
    expect(ids).toEqual([conversationId]);
    const exported = await collectSubjectRows({ database: t.database, keyring: t.keyring }, orgId, ids);
    expect(exported.captured_values?.map((v) => v.value)).toContain(EMAIL);
    expect(exported.consent_records?.map((r) => r.outcome)).toContain('granted');

    const forget = page.getByRole('button', { name: 'Withdraw consent and forget my details' });
    await forget.click();
    await page.getByText('Consent withdrawn: the details you gave were deleted.').waitFor();
    expect(
      await db(sql`select * from captured_values where conversation_id = ${conversationId}::uuid`),
    ).toEqual([]);
    const after = await db<{ withdrawn_at: Date | null }>(
      sql`select withdrawn_at from consent_records where conversation_id = ${conversationId}::uuid and outcome = 'granted'`,
    );
    expect(after[0]!.withdrawn_at).not.toBeNull();
    const audit = await db<{ action: string; metadata: unknown }>(
      sql`select action, metadata from audit_log where action = 'consent.withdrawn'`,
    );
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain(EMAIL);
    await context.close();
  });

  it('with Global Privacy Control the optional field and the optional form are never shown; the refusal is recorded', async () => {
    const before = await db<{ id: string }>(sql`select id from conversations`);
    const { context, page } = await openWidget(true);
    await page.getByRole('button', { name: 'Order question' }).click();
    const form = page.getByRole('form', { name: 'Your details' });
    await form.waitFor();
    expect(await form.getByRole('textbox', { name: 'Anything else' }).count()).toBe(0);
    expect(await form.getByRole('checkbox').count()).toBe(1);
    await form.getByRole('textbox', { name: 'Email' }).fill(EMAIL);
    await form.getByRole('combobox', { name: 'Topic' }).selectOption('Refund');
    await form.getByRole('checkbox', { name: 'so that you can reply to you by email' }).check();
    await form.getByRole('button', { name: 'Send' }).click();
    await page.getByText('Ask me anything.').waitFor();
    expect(await page.getByRole('form', { name: 'A quick question' }).count()).toBe(0);
    await page.screenshot({ path: '/tmp/widget-flow-gpc.png' });

    const known = new Set(before.map((r) => r.id));
    const records = (
      await db<{ conversation_id: string; purpose: string; method: string; outcome: string }>(
        sql`select conversation_id, purpose, method, outcome from consent_records order by purpose`,
      )
    ).filter((r) => !known.has(r.conversation_id));
    expect(records.map((r) => [r.purpose, r.method, r.outcome])).toEqual([
      ['improve our answers', 'gpc', 'refused'],
      ['improve our marketing', 'gpc', 'refused'],
      ['reply to you by email', 'checkbox', 'granted'],
    ]);
    await context.close();
    expect(problems).toEqual([]);
  });
});
