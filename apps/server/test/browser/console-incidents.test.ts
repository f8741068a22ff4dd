import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
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
 * The incident register in Chromium: an overdue incident stands out with its badge; an admin
 * registers a new one with the form (the countdown shows the hours left), marks the overdue one
 * notified with the reasons for the delay, and downloads its report for the authority.
 * Accessible (axe) in the list and form states.
 */
describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)('the console: incidents (Chromium)', () => {
  let t: TestApp;
  let baseUrl: string;
  let org: { orgId: string; apiKey: string };
  let browser: Browser;

  beforeAll(async () => {
    const app = await consoleTestApp();
    ({ t, baseUrl } = app);
    org = await t.createOrg('Acme');
    await addMembers(t, org.orgId, [
      ['olga@example.com', 'Olga', 'owner'],
      ['ada@example.com', 'Ada', 'admin'],
    ]);
    // Became aware four days ago and never notified: overdue.
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/incidents',
      headers: { authorization: `Bearer ${org.apiKey}` },
      payload: {
        title: 'Backup bucket left public',
        description: 'A storage bucket with chat exports was publicly readable for two days.',
        awareAt: new Date(Date.now() - 96 * 3_600_000).toISOString(),
        dataCategories: ['user.content.chat', 'user.contact.email'],
        subjectsAffected: 340,
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    browser = await app.open();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('lists with countdowns, registers and edits an incident, and downloads the report', {
    timeout: 90_000,
  }, async () => {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 860 },
      acceptDownloads: true,
    });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await signIn(page, baseUrl, 'ada@example.com');
    await page.goto(`${baseUrl}/console/o/${org.orgId}/privacy`);
    await page
      .getByRole('navigation', { name: 'Privacy sections' })
      .getByRole('link', { name: 'Incidents' })
      .click();
    await page.getByRole('heading', { name: 'Incidents' }).waitFor();

    const overdueRow = page.getByRole('row', { name: /Backup bucket left public/ });
    await overdueRow.getByText('Overdue', { exact: true }).waitFor();
    await overdueRow.getByText(/2\d h \d+ min late/).waitFor();
    expect(await overdueRow.getAttribute('class')).toContain('incident-overdue');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/console-incidents-overdue.png' });

    // Register a new one.
    await page.getByRole('button', { name: 'Register incident' }).click();
    const dialog = page.getByRole('dialog', { name: 'Register an incident' });
    await dialog.getByRole('textbox', { name: 'Title' }).fill('Invoice sent to the wrong customer');
    await dialog
      .getByRole('textbox', { name: 'What happened' })
      .fill('One invoice with a name and email went to another customer.');
    await dialog.getByRole('checkbox', { name: 'Names' }).check();
    await dialog.getByRole('checkbox', { name: 'Email addresses' }).check();
    await dialog.getByRole('spinbutton', { name: 'People affected (approx.)' }).fill('1');
    await dialog
      .getByRole('textbox', { name: 'Measures taken or proposed' })
      .fill('Asked the recipient to delete it.');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/console-incident-form.png', fullPage: true });
    await dialog.getByRole('button', { name: 'Register incident' }).click();
    const newRow = page.getByRole('row', { name: /Invoice sent to the wrong customer/ });
    await newRow.getByText(/7[12] h \d+ min left/).waitFor();
    await newRow.getByText('Open').waitFor();

    // A bad edit is refused with the server's words, nothing saved.
    await overdueRow.getByRole('button', { name: 'Edit Backup bucket left public' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit incident' });
    await edit.getByRole('combobox', { name: 'Status' }).selectOption('not_notifiable');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await edit
      .getByRole('alert')
      .getByText(/notNotifiableReason/)
      .waitFor();
    // Mark it notified, late, with the reasons.
    await edit.getByRole('combobox', { name: 'Status' }).selectOption('notified');
    await edit
      .getByRole('textbox', { name: 'Reasons for any delay past 72 hours' })
      .fill('The bucket owner was on leave.');
    await edit.getByRole('textbox', { name: 'Contact point (e.g. your DPO)' }).fill('dpo@acme.example');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await edit.waitFor({ state: 'detached' });
    await overdueRow.getByText('Authority notified').waitFor();
    expect((await overdueRow.getAttribute('class')) ?? '').not.toContain('incident-overdue');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/console-incidents.png', fullPage: true });

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      overdueRow.getByRole('button', { name: 'Download report for Backup bucket left public' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^incident-.+\.md$/);
    const report = await readFile(await savedDownload(download), 'utf8');
    expect(report).toContain('# Personal data breach report: Backup bucket left public');
    expect(report).toContain('Data subjects concerned: approximately 340');
    expect(report).toContain('dpo@acme.example');
    expect(report).toContain('## Reasons for the delay');
    expect(report).toContain('The bucket owner was on leave.');

    // The audit log names the changed fields, never the words.
    const audit = await t.app.inject({
      method: 'GET',
      url: '/v1/audit?limit=50&action=incident.',
      headers: { authorization: `Bearer ${org.apiKey}` },
    });
    const updated = audit.json().entries.find((e: { action: string }) => e.action === 'incident.updated');
    expect(updated.metadata.fields).toBe('authorityNotifiedAt,contactPoint,delayReason,status');

    await page.setViewportSize({ width: 375, height: 800 });
    await page.getByRole('heading', { name: 'Incidents' }).waitFor();
    // The page's content fits the width (the tabs and the table scroll sideways inside their boxes).
    const right = await page.evaluate(() =>
      Math.max(...[...document.querySelectorAll('.page > *')].map((e) => e.getBoundingClientRect().right)),
    );
    expect(right).toBeLessThanOrEqual(375);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/console-incidents-phone.png' });
    await context.close();
  });
});
