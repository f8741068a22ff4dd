import { existsSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationRatings, conversations } from '../../src/platform/db/schema/index.js';
import { withTenant } from '../../src/platform/db/tenancy.js';
import type { TestApp } from '../../src/testing/test-app.js';
import { CHROMIUM, launchChromium, seriousAxeViolations } from './console-helpers.js';
import { type DemoServer, startDemoServer } from './demo-server.js';

/**
 * The satisfaction rating in Chromium: a visitor on the demo page chats, the operator closes the
 * conversation in the console, the widget asks for a rating (an accessible 1–5 radio group), the
 * visitor picks 4 and writes a comment, the rating is in the database, and the operator sees it
 * in the inbox (list badge and the note above the transcript) and the CSAT card on Usage.
 */
const hasChromium = existsSync(CHROMIUM);
const password = 'a long enough password';

describe.skipIf(!hasChromium && !process.env.CI)('satisfaction rating (Chromium)', () => {
  let t: TestApp;
  let demo: DemoServer;
  let baseUrl: string;
  let orgId: string;
  let agentId: string;
  let browser: Browser;
  const problems: string[] = [];

  async function openPage(width = 1280): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width, height: 820 } });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (e) => problems.push(`page error: ${e}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy|Refused to/.test(m.text()))
        problems.push(m.text());
    });
    return { context, page };
  }

  beforeAll(async () => {
    demo = await startDemoServer('rating', { email: 'olga@example.com', password, name: 'Olga' });
    ({ t, baseUrl, orgId, agentId } = demo);
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await demo?.close();
  });

  it('operator closes → the widget asks → the visitor rates 4 with a comment → stored and shown', async () => {
    const { context: visitorContext, page: visitor } = await openPage(1000);
    await visitor.goto(`${baseUrl}/demo`);
    await visitor.getByRole('button', { name: 'Open chat' }).click();
    const input = visitor.getByRole('textbox', { name: 'Your message' });
    await input.fill('Can I talk to a person please?');
    await input.press('Enter');
    const log = visitor.getByRole('log');
    await log.getByText('Can I talk to a person please?').waitFor();
    // The answer finished (the input is usable again) before the operator acts.
    await visitor.waitForFunction(() => !document.querySelector('[aria-busy="true"]'));
    // The handoff is written in the answer's own transaction, which clears handoff_detail (the
    // extractive agent gives none): wait for it, so the detail written below is not overwritten.
    await expect
      .poll(
        async () =>
          (
            await withTenant(t.database, [orgId], (tx) =>
              tx.select({ at: conversations.handoffRequestedAt }).from(conversations),
            )
          )[0]?.at ?? null,
        { timeout: 20_000 },
      )
      .not.toBeNull();

    // What a model's handoff tool call stores (handoff-detail.test.ts drives it through the real
    // stream); here the demo agent is extractive, so the row gets it directly, to check the pane.
    await withTenant(t.database, [orgId], (tx) =>
      tx
        .update(conversations)
        .set({ handoffDetail: 'visitor_asked', handoffSummary: 'Wants to change the delivery address' })
        .where(eq(conversations.orgId, orgId)),
    );
    const { context: consoleContext, page } = await openPage();
    await page.goto(`${baseUrl}/`);
    await page.getByRole('textbox', { name: 'Email' }).fill('olga@example.com');
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Inbox' }).waitFor();
    await page
      .getByRole('navigation', { name: 'Inbox views' })
      .getByRole('link', { name: /^Waiting for a person/ })
      .click();
    await page.getByRole('list', { name: 'Waiting for a person' }).getByRole('link').first().click();
    const pane = page.getByRole('region', { name: /^Conversation with Visitor/ });
    await pane.getByText('Can I talk to a person please?').waitFor();
    expect(await pane.getByTestId('handoff-note').innerText()).toBe(
      'Handed over: visitor asked for a person — Wants to change the delivery address',
    );
    await page.getByRole('button', { name: 'Close conversation' }).click();
    await pane.getByText('This conversation is closed. Reopen it to reply.').waitFor();

    // The widget asks, live.
    const prompt = visitor.getByRole('form', { name: 'Rate this conversation' });
    await prompt.waitFor();
    const group = prompt.getByRole('radiogroup', {
      name: 'How was this conversation? 1 is poor, 5 is great.',
    });
    expect(await group.getByRole('radio').count()).toBe(5);
    // Sending without a score is stopped by the browser's own check: nothing is sent.
    await prompt.getByRole('button', { name: 'Send rating' }).click();
    const firstValid = await group
      .getByRole('radio', { name: '1' })
      .evaluate((r) => (r as HTMLInputElement).validity.valid);
    expect(firstValid).toBe(false);
    expect(await withTenant(t.database, [orgId], (tx) => tx.select().from(conversationRatings))).toEqual([]);
    await group.getByRole('radio', { name: '4' }).check();
    await prompt
      .getByRole('textbox', { name: 'Anything to add? (optional)' })
      .fill('Friendly and fast, thanks');
    await visitor.screenshot({ path: '/tmp/widget-rating-prompt.png' });
    await prompt.getByRole('button', { name: 'Send rating' }).click();
    await log.getByText('Thank you for your feedback.').waitFor();

    const rows = await withTenant(t.database, [orgId], (tx) => tx.select().from(conversationRatings));
    expect(rows).toEqual([
      expect.objectContaining({ score: 4, comment: 'Friendly and fast, thanks', agentId }),
    ]);

    // The operator sees it without reloading (the conversation event refetches the detail).
    const note = pane.getByTestId('rating-note');
    await note.waitFor();
    expect(await note.innerText()).toContain('Friendly and fast, thanks');
    await page
      .getByRole('navigation', { name: 'Inbox views' })
      .getByRole('link', { name: /^Closed/ })
      .click();
    const item = page.getByRole('list', { name: 'Closed' }).getByRole('link').first();
    await item.getByText('4 out of 5 from the visitor').waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/console-inbox-rating.png' });

    // The Usage page: CSAT average and distribution, numbers only.
    await page.goto(`${baseUrl}/console/o/${orgId}/usage`);
    const card = page.getByRole('region', { name: 'Customer satisfaction' });
    await card.getByText('4.0').waitFor();
    expect(await card.innerText()).not.toContain('Friendly');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/console-usage-csat.png' });

    expect(problems).toEqual([]);
    await visitorContext.close();
    await consoleContext.close();
  }, 240_000);
});
