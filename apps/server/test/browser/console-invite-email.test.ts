import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
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
 * Invitations by email in Chromium: the owner invites a member from the Members page, the email
 * arrives at the test's SMTP server, the invitee opens the link from the email, creates their
 * account there (they had none) and lands in the organization; they sign out and back in with
 * the new password. And on a fresh server (no account yet) the sign-in page offers to create
 * the first account, which owns a new organization.
 */
const skip = !existsSync(CHROMIUM) && !process.env.CI;

const newPage = async (browser: Browser) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 820 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return { context, page };
};

const signIn = async (page: Page, email: string, password: string) => {
  await page.getByRole('textbox', { name: 'Email' }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
};

describe.skipIf(skip)('the console: invitation by email (Chromium)', () => {
  let t: TestApp;
  let baseUrl: string;
  let orgId: string;
  let browser: Browser;
  let smtp: SmtpSink;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    const app = await consoleTestApp({ env: { CONFIDANT_SMTP_URL: smtp.url } });
    ({ t, baseUrl } = app);
    ({ orgId } = await t.createOrg('Acme'));
    await addMembers(t, orgId, [['olga@example.com', 'Olga', 'owner']]);
    browser = await app.open();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await smtp?.close();
  });

  it('the invitee opens the emailed link, creates their account and joins', async () => {
    const owner = await newPage(browser);
    await owner.page.goto(`${baseUrl}/`);
    // Sign-up is closed on this server (it has users): no "Create an account" on the sign-in page.
    await owner.page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(await owner.page.getByRole('link', { name: 'Create an account' }).count()).toBe(0);
    await signIn(owner.page, 'olga@example.com', TEST_PASSWORD);
    await owner.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Members' }).click();
    await owner.page.getByRole('heading', { name: 'Members', level: 1 }).waitFor();
    await owner.page.getByRole('button', { name: 'Invite a member' }).click();
    const invite = owner.page.getByRole('dialog', { name: 'Invite a member' });
    await invite.getByRole('textbox', { name: 'Email' }).fill('nina@example.com');
    await invite.getByRole('combobox', { name: 'Role' }).selectOption('agent');
    await invite.getByRole('button', { name: 'Send invitation' }).click();
    const shown = owner.page.getByRole('dialog', { name: 'Invitation for nina@example.com' });
    await shown.getByText('We emailed an invitation to nina@example.com.').waitFor();
    expect(await seriousAxeViolations(owner.page)).toEqual([]);
    await owner.page.screenshot({ path: '/tmp/console-invite-sent.png' });
    await shown.getByRole('button', { name: 'Done' }).click();

    const email = await smtp.waitFor((e) => e.to.includes('nina@example.com'), 'the invitation email');
    expect(email.text).toContain('Olga invited you to join Acme on Confidant as an agent.');
    const link = /(http:\/\/\S+\/console\/accept-invitation\?token=\S+)/.exec(email.text)?.[1];
    expect(link?.startsWith(baseUrl)).toBe(true);

    const nina = await newPage(browser);
    await nina.page.goto(link!);
    await nina.page.getByRole('heading', { name: 'Join Acme' }).waitFor();
    expect(await nina.page.getByRole('textbox', { name: 'Email' }).inputValue()).toBe('nina@example.com');
    expect(await seriousAxeViolations(nina.page)).toEqual([]);
    await nina.page.screenshot({ path: '/tmp/console-accept-invitation.png', fullPage: true });
    await nina.page.getByRole('textbox', { name: 'Your name' }).fill('Nina');
    await nina.page.getByLabel('Password', { exact: true }).fill('ninas own long password');
    await nina.page.getByLabel('Confirm password').fill('ninas own long password');
    await nina.page.getByRole('button', { name: 'Create account and join' }).click();
    await nina.page.getByRole('heading', { name: 'Inbox' }).waitFor();
    expect(new URL(nina.page.url()).pathname).toBe(`/console/o/${orgId}/inbox`);

    // Her own account from now on: sign out, sign back in with the password she chose.
    await nina.page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(nina.page, 'nina@example.com', 'ninas own long password');
    await nina.page.getByRole('heading', { name: 'Inbox' }).waitFor();
    expect(await nina.page.getByText('Acme').first().isVisible()).toBe(true);

    // The owner sees her as a member.
    await owner.page.reload();
    await owner.page.getByRole('row', { name: /Nina/ }).waitFor();
    await nina.context.close();
    await owner.context.close();
  });
});

describe.skipIf(skip)('the console: first-run sign-up (Chromium)', () => {
  let t: TestApp;
  let baseUrl: string;
  let browser: Browser;

  beforeAll(async () => {
    const app = await consoleTestApp();
    ({ t, baseUrl } = app);
    browser = await app.open();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('offers to create the first account, which owns a new organization', async () => {
    const { page, context } = await newPage(browser);
    await page.goto(`${baseUrl}/`);
    await page.getByRole('link', { name: 'Create an account' }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/console-sign-in-first-run.png' });
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.getByRole('heading', { name: 'Set up Confidant' }).waitFor();
    // A first submit with nothing filled says what is missing, next to each field.
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText('Enter your name.').waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/console-sign-up.png', fullPage: true });
    await page.getByRole('textbox', { name: 'Your name' }).fill('Fay');
    await page.getByRole('textbox', { name: 'Email' }).fill('fay@example.com');
    await page.getByRole('textbox', { name: 'Organization' }).fill('Fay Bikes');
    await page.getByLabel('Password', { exact: true }).fill('fays long password');
    await page.getByLabel('Confirm password').fill('fays long password');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'Inbox' }).waitFor();
    expect(await page.getByText('Fay Bikes').first().isVisible()).toBe(true);

    // Now closed: a signed-out visitor is not offered an account any more.
    const other = await newPage(browser);
    await other.page.goto(`${baseUrl}/console/sign-in`);
    await other.page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(await other.page.getByRole('link', { name: 'Create an account' }).count()).toBe(0);
    await other.page.goto(`${baseUrl}/console/sign-up`);
    await other.page.getByRole('heading', { name: 'Sign-up is closed' }).waitFor();
    await other.context.close();
    await context.close();
  });
});
