import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../src/testing/test-app.js';
import {
  addMembers,
  CHROMIUM,
  consoleTestApp,
  savedDownload,
  seriousAxeViolations,
  signIn,
} from './console-helpers.js';

/**
 * The audit log page in Chromium: actions done through the API (an API key created and revoked,
 * an invitation sent) are listed newest first in words, the chain shows as verified, and the
 * action filter narrows the list. An agent sees no "Audit log" link.
 */

describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)('the console: audit log (Chromium)', () => {
  let t: TestApp;
  let baseUrl: string;
  let ownerKey: string;
  let browser: Browser;

  beforeAll(async () => {
    const app = await consoleTestApp();
    ({ t, baseUrl } = app);
    const org = await t.createOrg('Acme');
    ownerKey = org.apiKey;
    await addMembers(t, org.orgId, [
      ['ada@example.com', 'ada', 'admin'],
      ['ben@example.com', 'ben', 'agent'],
    ]);
    browser = await app.open();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${ownerKey}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    expect(res.ok, `${method} ${path}: ${res.status}`).toBe(true);
    return res.status === 204 ? null : res.json();
  };

  const openAs = async (email: string) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 820 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await signIn(page, baseUrl, email);
    return { context, page };
  };

  it('lists the actions done through the API and shows the chain verified', async () => {
    const key = (await api('POST', '/v1/api-keys', { name: 'CRM sync', role: 'agent' })) as { id: string };
    await api('DELETE', `/v1/api-keys/${key.id}`);
    await api('POST', '/v1/invitations', { email: 'cleo@example.com', role: 'viewer' });

    const { context, page } = await openAs('ada@example.com');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    await page
      .getByRole('status')
      .getByText(/Chain verified — \d+ entries/)
      .waitFor();

    const table = page.getByRole('table', { name: 'Audit log entries' });
    await table.getByRole('row', { name: /Invitation sent/ }).waitFor();
    const actions = await table.locator('tbody tr td:nth-child(3)').allInnerTexts();
    // Newest first: the invitation, then the revocation, then the creation.
    const order = ['Invitation sent', 'API key revoked', 'API key created'].map((a) =>
      actions.findIndex((text) => text.startsWith(a)),
    );
    expect(order.every((i) => i >= 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    const created = table.getByRole('row', { name: /API key created/ }).first();
    expect(await created.innerText()).toContain('API key'); // actor type: the owner's key
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/console-audit.png', fullPage: true });

    await page.getByRole('combobox', { name: 'Action' }).selectOption({ label: 'API keys' });
    await table.getByRole('row', { name: /Invitation sent/ }).waitFor({ state: 'detached' });
    const filtered = await table.locator('tbody tr td:nth-child(3)').allInnerTexts();
    expect(filtered.length).toBeGreaterThanOrEqual(2);
    expect(filtered.every((text) => text.includes('api_key.'))).toBe(true);

    // More than a page: "Load more" follows nextCursor to the older entries.
    for (let i = 0; i < 50; i++) await api('POST', '/v1/api-keys', { name: `bulk ${i}`, role: 'viewer' });
    await page.reload();
    await table.locator('tbody tr').nth(49).waitFor();
    expect(await table.locator('tbody tr').count()).toBe(50);
    await page.getByRole('button', { name: 'Load more' }).click();
    await table.locator('tbody tr').nth(50).waitFor();
    expect(await page.getByRole('button', { name: 'Load more' }).count()).toBe(0);

    await page.getByRole('textbox', { name: 'Actor id' }).fill('nobody');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByText('No entries match these filters').waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await context.close();
  });

  it('signs a checkpoint on demand and downloads the checkpoints as a file the CLI reads', async () => {
    const { context, page } = await openAs('ada@example.com');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
    const section = page.getByRole('region', { name: 'Signed checkpoints' });
    await section.getByText(/No checkpoint yet/).waitFor();
    expect(await section.getByRole('button', { name: 'Download checkpoints' }).isDisabled()).toBe(true);

    await section.getByRole('button', { name: 'Sign now' }).click();
    await page.getByText(/Checkpoint signed at entry \d+/).waitFor();
    const rows = section.getByRole('table', { name: 'Newest signed checkpoints' }).locator('tbody tr');
    await rows.first().waitFor();
    const listed = (await api('GET', '/v1/audit/checkpoints')) as {
      checkpoints: { seq: number; keyId: string }[];
    };
    expect(listed.checkpoints).toHaveLength(1);
    expect(await rows.first().innerText()).toContain(`#${listed.checkpoints[0]!.seq}`);
    expect(await rows.first().innerText()).toContain(listed.checkpoints[0]!.keyId);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/console-audit-checkpoints.png' });

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      section.getByRole('button', { name: 'Download checkpoints' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('audit-checkpoints.json');
    const file = await savedDownload(download);
    const { parseCheckpointFile } = await import('../../src/modules/audit/verify-checkpoints.js');
    const { readFile } = await import('node:fs/promises');
    expect(parseCheckpointFile(await readFile(file, 'utf8')).map((c) => c.seq)).toEqual([
      listed.checkpoints[0]!.seq,
    ]);
    await context.close();
  });

  it('shows no Audit log link to an agent', async () => {
    const { context, page } = await openAs('ben@example.com');
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Inbox' }).waitFor();
    expect(await nav.getByRole('link', { name: 'Audit log' }).count()).toBe(0);
    await context.close();
  });
});
