import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEvents } from '../../src/modules/conversations/testing/sse-client.js';
import {
  createWidgetOrg,
  SITE,
  sendMessage,
  startConversation,
  type WidgetOrg,
} from '../../src/modules/conversations/testing/widget-fixture.js';
import { ageConversation } from '../../src/modules/privacy/retention/testing/age-conversation.js';
import type { TestApp } from '../../src/testing/test-app.js';
import { addMembers, CHROMIUM, consoleTestApp, seriousAxeViolations, signIn } from './console-helpers.js';

/**
 * The Privacy page's Retention tab in Chromium, for an admin: set transcripts to 7 days (the
 * widget then says so), hold one old conversation from the inbox, preview the purge (only the
 * other old one would go), run it, and find the held and the new conversations still there.
 */
describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)('the console: privacy retention (Chromium)', () => {
  let t: TestApp;
  let baseUrl: string;
  let org: WidgetOrg;
  let browser: Browser;

  beforeAll(async () => {
    const app = await consoleTestApp();
    ({ t, baseUrl } = app);
    org = await createWidgetOrg(t, 'Lumen', {}, []);
    await addMembers(t, org.orgId, [['ada@example.com', 'Ada', 'admin']]);
    browser = await app.open();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const chat = async (text: string) => {
    const c = await startConversation(baseUrl, org.agentKey);
    await readEvents(await sendMessage(baseUrl, c.conversationId, c.token, { text, clientMessageId: 'm1' }));
    return c.conversationId;
  };
  const status = (id: string) =>
    fetch(`${baseUrl}/v1/conversations/${id}`, { headers: { authorization: `Bearer ${org.apiKey}` } }).then(
      (r) => r.status,
    );

  it('sets a period, holds a conversation, previews and runs the purge', async () => {
    const old = await chat('An old question');
    const held = await chat('An old dispute');
    const fresh = await chat('A new question');
    await ageConversation(t.database, org.orgId, old, 10);
    await ageConversation(t.database, org.orgId, held, 10);

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await signIn(page, baseUrl, 'ada@example.com');

    // A legal hold from the inbox.
    await page.goto(`${baseUrl}/console/o/${org.orgId}/inbox/${held}?view=all`);
    await page.getByRole('button', { name: 'Place legal hold' }).click();
    const dialog = page.getByRole('dialog', { name: 'Place a legal hold' });
    await dialog.getByRole('button', { name: 'Place hold' }).click();
    await dialog.getByText('Say why the conversation must be kept.').waitFor();
    await dialog.getByLabel('Reason').fill('Chargeback dispute');
    await dialog.getByRole('button', { name: 'Place hold' }).click();
    await page.getByText('Legal hold', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Lift legal hold' }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/console-inbox-legal-hold.png' });

    // The Retention tab.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Privacy' }).click();
    await page.getByRole('heading', { name: 'Privacy', level: 1 }).waitFor();
    const tab = page
      .getByRole('navigation', { name: 'Privacy sections' })
      .getByRole('link', { name: 'Retention' });
    expect(await tab.getAttribute('aria-current')).toBe('page');
    await page.getByLabel('Conversation transcripts').waitFor();
    await page.screenshot({ path: '/tmp/console-privacy-top.png' });
    const transcripts = page.getByLabel('Conversation transcripts');
    expect(await transcripts.inputValue()).toBe('30');
    await transcripts.fill('0');
    await page.getByRole('button', { name: 'Save retention' }).click();
    await page.getByText('Enter a whole number of days from 1 to 3650.').waitFor();
    await transcripts.fill('7');
    await page.getByRole('button', { name: 'Save retention' }).click();
    await page.getByText('Retention saved').waitFor();
    const config = await fetch(`${baseUrl}/v1/widget/config?agentKey=${org.agentKey}`, {
      headers: { origin: SITE },
    }).then((r) => r.json());
    expect(config.storageNotice).toContain('deleted 7 days after the last message');

    await page.getByRole('button', { name: 'Preview purge' }).click();
    const preview = page.getByRole('table', { name: 'What a purge would delete now' });
    await preview.waitFor();
    expect(
      await preview
        .getByRole('row', { name: /Conversations/ })
        .locator('td')
        .nth(1)
        .innerText(),
    ).toBe('1');
    expect(await status(old)).toBe(200); // a preview changes nothing
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/console-privacy-retention.png', fullPage: true });

    await page.getByRole('button', { name: 'Run purge now' }).click();
    await page
      .getByRole('dialog', { name: 'Run the purge now?' })
      .getByRole('button', { name: 'Purge now' })
      .click();
    await page.getByText('Purge finished. The audit log lists what it removed.').waitFor({ timeout: 30_000 });
    expect(await status(old)).toBe(404);
    expect(await status(held)).toBe(200);
    expect(await status(fresh)).toBe(200);
    await page.getByText('Nothing is past its period right now: a purge would delete nothing.').waitFor();

    await page.setViewportSize({ width: 390, height: 844 });
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/console-privacy-retention-phone.png', fullPage: true });
    await context.close();
  });
});
