import { existsSync } from 'node:fs';
import { and, eq } from 'drizzle-orm';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agents, conversations, messages } from '../../src/platform/db/schema/index.js';
import { withTenant } from '../../src/platform/db/tenancy.js';
import type { TestApp } from '../../src/testing/test-app.js';
import { CHROMIUM, launchChromium, seriousAxeViolations } from './console-helpers.js';
import { type DemoServer, startDemoServer } from './demo-server.js';

/**
 * An ephemeral agent in Chromium: with nobody available the widget offers no email form; an admin turns "Store transcripts" off on the agent page (axe
 * checked), the widget then says the chat isn't stored, a visitor asks for a person, the operator
 * sees the conversation live in the inbox with its "Ephemeral — not stored" badge, takes over and
 * replies, the visitor sees the reply; once closed, the inbox shows the lines as "Not stored" and
 * the database holds none of the text.
 */
const hasChromium = existsSync(CHROMIUM);
const password = 'a long enough password';

describe.skipIf(!hasChromium && !process.env.CI)('ephemeral agent (Chromium)', () => {
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
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (e) => problems.push(`page error: ${e}`));
    return { context, page };
  }

  beforeAll(async () => {
    demo = await startDemoServer('ephemeral', { email: 'olga@example.com', password, name: 'Olga' });
    ({ t, baseUrl, orgId, agentId } = demo);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await demo?.close();
  });

  it('offline: with nobody available the widget offers no email form, and says why', async () => {
    await withTenant(t.database, [orgId], (tx) =>
      tx.update(agents).set({ storeTranscripts: false }).where(eq(agents.id, agentId)),
    );
    const { context, page: visitor } = await openPage(1000);
    await visitor.goto(`${baseUrl}/demo`);
    await visitor.getByRole('button', { name: 'Open chat' }).click();
    await visitor.getByText("This chat isn't stored", { exact: false }).waitFor();
    const input = visitor.getByRole('textbox', { name: 'Your message' });
    await input.fill('Can I talk to a person please?');
    await input.press('Enter');
    await visitor.getByText("we can't reply by email later", { exact: false }).waitFor();
    expect(await visitor.getByRole('form', { name: 'Leave your email for a reply' }).count()).toBe(0);
    // Nothing offers email: not the form, not the assistant's reply.
    expect((await visitor.getByRole('log').innerText()).toLowerCase()).not.toContain('leave your email');
    await visitor.screenshot({ path: '/tmp/widget-ephemeral-offline.png' });
    await context.close();
    await withTenant(t.database, [orgId], async (tx) => {
      await tx.update(agents).set({ storeTranscripts: true }).where(eq(agents.id, agentId));
      // Out of the Waiting queue, so the next test's operator opens the next test's conversation.
      await tx
        .update(conversations)
        .set({ status: 'closed', closedAt: new Date() })
        .where(eq(conversations.orgId, orgId));
    });
  });

  it('turns transcripts off, and a live takeover works while nothing is stored', async () => {
    const { context: consoleContext, page } = await openPage();
    await page.goto(`${baseUrl}/`);
    await page.getByRole('textbox', { name: 'Email' }).fill('olga@example.com');
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Inbox' }).waitFor();

    // The agent page: the toggle, explained, accessible.
    await page.goto(`${baseUrl}/console/o/${orgId}/agents/${agentId}`);
    const toggle = page.getByRole('checkbox', { name: 'Store transcripts' });
    await toggle.waitFor();
    expect(await toggle.isChecked()).toBe(true);
    await toggle.uncheck();
    await page.getByText('Off: nothing visitors write is stored.', { exact: false }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await toggle.scrollIntoViewIfNeeded();
    await page.screenshot({ path: '/tmp/console-agent-store-transcripts.png' });
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Agent saved').waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Agents' }).click();
    await page.getByText('Transcripts not stored').waitFor();
    await page.screenshot({ path: '/tmp/console-agents-ephemeral.png' });

    await page.goto(`${baseUrl}/console/o/${orgId}/inbox`);
    await page.getByRole('heading', { name: 'Inbox' }).waitFor();

    // The visitor: the widget says the chat isn't stored, and a person is asked for.
    const { context: visitorContext, page: visitor } = await openPage(1000);
    await visitor.goto(`${baseUrl}/demo`);
    await visitor.getByRole('button', { name: 'Open chat' }).click();
    await visitor.getByText("This chat isn't stored", { exact: false }).waitFor();
    const visitorInput = visitor.getByRole('textbox', { name: 'Your message' });
    await visitorInput.fill('I would like to talk to a human about order ephemeral-4242');
    await visitorInput.press('Enter');
    const visitorLog = visitor.getByRole('log');
    await visitorLog.getByText("they'll reply here", { exact: false }).waitFor();
    await visitor.screenshot({ path: '/tmp/widget-ephemeral-notice.png' });

    // The operator sees it live, badged, with the text held in memory.
    await page
      .getByRole('navigation', { name: 'Inbox views' })
      .getByRole('link', { name: /^Waiting for a person/ })
      .click();
    const item = page.getByRole('list', { name: 'Waiting for a person' }).getByRole('link').first();
    await item.waitFor();
    await item.getByText('Ephemeral — not stored').waitFor();
    await item.click();
    const pane = page.getByRole('region', { name: /^Conversation with Visitor/ });
    await pane.getByText('order ephemeral-4242', { exact: false }).waitFor();
    await pane.getByText('Ephemeral — not stored').waitFor();

    await page.getByRole('button', { name: 'Take over' }).click();
    await visitorLog.getByText("You're now chatting with Olga").waitFor();
    const reply = page.getByRole('textbox', { name: 'Reply' });
    await reply.fill('Hi, Olga here: order ephemeral-4242 ships today.');
    await page.getByRole('button', { name: 'Send' }).click();
    await visitorLog.getByText('Hi, Olga here: order ephemeral-4242 ships today.').waitFor();

    // The visitor answers; the operator sees it live.
    await visitorInput.fill('Great, thanks ephemeral-ok');
    await visitorInput.press('Enter');
    await pane.getByText('Great, thanks ephemeral-ok').waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/console-inbox-ephemeral.png' });

    // Closed: the text leaves memory; the inbox shows the lines as not stored.
    await page.getByRole('button', { name: 'Close conversation' }).click();
    await pane.getByText('This conversation is closed. Reopen it to reply.').waitFor();
    await page.reload();
    await pane.getByText('Not stored').first().waitFor();
    expect(await pane.innerText()).not.toContain('ephemeral-4242');
    await page.screenshot({ path: '/tmp/console-inbox-ephemeral-closed.png' });

    const stored = await withTenant(t.database, [orgId], (tx) =>
      tx
        .select({ content: messages.content })
        .from(messages)
        .where(and(eq(messages.orgId, orgId))),
    );
    expect(stored.some((m) => m.content.includes('ephemeral-'))).toBe(false);

    expect(problems).toEqual([]);
    await visitorContext.close();
    await consoleContext.close();
  });
});
