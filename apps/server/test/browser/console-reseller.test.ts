import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../src/testing/test-app.js';
import { addMembers, CHROMIUM, consoleTestApp, seriousAxeViolations, signIn } from './console-helpers.js';

/**
 * A reseller's admin opens a client org from the org switcher (grouped under "Clients of …"),
 * acts in it with the inherited role, and comes back to the reseller.
 */
describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)(
  'the console: a reseller opens its clients (Chromium)',
  () => {
    let t: TestApp;
    let baseUrl: string;
    let browser: Browser;
    let client: { orgId: string };

    beforeAll(async () => {
      const app = await consoleTestApp();
      ({ t, baseUrl } = app);
      const reseller = await t.createOrg('Northwind Agency', 'reseller');
      const res = await t.app.inject({
        method: 'POST',
        url: '/v1/orgs',
        headers: { authorization: `Bearer ${reseller.apiKey}` },
        payload: { name: 'Lumen Outdoor' },
      });
      client = res.json() as { orgId: string };
      await addMembers(t, reseller.orgId, [['rita@agency.example', 'Rita', 'owner']]);
      browser = await app.open();
    });

    afterAll(async () => {
      await browser?.close();
      await t?.close();
    });

    it('lists the client under its reseller and opens it as an admin', async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      await signIn(page, baseUrl, 'rita@agency.example');

      await page.getByRole('button', { name: /Organization: Northwind Agency/ }).click();
      const menu = page.getByRole('menu');
      await menu.getByText('Clients of Northwind Agency').waitFor();
      await menu.getByRole('menuitem', { name: 'Lumen Outdoor' }).click();
      await page.waitForURL(new RegExp(`/console/o/${client.orgId}/inbox`));
      await page
        .getByRole('button', { name: /Organization: Lumen Outdoor/ })
        .getByText('admin · via Northwind Agency')
        .waitFor();

      // Admin pages of the client are open to the inherited admin role.
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API keys' }).click();
      await page.getByRole('heading', { name: 'API keys' }).waitFor();
      expect(await seriousAxeViolations(page)).toEqual([]);
      await page.screenshot({ path: '/tmp/console-reseller.png' });
      await context.close();
    });
  },
);
