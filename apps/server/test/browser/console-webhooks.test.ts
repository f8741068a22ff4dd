import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Receiver, startReceiver } from '../../src/modules/webhooks/testing/receiver.js';
import type { TestApp } from '../../src/testing/test-app.js';
import { addMembers, CHROMIUM, consoleTestApp, seriousAxeViolations, signIn } from './console-helpers.js';

/**
 * The Webhooks page in Chromium: an admin adds an endpoint with event checkboxes, copies the
 * secret shown once, sends a test event (the local receiver verifies its signature with that
 * secret), sees it in the delivery log, then disables it; and creates an inbound hook whose URL
 * and secret are shown once.
 */
describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)('the console: webhooks (Chromium)', () => {
  let t: TestApp;
  let baseUrl: string;
  let orgId: string;
  let browser: Browser;
  let receiver: Receiver;

  beforeAll(async () => {
    receiver = await startReceiver();
    const app = await consoleTestApp({ env: { CONFIDANT_ALLOW_PRIVATE_NETWORKS: 'true' } });
    ({ t, baseUrl } = app);
    ({ orgId } = await t.createOrg('Acme'));
    await addMembers(t, orgId, [['ada@example.com', 'Ada', 'admin']]);
    browser = await app.open();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await receiver?.close();
  }, 60_000);

  it('adds a webhook, shows the secret once, sends a test and lists the delivery', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await signIn(page, baseUrl, 'ada@example.com');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Webhooks' }).click();
    await page.getByRole('heading', { name: 'Webhooks', level: 1 }).waitFor();

    await page.getByRole('button', { name: 'Add webhook' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a webhook' });
    await dialog.getByRole('textbox', { name: 'Endpoint URL' }).fill(receiver.url);
    await dialog.getByRole('checkbox', { name: /conversation\.closed/ }).check();
    await dialog.getByRole('checkbox', { name: /incident\.created/ }).check();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Add webhook' }).click();

    const shown = page.getByRole('dialog', { name: 'Webhook added' });
    const secret = await shown.getByRole('textbox', { name: 'Signing secret' }).inputValue();
    expect(secret).toMatch(/^whsec_/);
    await shown.getByRole('button', { name: 'Copy secret' }).click();
    await shown.getByRole('button', { name: 'Copied' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    await shown.getByRole('button', { name: 'Done' }).click();

    const row = page.getByRole('row', { name: new RegExp(receiver.url.replaceAll('.', '\\.')) });
    await row.getByText('Enabled').waitFor();
    expect(await row.innerText()).toContain('conversation.waiting, conversation.closed, incident.created');
    expect(await page.content()).not.toContain(secret);

    await row.getByRole('button', { name: `Send test event to ${receiver.url}` }).click();
    const received = await receiver.waitFor((r) => r.json.type === 'webhook.test', 'test event');
    new Webhook(secret).verify(received.raw, received.headers as Record<string, string>);

    await row.getByRole('button', { name: `Deliveries of ${receiver.url}` }).click();
    const log = page.getByRole('dialog', { name: 'Deliveries' });
    const delivery = log.getByRole('row', { name: /webhook\.test/ });
    await delivery.getByText('succeeded').waitFor();
    expect(await delivery.innerText()).toContain('200');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/console-webhook-deliveries.png' });
    await delivery.getByRole('button', { name: /Retry webhook\.test/ }).click();
    await page.keyboard.press('Escape');

    await row.getByRole('button', { name: `Disable ${receiver.url}` }).click();
    await row.getByText('Disabled').waitFor();

    await page.getByRole('button', { name: 'Create inbound hook' }).click();
    const create = page.getByRole('dialog', { name: 'Create an inbound hook' });
    await create.getByRole('textbox', { name: 'Name' }).fill('Help desk');
    await create.getByRole('button', { name: 'Create hook' }).click();
    const created = page.getByRole('dialog', { name: 'Inbound hook created' });
    const url = await created
      .getByRole('textbox', { name: 'URL to paste into the integration' })
      .inputValue();
    expect(url).toMatch(new RegExp(`^${baseUrl}/v1/hooks/ih_[0-9a-f]{64}$`));
    expect(await created.getByRole('textbox', { name: 'Signing secret' }).inputValue()).toMatch(/^whsec_/);
    await created.getByRole('button', { name: 'Done' }).click();
    await page
      .getByRole('row', { name: /Help desk/ })
      .getByText('Enabled')
      .waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/console-webhooks.png' });
    await context.close();
  }, 180_000);
});
