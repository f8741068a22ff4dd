import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../src/testing/test-app.js';
import { addMembers, CHROMIUM, consoleTestApp, seriousAxeViolations, signIn } from './console-helpers.js';

/**
 * The Settings page in Chromium: an admin sets the Slack webhook (then shown only as set) and
 * their own email preferences, finds them again after a reload, and sees the organization. An
 * agent-role member has no Settings link. (Model providers: console-model-providers.test.ts.)
 */

describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)('the console: settings (Chromium)', () => {
  let t: TestApp;
  let baseUrl: string;
  let orgId: string;
  let browser: Browser;

  beforeAll(async () => {
    // The outbound guard resolves the webhook's host name: a public address.
    const app = await consoleTestApp({
      resolveHost: async () => [{ address: '93.184.215.14', family: 4 }],
    });
    ({ t, baseUrl } = app);
    ({ orgId } = await t.createOrg('Acme'));
    await addMembers(t, orgId, [
      ['ada@example.com', 'Ada', 'admin'],
      ['ben@example.com', 'Ben', 'agent'],
    ]);
    browser = await app.open();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const open = async (email: string) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await signIn(page, baseUrl, email);
    return { context, page };
  };

  it('sets notifications (a write-only webhook), keeps them over a reload, shows the organization', async () => {
    const { context, page } = await open('ada@example.com');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Model providers' }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);

    // Notifications: a Slack webhook (write-only too), previews, and my own email preferences.
    await page.getByLabel('Slack webhook URL').fill('https://hooks.example.com/services/T000/B000/XXX');
    await page.getByRole('checkbox', { name: /Quote the visitor's message/ }).check();
    await page.getByRole('button', { name: 'Save notifications' }).click();
    await page.getByText('Notification settings saved').waitFor();
    await page.getByText('A webhook is set').waitFor();
    await page.getByRole('checkbox', { name: /A conversation is assigned to me/ }).uncheck();
    await expect
      .poll(() =>
        // Preferences belong to the signed-in person: read them with Ada's own session.
        page.evaluate(
          async (org) =>
            (
              await (
                await fetch('/v1/notifications/preferences', { headers: { 'x-confidant-org': org } })
              ).json()
            ).assignedToMe,
          orgId,
        ),
      )
      .toBe(false);

    // The organization.
    await page.getByText(orgId).waitFor();

    // A reload keeps everything, and still never shows the webhook.
    await page.reload();
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    await page.getByText('A webhook is set').waitFor();
    expect(await page.getByRole('checkbox', { name: /Quote the visitor's message/ }).isChecked()).toBe(true);
    expect(await page.getByRole('checkbox', { name: /A conversation is assigned to me/ }).isChecked()).toBe(
      false,
    );
    expect(await page.getByRole('checkbox', { name: /A conversation waits for a person/ }).isChecked()).toBe(
      true,
    );
    const html = await page.content();
    expect(html).not.toContain('hooks.example.com');
    expect(await seriousAxeViolations(page)).toEqual([]);
    // The main column scrolls inside the shell: a tall viewport shows the whole page at once.
    await page.setViewportSize({ width: 1280, height: 1700 });
    await page.screenshot({ path: '/tmp/console-settings.png' });
    await page.setViewportSize({ width: 390, height: 1800 });
    await page.screenshot({ path: '/tmp/console-settings-phone.png' });
    await page.setViewportSize({ width: 1280, height: 900 });

    await context.close();
  });

  it('has no Settings link for an agent-role member, and the URL sends them to the inbox', async () => {
    const { context, page } = await open('ben@example.com');
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Usage' }).waitFor();
    expect(await nav.getByRole('link', { name: 'Settings' }).count()).toBe(0);
    await page.goto(`${baseUrl}/console/o/${orgId}/settings`);
    await page.getByRole('heading', { name: 'Inbox' }).waitFor();
    await context.close();
  });
});
