import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEvents } from '../../src/modules/conversations/testing/sse-client.js';
import {
  createWidgetOrg,
  sendMessage,
  startConversation,
  type WidgetOrg,
} from '../../src/modules/conversations/testing/widget-fixture.js';
import type { TestApp } from '../../src/testing/test-app.js';
import {
  addMembers,
  CHROMIUM,
  consoleTestApp,
  seriousAxeViolations,
  TEST_PASSWORD,
} from './console-helpers.js';

/**
 * The usage page in Chromium, for a viewer: after two visitor conversations (one answered by the
 * AI, one handed to a person who replies) the cards show the totals, the share resolved without a
 * person and the first response time; the charts' numbers are in their text alternative.
 */
const password = TEST_PASSWORD;

describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)('the console: usage (Chromium)', () => {
  let t: TestApp;
  let baseUrl: string;
  let org: WidgetOrg;
  let browser: Browser;

  beforeAll(async () => {
    const app = await consoleTestApp();
    ({ t, baseUrl } = app);
    org = await createWidgetOrg(t, 'Lumen');
    await addMembers(t, org.orgId, [['vera@example.com', 'Vera', 'viewer']]);
    browser = await app.open();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const ask = async (text: string) => {
    const c = await startConversation(baseUrl, org.agentKey);
    await readEvents(await sendMessage(baseUrl, c.conversationId, c.token, { text, clientMessageId: 'm1' }));
    return c.conversationId;
  };

  it('shows the numbers after a visitor conversation and a handoff', async () => {
    await ask('How long does shipping take?');
    const handed = await ask('I want to talk to a human');
    const reply = await fetch(`${baseUrl}/v1/conversations/${handed}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${org.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'Hello, how can I help?' }),
    });
    expect(reply.status).toBe(201);

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${baseUrl}/`);
    await page.getByRole('textbox', { name: 'Email' }).fill('vera@example.com');
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Inbox' }).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Usage' }).click();
    await page.getByRole('heading', { name: 'Usage' }).waitFor();

    const stat = (label: string) =>
      page.locator('.stat', { has: page.getByText(label, { exact: true }) }).locator('.stat-value');
    await stat('Conversations').getByText('2', { exact: true }).waitFor();
    expect(await stat('Handoffs to a person').innerText()).toBe('1');
    expect(await stat('Resolved without a person').innerText()).toBe('50%');
    expect(await stat('Median first response').innerText()).toMatch(/^\d+ (s|min)/);
    expect(await page.getByRole('button', { name: '30 days' }).getAttribute('aria-pressed')).toBe('true');

    // The charts' text alternative: today's row in each table.
    const today = await page.evaluate(() =>
      new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' }).format(
        new Date(),
      ),
    );
    const conversations = page.getByRole('table', { name: 'Conversations per day' });
    expect(await conversations.getByRole('row', { name: today }).locator('td').innerText()).toBe('2');
    const handoffs = page.getByRole('table', { name: 'Handoffs per day' });
    expect(await handoffs.getByRole('row', { name: today }).locator('td').innerText()).toBe('1');
    expect(await page.getByRole('figure', { name: /Conversations/ }).count()).toBe(1);
    expect(await page.getByRole('figure').count()).toBe(3); // conversations, handoffs, tokens
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/console-usage.png', fullPage: true });

    await page.getByRole('button', { name: '7 days' }).click();
    // A header row and 7 days (the 30-day table stays until the new range has loaded).
    await expect.poll(() => conversations.getByRole('row').count(), { timeout: 15_000 }).toBe(8);
    expect(await page.getByRole('button', { name: '7 days' }).getAttribute('aria-pressed')).toBe('true');
    expect(await stat('Conversations').innerText()).toBe('2');
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/console-usage-phone.png', fullPage: true });
    await context.close();
  });
});
