import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base32Decode, totp } from '../../src/modules/auth/test-totp.js';
import type { TestApp } from '../../src/testing/test-app.js';
import {
  addMembers,
  CHROMIUM,
  consoleTestApp,
  seriousAxeViolations,
  TEST_PASSWORD,
} from './console-helpers.js';

/**
 * The account page in Chromium: another session is listed and signed out from here; two-factor
 * is set up with the QR code's secret (the code computed here) and backup codes shown once; after
 * signing out, signing in asks for the code; two-factor is turned off with the password.
 */
const email = 'ada@example.com';
const password = TEST_PASSWORD;

describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)('the console: account (Chromium)', () => {
  let t: TestApp;
  let baseUrl: string;
  let browser: Browser;

  beforeAll(async () => {
    const app = await consoleTestApp();
    ({ t, baseUrl } = app);
    const { orgId } = await t.createOrg('Acme');
    await addMembers(t, orgId, [[email, 'Ada', 'agent']]);
    browser = await app.open();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const signIn = async (page: Page, code?: () => string) => {
    await page.goto(`${baseUrl}/`);
    await page.getByRole('textbox', { name: 'Email' }).fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    if (code) {
      await page.getByRole('textbox', { name: 'Authentication code' }).fill(code());
      await page.getByRole('button', { name: 'Verify' }).click();
    }
    await page.getByRole('heading', { name: 'Inbox' }).waitFor();
  };
  const newPage = async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    return page;
  };

  it('signs out another session, enrols two-factor, signs in again with the code, turns it off', async () => {
    const other = await newPage();
    await signIn(other);
    const page = await newPage();
    await signIn(page);

    await page.getByRole('link', { name: /^Account/ }).click();
    await page.getByRole('heading', { name: 'Account' }).waitFor();
    const sessions = page.getByRole('region', { name: 'Sessions' });
    await sessions.getByRole('button', { name: 'Sign out this device' }).waitFor();
    const others = sessions.getByRole('button', { name: /^Sign out .*, signed in / });
    expect(await others.count()).toBe(1);
    await others.click();
    await others.waitFor({ state: 'detached' });
    await other.reload();
    await other.getByRole('button', { name: 'Sign in' }).waitFor(); // that session is over
    await other.context().close();

    const twoFactor = page.getByRole('region', { name: 'Two-factor authentication' });
    await twoFactor.getByText('Off', { exact: true }).waitFor();
    await twoFactor.getByRole('button', { name: 'Set up two-factor' }).click();
    await twoFactor.getByLabel('Password').fill('not my password');
    await twoFactor.getByRole('button', { name: 'Continue' }).click();
    await twoFactor.locator('.field-error').waitFor(); // the server's detail, in words
    await twoFactor.getByLabel('Password').fill(password);
    await twoFactor.getByRole('button', { name: 'Continue' }).click();
    await twoFactor.getByRole('img', { name: 'QR code for your authenticator app' }).waitFor();
    const secret = base32Decode(await twoFactor.locator('.account-secret').innerText());
    const backupCodes = await twoFactor
      .getByRole('list', { name: 'Backup codes' })
      .getByRole('listitem')
      .allInnerTexts();
    expect(backupCodes.length).toBeGreaterThanOrEqual(5);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/console-account-enrol.png', fullPage: true });
    await twoFactor.getByRole('textbox', { name: 'Authentication code' }).fill(totp(secret));
    await twoFactor.getByRole('button', { name: 'Turn on two-factor' }).click();
    await twoFactor.getByText('On', { exact: true }).waitFor();
    expect(await twoFactor.getByText(backupCodes[0]!).count()).toBe(0); // shown once

    await sessions.getByRole('button', { name: 'Sign out this device' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await signIn(page, () => totp(secret));
    await page.getByRole('link', { name: /^Account/ }).click();
    await twoFactor.getByText('On', { exact: true }).waitFor();
    await sessions.getByRole('button', { name: 'Sign out this device' }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/console-account.png', fullPage: true });

    await twoFactor.getByRole('button', { name: 'Turn off two-factor' }).click();
    await twoFactor.getByLabel('Password').fill(password);
    await twoFactor.getByRole('button', { name: 'Turn off two-factor' }).click();
    await twoFactor.getByText('Off', { exact: true }).waitFor();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('link', { name: /^Account/ }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.context().close();
  });
});
