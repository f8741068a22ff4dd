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
 * The Settings page in Chromium: an admin is refused a model provider on a private address (the
 * server's words on the field), saves one on a public address with a key that is then shown only
 * as set, finds it all again after a reload, sets the Slack webhook and their own email
 * preferences, sees the organization, and removes the provider after confirming. An agent-role
 * member has no Settings link.
 */
const KEY = 'sk-test-do-not-show-4f1c9a';

describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)('the console: settings (Chromium)', () => {
  let t: TestApp;
  let baseUrl: string;
  let orgId: string;
  let apiKey: string;
  let browser: Browser;

  beforeAll(async () => {
    // The outbound guard resolves host names: one public, one on a private network.
    const app = await consoleTestApp({
      resolveHost: async (host: string) =>
        host === 'intranet.example'
          ? [{ address: '10.1.2.3', family: 4 }]
          : [{ address: '93.184.215.14', family: 4 }],
    });
    ({ t, baseUrl } = app);
    ({ orgId, apiKey } = await t.createOrg('Acme'));
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

  const signIn = async (email: string) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${baseUrl}/`);
    await page.getByRole('textbox', { name: 'Email' }).fill(email);
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Inbox' }).waitFor();
    return { context, page };
  };
  const api = async (path: string) =>
    (await t.app.inject({ method: 'GET', url: path, headers: { authorization: `Bearer ${apiKey}` } })).json();

  it('saves a model provider with a write-only key, keeps it over a reload, sets notifications, removes it', async () => {
    const { context, page } = await signIn('ada@example.com');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    await page.getByText(/None set: answers in Model mode use the server's default model/).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);

    // A private address: the server refuses it and says why, on the field.
    await page.getByRole('textbox', { name: 'Base URL' }).fill('https://intranet.example/v1');
    await page.getByRole('textbox', { name: 'Model' }).fill('gpt-4o-mini');
    await page.getByLabel('API key').fill(KEY);
    await page.getByRole('button', { name: 'Save provider' }).click();
    await page.getByText(/baseUrl resolves to a private network address \(10\.1\.2\.3\)/).waitFor();
    expect(await page.getByRole('textbox', { name: 'Base URL' }).getAttribute('aria-invalid')).toBe('true');
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: '/v1/model-provider',
          headers: { authorization: `Bearer ${apiKey}` },
        })
      ).statusCode,
    ).toBe(404);

    // A public one is saved; the key is then only "set".
    await page.getByRole('textbox', { name: 'Base URL' }).fill('https://models.example.com/v1');
    await page.getByRole('button', { name: 'Save provider' }).click();
    await page.getByText('Model provider saved').waitFor();
    await page.getByText('A key is set').waitFor();
    expect(await api('/v1/model-provider')).toMatchObject({
      baseUrl: 'https://models.example.com/v1',
      model: 'gpt-4o-mini',
      hasApiKey: true,
    });
    expect(await page.content()).not.toContain(KEY);

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

    // Test connection: one tiny call to the saved provider; its failure is told in words.
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /^Connection failed: / })
      .waitFor();

    // A reload keeps everything, and still never shows the key or the webhook.
    await page.reload();
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    await page.getByText('A key is set').waitFor();
    expect(await page.getByRole('textbox', { name: 'Base URL' }).inputValue()).toBe(
      'https://models.example.com/v1',
    );
    expect(await page.getByRole('textbox', { name: 'Model' }).inputValue()).toBe('gpt-4o-mini');
    await page.getByText('A webhook is set').waitFor();
    expect(await page.getByRole('checkbox', { name: /Quote the visitor's message/ }).isChecked()).toBe(true);
    expect(await page.getByRole('checkbox', { name: /A conversation is assigned to me/ }).isChecked()).toBe(
      false,
    );
    expect(await page.getByRole('checkbox', { name: /A conversation waits for a person/ }).isChecked()).toBe(
      true,
    );
    const html = await page.content();
    expect(html).not.toContain(KEY);
    expect(html).not.toContain('hooks.example.com');
    expect(await seriousAxeViolations(page)).toEqual([]);
    // The main column scrolls inside the shell: a tall viewport shows the whole page at once.
    await page.setViewportSize({ width: 1280, height: 1700 });
    await page.screenshot({ path: '/tmp/console-settings.png' });
    await page.setViewportSize({ width: 390, height: 1800 });
    await page.screenshot({ path: '/tmp/console-settings-phone.png' });
    await page.setViewportSize({ width: 1280, height: 900 });

    // Replace the key without retyping the rest; clear it; the server agrees.
    await page.getByRole('button', { name: 'Clear key' }).click();
    await page.getByText('Will be removed when you save').waitFor();
    await page.getByRole('button', { name: 'Save provider' }).click();
    await page.getByText('Model provider saved').first().waitFor();
    await expect.poll(async () => (await api('/v1/model-provider')).hasApiKey).toBe(false);

    // Remove, after confirming.
    await page.getByRole('button', { name: 'Remove provider' }).click();
    await page
      .getByRole('dialog', { name: 'Remove the model provider?' })
      .getByRole('button', { name: 'Remove provider' })
      .click();
    await page.getByText('Model provider removed').waitFor();
    await page.getByText(/None set: answers in Model mode/).waitFor();
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: '/v1/model-provider',
          headers: { authorization: `Bearer ${apiKey}` },
        })
      ).statusCode,
    ).toBe(404);
    await context.close();
  });

  it('has no Settings link for an agent-role member, and the URL sends them to the inbox', async () => {
    const { context, page } = await signIn('ben@example.com');
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Usage' }).waitFor();
    expect(await nav.getByRole('link', { name: 'Settings' }).count()).toBe(0);
    await page.goto(`${baseUrl}/console/o/${orgId}/settings`);
    await page.getByRole('heading', { name: 'Inbox' }).waitFor();
    await context.close();
  });
});
