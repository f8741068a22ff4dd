import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserWithMembership } from '../../src/modules/auth/service.js';
import { CONSOLE_ORIGIN, ConsoleClient } from '../../src/modules/auth/test-console-client.js';
import { type LiveEvents, openLiveEvents } from '../../src/modules/conversations/testing/live-events.js';
import { seedDemoOnce } from '../../src/modules/demo/seed.js';
import { agents, visitorContacts } from '../../src/platform/db/schema/index.js';
import { withTenant } from '../../src/platform/db/tenancy.js';
import { createTestApp, type TestApp } from '../../src/testing/test-app.js';
import { CHROMIUM, launchChromium } from './console-helpers.js';

/**
 * The human takeover as the visitor sees it, in Chromium: with nobody from the team present the
 * widget offers the email form (nothing stored without the consent tick); with an operator
 * present, the visitor asks for a person, the operator claims, types and replies through the
 * API, and the visitor sees the name, the typing indicator and the reply live. A reload in the
 * tab resumes the conversation (persistence `tab`); nothing is in web storage before the first
 * message, and nothing at all with persistence `none`.
 */

const hasChromium = existsSync(CHROMIUM);
const password = 'a long enough password';

describe.skipIf(!hasChromium && !process.env.CI)('live conversation in the widget (Chromium)', () => {
  let t: TestApp;
  let dataDir: string;
  let baseUrl: string;
  let orgId: string;
  let agentId: string;
  let browser: Browser;
  let operator: ConsoleClient;
  let operatorEvents: LiveEvents | undefined;
  const pageErrors: string[] = [];

  const asOperator = (method: 'GET' | 'POST', url: string, payload: object = {}) =>
    operator.inOrg(orgId, { method, url, ...(method === 'POST' ? { payload } : {}) });
  const setPersistence = (persistence: 'none' | 'tab' | 'device') =>
    withTenant(t.database, [orgId], (tx) =>
      tx
        .update(agents)
        .set({ persistence })
        .where(and(eq(agents.orgId, orgId), eq(agents.id, agentId))),
    );
  const storage = (page: Page) =>
    page.evaluate(() => ({
      session: Object.keys(sessionStorage),
      local: Object.keys(localStorage),
      cookie: document.cookie,
    }));
  const storedConversationId = async (page: Page) => {
    const values = await page.evaluate(() => Object.values(sessionStorage));
    return (JSON.parse(values[0] ?? '{}') as { conversationId?: string }).conversationId;
  };

  async function openVisitor(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 1100, height: 820 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    await page.goto(`${baseUrl}/demo`);
    await page.getByRole('button', { name: 'Open chat' }).click();
    await page.getByRole('dialog', { name: 'Northwind Assistant' }).waitFor();
    return { context, page };
  }
  const ask = async (page: Page, text: string) => {
    const input = page.getByRole('textbox', { name: 'Your message' });
    await input.fill(text);
    await input.press('Enter');
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'confidant-browser-live-'));
    t = await createTestApp({
      env: { CONFIDANT_DEMO: 'true', CONFIDANT_DATA_DIR: dataDir, PUBLIC_URL: CONSOLE_ORIGIN },
    });
    const seeded = await seedDemoOnce(t);
    orgId = seeded.demo!.orgId;
    agentId = seeded.demo!.agentId;
    baseUrl = (await t.app.listen({ host: '127.0.0.1', port: 0 })).replace(/\/$/, '');
    // PUBLIC_URL is the console's origin here, so the demo page's origin is allowed explicitly.
    await withTenant(t.database, [orgId], (tx) =>
      tx
        .update(agents)
        .set({ allowedOrigins: [baseUrl] })
        .where(eq(agents.id, agentId)),
    );
    await createUserWithMembership(t, {
      email: 'olga@example.com',
      password,
      name: 'Olga',
      orgId,
      role: 'agent',
    });
    operator = new ConsoleClient(t.app);
    expect((await operator.signIn('olga@example.com', password)).statusCode).toBe(200);
    browser = await launchChromium();
  });

  afterAll(async () => {
    operatorEvents?.close();
    await browser?.close();
    await t?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('offline: offers the email form; without the consent tick nothing is stored, with it the address is', async () => {
    const { context, page } = await openVisitor();
    expect(await storage(page)).toEqual({ session: [], local: [], cookie: '' });
    await ask(page, 'Can I talk to a person please?');
    const form = page.getByRole('form', { name: 'Leave your email for a reply' });
    await form.waitFor();
    expect(await form.innerText()).toMatch(/No one from our team is available right now/);
    const contacts = () => withTenant(t.database, [orgId], (tx) => tx.select().from(visitorContacts));

    await form.getByRole('textbox', { name: 'Your email address' }).fill('ada@example.com');
    await form.getByRole('button', { name: 'Send my email address' }).click();
    await form.getByText('Please tick the box to agree').waitFor();
    await page.screenshot({ path: '/tmp/widget-offline-form.png' });
    expect(await contacts()).toEqual([]);

    await form.getByRole('checkbox', { name: /reply to this conversation by email/ }).check();
    await form.getByRole('button', { name: 'Send my email address' }).click();
    await page.getByText('Thanks. Our team can now reply to you at ada@example.com.').waitFor();
    const rows = await contacts();
    expect(rows.map((r) => [r.email, r.conversationId])).toEqual([
      ['ada@example.com', await storedConversationId(page)],
    ]);
    await page.screenshot({ path: '/tmp/widget-offline-contact.png' });
    await context.close();
  });

  it('live: the visitor sees the operator join, type and reply; a reload resumes the conversation', async () => {
    const cookie = [...operator.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    operatorEvents = await openLiveEvents(`${baseUrl}/v1/events`, { cookie, 'x-confidant-org': orgId });
    expect(operatorEvents.status).toBe(200);

    const { context, page } = await openVisitor();
    expect(await storage(page)).toEqual({ session: [], local: [], cookie: '' });
    const log = page.getByRole('log');
    await ask(page, 'I would like to talk to a human');
    await log.getByText("they'll reply here", { exact: false }).waitFor();
    const stored = await storage(page);
    expect(stored.session).toHaveLength(1);
    expect(stored.local).toEqual([]);
    const conversationId = (await storedConversationId(page))!;

    expect((await asOperator('POST', `/v1/conversations/${conversationId}/claim`)).statusCode).toBe(200);
    await log.getByText("You're now chatting with Olga").waitFor();
    await page.getByText("You're chatting with Olga").first().waitFor();

    expect((await asOperator('POST', `/v1/conversations/${conversationId}/typing`)).statusCode).toBe(204);
    await page.getByText('Olga is typing…').waitFor();
    await page.screenshot({ path: '/tmp/widget-operator-typing.png' });

    const reply = await asOperator('POST', `/v1/conversations/${conversationId}/messages`, {
      text: 'Hi, I am Olga from Northwind. I can help with your order.',
    });
    expect(reply.statusCode, reply.body).toBe(201);
    const operatorMessage = log.locator('.msg.operator');
    await operatorMessage.waitFor();
    expect(await operatorMessage.innerText()).toContain('Olga');
    expect(await operatorMessage.innerText()).toContain('I can help with your order.');
    await page.getByText('Olga is typing…').waitFor({ state: 'hidden' });
    await page.screenshot({ path: '/tmp/widget-operator-reply.png' });

    // The visitor answers while a person owns the conversation: no assistant text appears.
    await ask(page, 'Order 1042, thanks!');
    await expect.poll(() => log.locator('.msg.visitor').count()).toBe(2);
    await page.waitForTimeout(500);
    expect(await log.locator('.msg.assistant').count()).toBe(2); // greeting + the handoff reply

    // Reload: the same conversation comes back from the transcript, each message once.
    await page.reload();
    await page.getByRole('button', { name: 'Open chat' }).click();
    await log.getByText('I can help with your order.').waitFor();
    expect(await log.locator('.msg.visitor').allTextContents()).toEqual([
      'You: I would like to talk to a human',
      'You: Order 1042, thanks!',
    ]);
    expect(await log.locator('.msg.operator').count()).toBe(1);
    expect(await log.locator('.system-line').allTextContents()).toEqual(["You're now chatting with Olga"]);

    // …and live events resume after the reload.
    await asOperator('POST', `/v1/conversations/${conversationId}/messages`, {
      text: 'Your order ships today.',
    });
    await log.getByText('Your order ships today.').waitFor();
    expect(await log.locator('.msg.operator').count()).toBe(2);
    await asOperator('POST', `/v1/conversations/${conversationId}/handback`);
    await log.getByText('The assistant is back').waitFor();
    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it('persistence none: nothing is stored, before or after messages, and a reload starts over', async () => {
    await setPersistence('none');
    const { context, page } = await openVisitor();
    expect(await page.getByText('Nothing is kept in your browser.').count()).toBe(1);
    await ask(page, 'how long do refunds take?');
    await page.getByRole('log').locator('.sources li').first().waitFor();
    expect(await storage(page)).toEqual({ session: [], local: [], cookie: '' });
    expect(await context.cookies()).toEqual([]);
    await page.reload();
    await page.getByRole('button', { name: 'Open chat' }).click();
    await page.getByRole('dialog', { name: 'Northwind Assistant' }).waitFor();
    await page.waitForTimeout(300);
    expect(await page.getByRole('log').locator('.msg.visitor').count()).toBe(0);
    expect(await storage(page)).toEqual({ session: [], local: [], cookie: '' });
    await setPersistence('tab');
    await context.close();
  });
});
