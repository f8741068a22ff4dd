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
 * Deleting an organization from the console, in Chromium: the owner finds the Danger zone on
 * Settings, the delete button stays disabled until the org's name is typed, the deletion is
 * scheduled and the shell shows the banner (the org's API key is refused meanwhile); "Restore
 * organization" brings the console and the key back. An admin sees no Danger zone. Then the
 * owner deletes their own account from the Account page and restores it by signing in again.
 */
describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)(
  'the console: deleting an organization (Chromium)',
  () => {
    let t: TestApp;
    let baseUrl: string;
    let orgId: string;
    let apiKey: string;
    let browser: Browser;

    beforeAll(async () => {
      const app = await consoleTestApp();
      ({ t, baseUrl } = app);
      ({ orgId, apiKey } = await t.createOrg('Acme Outdoor'));
      await addMembers(t, orgId, [
        ['olga@example.com', 'Olga', 'owner'],
        ['oscar@example.com', 'Oscar', 'owner'],
        ['ada@example.com', 'Ada', 'admin'],
      ]);
      browser = await app.open();
    });

    afterAll(async () => {
      await browser?.close();
      await t?.close();
    });

    const signIn = async (email: string, landing = 'Inbox') => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      await page.goto(`${baseUrl}/`);
      await page.getByRole('textbox', { name: 'Email' }).fill(email);
      await page.getByLabel('Password').fill(TEST_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: landing }).waitFor();
      return { context, page };
    };
    const keyStatus = async () =>
      (
        await t.app.inject({
          method: 'GET',
          url: '/v1/agents',
          headers: { authorization: `Bearer ${apiKey}` },
        })
      ).statusCode;

    it('an owner deletes the org with its typed name, sees the banner, and restores it', async () => {
      const { context, page } = await signIn('olga@example.com');
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
      await page.getByRole('heading', { name: 'Danger zone' }).waitFor();
      await page.getByRole('button', { name: 'Delete organization' }).click();
      const dialog = page.getByRole('dialog', { name: 'Delete Acme Outdoor?' });
      await dialog.waitFor();
      const confirm = dialog.getByRole('button', { name: 'Delete organization' });
      expect(await confirm.isDisabled()).toBe(true);
      const typed = dialog.getByRole('textbox', { name: 'Type the organization name to confirm' });
      await typed.fill('Acme');
      expect(await confirm.isDisabled()).toBe(true);
      expect(await seriousAxeViolations(page)).toEqual([]);
      await page.screenshot({ path: '/tmp/console-org-deletion-dialog.png' });
      await typed.fill('Acme Outdoor');
      await confirm.click();

      const banner = page.getByRole('heading', { name: /Acme Outdoor is scheduled for deletion on/ });
      await banner.waitFor();
      expect(await keyStatus()).toBe(403);
      expect(await seriousAxeViolations(page)).toEqual([]);
      await page.screenshot({ path: '/tmp/console-org-deletion-banner.png', fullPage: true });

      // The admin sees the banner too, but no way to restore (owners only).
      const admin = await signIn('ada@example.com', 'Acme Outdoor is scheduled for deletion');
      expect(await admin.page.getByRole('button', { name: 'Restore organization' }).count()).toBe(0);
      await admin.context.close();

      await page.getByRole('button', { name: 'Restore organization' }).click();
      await page.getByText('Acme Outdoor is restored').waitFor();
      await banner.waitFor({ state: 'detached' });
      expect(await keyStatus()).toBe(200);
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Inbox' }).click();
      await page.getByRole('heading', { name: 'Inbox' }).waitFor();
      await context.close();
    });

    it('an admin has no Danger zone', async () => {
      const { context, page } = await signIn('ada@example.com');
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
      await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
      await page.getByRole('heading', { name: 'Organization' }).waitFor();
      expect(await page.getByRole('heading', { name: 'Danger zone' }).count()).toBe(0);
      await context.close();
    });

    it('a person deletes their account with their password and restores it by signing in again', async () => {
      const { context, page } = await signIn('oscar@example.com');
      await page.getByRole('link', { name: /Account:/ }).click();
      await page.getByRole('heading', { name: 'Danger zone' }).waitFor();
      await page.getByRole('button', { name: 'Delete my account' }).click();
      const dialog = page.getByRole('dialog', { name: 'Delete your account?' });
      await dialog.getByLabel('Password').fill('not my password at all');
      await dialog.getByRole('button', { name: 'Delete my account' }).click();
      await dialog.getByText('The password is not correct').waitFor();
      expect(await seriousAxeViolations(page)).toEqual([]);
      await dialog.getByLabel('Password').fill(TEST_PASSWORD);
      await dialog.getByRole('button', { name: 'Delete my account' }).click();
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
      await context.close();

      const again = await signIn('oscar@example.com', 'Your account is scheduled for deletion');
      expect(await seriousAxeViolations(again.page)).toEqual([]);
      await again.page.screenshot({ path: '/tmp/console-account-deleted.png' });
      await again.page.getByRole('button', { name: 'Restore my account' }).click();
      await again.page.getByRole('heading', { name: 'Inbox' }).waitFor();
      await again.context.close();
    });
  },
);
