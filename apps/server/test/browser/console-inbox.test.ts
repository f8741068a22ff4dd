import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserWithMembership } from '../../src/modules/auth/service.js';
import { ConsoleClient } from '../../src/modules/auth/test-console-client.js';
import { base32Decode, totp } from '../../src/modules/auth/test-totp.js';
import { seedDemoOnce } from '../../src/modules/demo/seed.js';
import { agents } from '../../src/platform/db/schema/index.js';
import { withTenant } from '../../src/platform/db/tenancy.js';
import { createTestApp, type TestApp } from '../../src/testing/test-app.js';
import { CHROMIUM, freePort, launchChromium, seriousAxeViolations } from './console-helpers.js';

/**
 * The console in Chromium against a real server on a real port (PUBLIC_URL = its origin, so
 * session cookies and the Origin check work as in production): `/` leads to the sign-in page,
 * two-factor sign-in with a code computed here, and the human takeover from the operator's side —
 * a visitor on the demo page asks for a person, the conversation appears live under "Waiting for
 * a person", the operator takes over and replies, the visitor sees the reply, the operator hands
 * back and closes. axe-core finds no serious or critical violation on the sign-in page and the inbox.
 */
const hasChromium = existsSync(CHROMIUM);
const password = 'a long enough password';

describe.skipIf(!hasChromium && !process.env.CI)('the console (Chromium)', () => {
  let t: TestApp;
  let dataDir: string;
  let baseUrl: string;
  let orgId: string;
  let browser: Browser;
  let totpSecret: Buffer;
  const problems: string[] = [];

  async function openConsole(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 820 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (e) => problems.push(`page error: ${e}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy|Refused to/.test(m.text()))
        problems.push(m.text());
    });
    return { context, page };
  }

  async function signIn(page: Page, email: string) {
    await page.goto(`${baseUrl}/`);
    await page.getByRole('textbox', { name: 'Email' }).fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'confidant-console-'));
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    t = await createTestApp({
      env: { CONFIDANT_DEMO: 'true', CONFIDANT_DATA_DIR: dataDir, PUBLIC_URL: baseUrl },
    });
    const seeded = await seedDemoOnce(t);
    orgId = seeded.demo!.orgId;
    await t.app.listen({ host: '127.0.0.1', port });
    await withTenant(t.database, [orgId], (tx) =>
      tx
        .update(agents)
        .set({ allowedOrigins: [baseUrl] })
        .where(eq(agents.id, seeded.demo!.agentId)),
    );
    await createUserWithMembership(t, {
      email: 'olga@example.com',
      password,
      name: 'Olga',
      orgId,
      role: 'admin',
    });
    await createUserWithMembership(t, {
      email: 'tom@example.com',
      password,
      name: 'Tom',
      orgId,
      role: 'agent',
    });
    // Tom turns two-factor on through the API, as the Account page will.
    const tom = new ConsoleClient(t.app, baseUrl);
    expect((await tom.signIn('tom@example.com', password)).statusCode).toBe(200);
    const enable = await tom.request({
      method: 'POST',
      url: '/api/auth/two-factor/enable',
      payload: { password },
    });
    expect(enable.statusCode, enable.body).toBe(200);
    totpSecret = base32Decode(new URL(enable.json().totpURI as string).searchParams.get('secret')!);
    const verify = await tom.request({
      method: 'POST',
      url: '/api/auth/two-factor/verify-totp',
      payload: { code: totp(totpSecret) },
    });
    expect(verify.statusCode, verify.body).toBe(200);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('signs in with two-factor: / leads to the sign-in page, then the code, then the inbox', async () => {
    const { context, page } = await openConsole();
    await page.goto(`${baseUrl}/`);
    await page.getByRole('heading', { name: 'Sign in to Confidant' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/console/sign-in');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/console-sign-in.png' });

    await page.getByRole('textbox', { name: 'Email' }).fill('tom@example.com');
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const error = page.getByRole('alert');
    await error.waitFor();
    expect(await error.innerText()).toMatch(/\w+ \w+/);

    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const code = page.getByRole('textbox', { name: 'Authentication code' });
    await code.waitFor();
    expect(await code.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.screenshot({ path: '/tmp/console-two-factor.png' });
    await code.fill(totp(totpSecret));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('heading', { name: 'Inbox' }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/console/o/${orgId}/inbox`);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Inbox' }).waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Confidant' }).waitFor();
    await page.goto(`${baseUrl}/console/o/${orgId}/inbox`);
    await page.getByRole('heading', { name: 'Sign in to Confidant' }).waitFor();
    await context.close();
  });

  it('takeover: a visitor asks for a person, the operator takes over live, replies, hands back and closes', async () => {
    const { context: consoleContext, page } = await openConsole();
    await signIn(page, 'olga@example.com');
    await page.getByRole('heading', { name: 'Inbox' }).waitFor();
    const views = page.getByRole('navigation', { name: 'Inbox views' });
    const waitingTab = views.getByRole('link', { name: /^Waiting for a person/ });
    await waitingTab.click();
    await page.getByText('No conversations here').waitFor();
    expect(await waitingTab.innerText()).toMatch(/0$/);

    // The visitor, in another browser context, on the demo store page.
    const visitorContext = await browser.newContext({ viewport: { width: 1000, height: 800 } });
    const visitor = await visitorContext.newPage();
    visitor.setDefaultTimeout(15_000);
    await visitor.goto(`${baseUrl}/demo`);
    await visitor.getByRole('button', { name: 'Open chat' }).click();
    const visitorInput = visitor.getByRole('textbox', { name: 'Your message' });
    await visitorInput.fill('I would like to talk to a human');
    await visitorInput.press('Enter');
    // The console's open event stream makes the operator present, so the widget promises a person.
    const visitorLog = visitor.getByRole('log');
    await visitorLog.getByText("they'll reply here", { exact: false }).waitFor();

    // Live, without a reload: the conversation appears under "Waiting for a person", counted.
    const list = page.getByRole('list', { name: 'Waiting for a person' });
    const item = list.getByRole('link').first();
    await item.waitFor();
    await expect.poll(() => waitingTab.innerText()).toMatch(/1$/);
    await item.click();
    const pane = page.getByRole('region', { name: /^Conversation with Visitor/ });
    await pane.getByText('I would like to talk to a human').waitFor();
    await pane.getByText('The visitor asked for a person').waitFor();

    await page.getByRole('button', { name: 'Take over' }).click();
    await pane.getByText('Olga took over the conversation').waitFor();
    await visitorLog.getByText("You're now chatting with Olga").waitFor();

    const reply = page.getByRole('textbox', { name: 'Reply' });
    await reply.fill('Hi, I am Olga from Northwind. How can I help?');
    await page.getByRole('button', { name: 'Send' }).click();
    await visitorLog.getByText('Hi, I am Olga from Northwind. How can I help?').waitFor();

    // The visitor types and answers: the operator sees both live.
    await visitorInput.pressSequentially('Order 1042', { delay: 30 });
    await pane.getByText('Visitor is typing…').waitFor();
    await visitorInput.press('Enter');
    await pane.getByText('Order 1042').waitFor();

    // A private note stays with the team.
    await page.keyboard.press('Escape');
    await pane.click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('n');
    const note = page.getByRole('textbox', { name: 'Note' });
    await note.waitFor();
    await note.fill('Customer is a repeat buyer');
    await page.getByRole('button', { name: 'Add note' }).click();
    await pane.getByRole('article', { name: 'Private note by Olga' }).waitFor();

    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/console-inbox-conversation.png' });

    // Keyboard first: ? lists the shortcuts (focus moves into the dialog), r goes back to replying.
    await note.press('Escape');
    await page.keyboard.press('?');
    const shortcuts = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await shortcuts.getByText('Next conversation').waitFor();
    expect(await shortcuts.evaluate((d) => d.contains(document.activeElement))).toBe(true);
    await page.keyboard.press('Escape');
    await shortcuts.waitFor({ state: 'detached' });
    await page.keyboard.press('r');
    await expect.poll(() => reply.evaluate((el) => el === document.activeElement)).toBe(true);
    await reply.press('Escape');

    await page.getByRole('button', { name: 'Hand back' }).click();
    await pane.getByText('Handed back to the AI agent').waitFor();
    await page.getByRole('button', { name: 'Close conversation' }).click();
    await pane.getByText('This conversation is closed. Reopen it to reply.').waitFor();
    await expect.poll(() => views.getByRole('link', { name: /^Closed/ }).innerText()).toMatch(/1$/);
    await expect.poll(() => waitingTab.innerText()).toMatch(/0$/);
    const visitorText = await visitorLog.innerText();
    expect(visitorText).not.toContain('Customer is a repeat buyer');

    // Phone width: the list and the conversation are one pane at a time.
    await page.setViewportSize({ width: 390, height: 780 });
    await page.screenshot({ path: '/tmp/console-conversation-phone.png' });
    await page.getByRole('link', { name: 'All conversations' }).click();
    await page.getByRole('navigation', { name: 'Inbox views' }).waitFor();
    await page.screenshot({ path: '/tmp/console-inbox-phone.png' });

    expect(problems).toEqual([]);
    await visitorContext.close();
    await consoleContext.close();
  });
});
