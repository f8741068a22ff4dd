import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../src/testing/test-app.js';
import { addMembers, CHROMIUM, consoleTestApp, seriousAxeViolations, signIn } from './console-helpers.js';

/**
 * The API keys page in Chromium: an admin creates a key, sees it once and copies it with the
 * button (the copied key works against the API), then revokes it after confirming (it stops
 * working). An agent sees no "API keys" link.
 */

describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)('the console: API keys (Chromium)', () => {
  let t: TestApp;
  let baseUrl: string;
  let orgId: string;
  let browser: Browser;

  beforeAll(async () => {
    const app = await consoleTestApp();
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

  const openAs = async (email: string) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 820 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await signIn(page, baseUrl, email);
    return { context, page };
  };
  const callApi = (key: string) =>
    fetch(`${baseUrl}/v1/api-keys`, { headers: { authorization: `Bearer ${key}` } }).then((r) => r.status);

  it('creates a key shown once with a copy button, then revokes it after confirmation', async () => {
    const { context, page } = await openAs('ada@example.com');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API keys' }).click();
    await page.getByRole('heading', { name: 'API keys' }).waitFor();
    await page.getByRole('button', { name: 'Create API key' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Create an API key' });
    await dialog.getByRole('textbox', { name: 'Name' }).fill('CRM sync');
    await dialog.getByRole('combobox', { name: 'Role' }).selectOption('agent');
    await dialog.getByRole('button', { name: 'Create key' }).click();

    const shown = page.getByRole('dialog', { name: 'Your new API key' });
    const key = await shown.getByRole('textbox', { name: 'API key' }).inputValue();
    expect(key).toMatch(/^ck_/);
    await shown.getByRole('button', { name: 'Copy key' }).click();
    await shown.getByRole('button', { name: 'Copied' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);
    expect(await callApi(key)).toBe(403); // an agent key authenticates, but may not list keys
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/console-api-key-created.png' });
    await shown.getByRole('button', { name: 'Done' }).click();

    const row = page.getByRole('row', { name: /CRM sync/ });
    await row.getByText('Active').waitFor();
    expect(await row.innerText()).not.toContain(key);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await row.getByRole('button', { name: 'Revoke CRM sync' }).click();
    const confirm = page.getByRole('dialog', { name: 'Revoke “CRM sync”?' });
    await confirm.getByRole('button', { name: 'Revoke key' }).click();
    await row.getByText('Revoked').waitFor();
    expect(await callApi(key)).toBe(401);
    await page.screenshot({ path: '/tmp/console-api-keys.png' });
    await context.close();
  });

  it('shows no API keys link to an agent', async () => {
    const { context, page } = await openAs('ben@example.com');
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Inbox' }).waitFor();
    expect(await nav.getByRole('link', { name: 'API keys' }).count()).toBe(0);
    await context.close();
  });
});
