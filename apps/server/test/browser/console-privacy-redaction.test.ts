import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../src/testing/test-app.js';
import { addMembers, CHROMIUM, consoleTestApp, seriousAxeViolations, signIn } from './console-helpers.js';

/**
 * The Privacy section's Redaction tab in Chromium: an admin pastes a message, checks it and sees
 * the text as a model provider would receive it plus the kinds of values replaced. Accessible
 * (axe) before and after checking.
 */
describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)('the console: redaction tester (Chromium)', () => {
  let t: TestApp;
  let baseUrl: string;
  let orgId: string;
  let browser: Browser;

  beforeAll(async () => {
    const app = await consoleTestApp();
    ({ t, baseUrl } = app);
    orgId = (await t.createOrg('Lumen')).orgId;
    await addMembers(t, orgId, [['ada@example.com', 'Ada', 'admin']]);
    browser = await app.open();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shows what the provider would receive', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await signIn(page, baseUrl, 'ada@example.com');

    await page.goto(`${baseUrl}/console/o/${orgId}/privacy`);
    await page.getByRole('link', { name: 'Redaction' }).click();
    await page.getByRole('heading', { name: 'Redaction' }).waitFor();
    await page.getByText('Nothing checked yet').waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page
      .getByRole('textbox', { name: 'Text to check' })
      .fill(
        'Hi, my name is Anna Schmidt. Call me on +49 30 12345678 or refund to de89 3704 0044 0532 0130 00.\nOrder #4411 ships Friday.\nThanks, Anna',
      );
    await page.getByRole('button', { name: 'Check' }).click();
    const output = page.getByTestId('redacted-text');
    await output.waitFor();
    expect(await output.textContent()).toBe(
      'Hi, my name is [PERSON_1]. Call me on [PHONE_1] or refund to [IBAN_1].\nOrder #4411 ships Friday.\nThanks, [PERSON_2]',
    );
    const list = page.getByRole('list', { name: 'Replaced values' });
    await expect(list.getByRole('listitem').count()).resolves.toBe(4);
    await list.getByText('IBAN').waitFor();
    await page.getByRole('heading', { name: '4 values replaced' }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/console-privacy-redaction.png', fullPage: true });
    await context.close();
  });
});
