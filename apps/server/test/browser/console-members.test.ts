import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../src/testing/test-app.js';
import {
  addMembers,
  CHROMIUM,
  consoleTestApp,
  seriousAxeViolations,
  TEST_PASSWORD,
} from './console-helpers.js';

/**
 * The members page in Chromium: an admin invites a person (the one-time link is shown, with a
 * copy button), the invitee opens the link signed out, signs in to accept, joins and can switch between
 * their organizations; the admin changes their role and removes them after confirming.
 */
const password = TEST_PASSWORD;

describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)('the console: members (Chromium)', () => {
  let t: TestApp;
  let baseUrl: string;
  let orgId: string;
  let browser: Browser;

  beforeAll(async () => {
    const app = await consoleTestApp();
    ({ t, baseUrl } = app);
    ({ orgId } = await t.createOrg('Acme'));
    const other = await t.createOrg('Globex');
    await addMembers(t, orgId, [['ada@example.com', 'Ada', 'admin']]);
    await addMembers(t, other.orgId, [['carl@example.com', 'Carl', 'owner']]);
    browser = await app.open();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const newPage = async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 820 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    return { context, page };
  };
  const fillSignIn = async (page: import('playwright-core').Page, email: string) => {
    await page.getByRole('textbox', { name: 'Email' }).fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  };

  it('invites by link, the invitee joins; the admin changes their role and removes them', async () => {
    const admin = await newPage();
    await admin.page.goto(`${baseUrl}/`);
    await fillSignIn(admin.page, 'ada@example.com');
    await admin.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Members' }).click();
    await admin.page.getByRole('heading', { name: 'Members', level: 1 }).waitFor();
    await admin.page.getByRole('button', { name: 'Invite a member' }).click();
    const invite = admin.page.getByRole('dialog', { name: 'Invite a member' });
    await invite.getByRole('textbox', { name: 'Email' }).fill('carl@example.com');
    await invite.getByRole('combobox', { name: 'Role' }).selectOption('agent');
    await invite.getByRole('button', { name: 'Send invitation' }).click();
    const shown = admin.page.getByRole('dialog', { name: 'Invitation for carl@example.com' });
    const link = await shown.getByRole('textbox', { name: 'Invitation link' }).inputValue();
    expect(link).toMatch(new RegExp(`^${baseUrl}/console/accept-invitation\\?token=`));
    await shown.getByRole('button', { name: 'Copy link' }).click();
    expect(await admin.page.evaluate(() => navigator.clipboard.readText())).toBe(link);
    await shown.getByRole('button', { name: 'Done' }).click();
    await admin.page.getByRole('row', { name: /carl@example\.com/ }).waitFor();
    expect(await seriousAxeViolations(admin.page)).toEqual([]);

    // Carl opens the link signed out: he has an account, so he signs in to accept, then joins
    // and lands in Acme's inbox.
    const carl = await newPage();
    await carl.page.goto(link);
    await carl.page.getByRole('heading', { name: 'Join Acme' }).waitFor();
    expect(await seriousAxeViolations(carl.page)).toEqual([]);
    await carl.page.getByRole('link', { name: 'Sign in to accept' }).click();
    await fillSignIn(carl.page, 'carl@example.com');
    await carl.page.getByRole('heading', { name: 'Inbox' }).waitFor();
    expect(new URL(carl.page.url()).pathname).toBe(`/console/o/${orgId}/inbox`);
    // Two organizations now: the switcher opens the other one.
    await carl.page.getByRole('button', { name: /Switch organization/ }).click();
    await carl.page.getByRole('menuitem', { name: /Globex/ }).click();
    await carl.page.waitForURL((url) => !url.pathname.includes(orgId));
    await carl.page.getByRole('heading', { name: 'Inbox' }).waitFor();

    await admin.page.reload();
    const row = admin.page.getByRole('row', { name: /Carl/ });
    await row.getByRole('combobox', { name: 'Role of Carl' }).selectOption('viewer');
    await admin.page.getByText('Carl is now viewer').waitFor();
    expect(await row.getByRole('combobox', { name: 'Role of Carl' }).inputValue()).toBe('viewer');
    await admin.page.screenshot({ path: '/tmp/console-members.png' });
    await row.getByRole('button', { name: 'Remove Carl' }).click();
    await admin.page
      .getByRole('dialog', { name: 'Remove Carl?' })
      .getByRole('button', { name: 'Remove member' })
      .click();
    await admin.page.getByText('Removed Carl').waitFor();
    await expect.poll(() => admin.page.getByRole('row', { name: /Carl/ }).count()).toBe(0);
    await carl.context.close();
    await admin.context.close();
  });
});
