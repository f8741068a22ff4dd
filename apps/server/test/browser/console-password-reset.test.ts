import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SmtpSink, startSmtpSink } from '../../src/modules/notifications/testing/smtp-sink.js';
import type { TestApp } from '../../src/testing/test-app.js';
import {
  addMembers,
  CHROMIUM,
  consoleTestApp,
  seriousAxeViolations,
  TEST_PASSWORD,
} from './console-helpers.js';

/**
 * Password reset in Chromium: "Forgot password?" on the sign-in page → the email → the link
 * from the email → a new password → sign in with it (the old one no longer works).
 */
describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)('the console: password reset (Chromium)', () => {
  let t: TestApp;
  let baseUrl: string;
  let browser: Browser;
  let smtp: SmtpSink;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    const app = await consoleTestApp({ env: { CONFIDANT_SMTP_URL: smtp.url } });
    ({ t, baseUrl } = app);
    const { orgId } = await t.createOrg('Acme');
    await addMembers(t, orgId, [['rita@example.com', 'Rita', 'agent']]);
    browser = await app.open();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await smtp?.close();
  });

  it('forgot → email → new password → signs in with it', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 820 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${baseUrl}/`);
    await page.getByRole('link', { name: 'Forgot password?' }).click();
    await page.getByRole('heading', { name: 'Reset your password' }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/console-forgot-password.png' });
    await page.getByRole('textbox', { name: 'Email' }).fill('rita@example.com');
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);

    const email = await smtp.waitFor((e) => e.to.includes('rita@example.com'), 'the reset email');
    const link = /(http:\/\/\S+\/console\/reset-password\?token=\S+)/.exec(email.text)?.[1];
    expect(link?.startsWith(baseUrl)).toBe(true);

    await page.goto(link!);
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    // Mismatched confirmation is caught before anything is sent.
    await page.getByLabel('New password').fill('ritas brand new password');
    await page.getByLabel('Confirm password').fill('something else entirely');
    await page.getByRole('button', { name: 'Set new password' }).click();
    await page.getByText('The two passwords differ.').waitFor();
    // Focus moves to the field the error is about (its error is read out with it).
    expect(await page.getByLabel('Confirm password').evaluate((el) => el === document.activeElement)).toBe(
      true,
    );
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/console-reset-password.png' });
    await page.getByLabel('Confirm password').fill('ritas brand new password');
    await page.getByRole('button', { name: 'Set new password' }).click();
    await page.getByRole('heading', { name: 'Your password is changed' }).waitFor();
    await page.getByRole('link', { name: 'Sign in' }).click();

    await page.getByRole('textbox', { name: 'Email' }).fill('rita@example.com');
    await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    await page.getByLabel('Password', { exact: true }).fill('ritas brand new password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Inbox' }).waitFor();
    await context.close();
  });
});
