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

const SMTP_CANARY = 'canary-smtp-browser-2WW';
const KEY_CANARY = 'canary-provider-browser-7YY';

/**
 * The Privacy section's Records tab in Chromium: an admin sees the records generated from the
 * live configuration (the org's model provider, the operator's SMTP host, never a credential),
 * downloads them as Markdown, then copies an agent's privacy notice from the agent page.
 * Accessible (axe) on the records page and in the notice dialog.
 */
describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)(
  'the console: records of processing (Chromium)',
  () => {
    let t: TestApp;
    let baseUrl: string;
    let orgId: string;
    let agentId: string;
    let browser: Browser;

    beforeAll(async () => {
      const app = await consoleTestApp({
        resolveHost: async () => [{ address: '93.184.215.14', family: 4 }],
        env: {
          CONFIDANT_HOSTING_REGION: 'eu',
          CONFIDANT_SMTP_URL: `smtp://mailer:${SMTP_CANARY}@mail.example.test:587`,
        },
      });
      ({ t, baseUrl } = app);
      const org = await t.createOrg('Lumen');
      orgId = org.orgId;
      const as = (url: string, payload: object) =>
        t.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${org.apiKey}` }, payload });
      const provider = await as('/v1/model-providers', {
        kind: 'amazon-bedrock',
        name: 'Bedrock Frankfurt',
        region: 'eu-central-1',
        models: [{ id: 'anthropic.claude-3-haiku', type: 'chat' }],
        apiKey: KEY_CANARY,
      });
      expect(provider.statusCode, provider.body).toBe(201);
      const agent = await as('/v1/agents', { name: 'Shop helper', answerMode: 'model' });
      agentId = agent.json().id;
      await addMembers(t, orgId, [['ada@example.com', 'Ada', 'admin']]);
      browser = await app.open();
    });

    afterAll(async () => {
      await browser?.close();
      await t?.close();
    });

    it('shows the records, downloads them and copies an agent’s privacy notice', async () => {
      const context = await browser.newContext({
        viewport: { width: 1280, height: 900 },
        acceptDownloads: true,
      });
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      await signIn(page, baseUrl, 'ada@example.com');

      await page.goto(`${baseUrl}/console/o/${orgId}/privacy`);
      await page.getByRole('link', { name: 'Records' }).click();
      const subprocessors = page.getByRole('table', { name: 'Sub-processors' });
      await subprocessors.waitFor();
      await subprocessors.getByText('Amazon Bedrock — Bedrock Frankfurt').waitFor();
      await subprocessors.getByText('mail.example.test:587').waitFor();
      await page.getByText('Tenant isolation by row-level security').waitFor();
      await page
        .getByRole('table', { name: 'Processing activities' })
        .getByText('messages', { exact: true })
        .waitFor();
      expect(await page.content()).not.toContain(SMTP_CANARY);
      expect(await seriousAxeViolations(page)).toEqual([]);
      await page.screenshot({ path: '/tmp/console-privacy-records.png', fullPage: true });
      await page.getByRole('heading', { name: 'Technical measures' }).scrollIntoViewIfNeeded();
      await page.screenshot({ path: '/tmp/console-privacy-records-measures.png' });

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Download (Markdown)' }).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/^records-of-processing-lumen-\d{4}-\d{2}-\d{2}\.md$/);
      const markdown = await readFile(await savedDownload(download), 'utf8');
      expect(markdown).toContain('# Records of processing activities — Lumen');
      expect(markdown).toContain('bedrock-runtime.eu-central-1.amazonaws.com');
      expect(markdown).not.toContain(SMTP_CANARY);
      expect(markdown).not.toContain(KEY_CANARY);

      await page.goto(`${baseUrl}/console/o/${orgId}/agents/${agentId}`);
      await page.getByRole('button', { name: 'Show privacy notice' }).click();
      const dialog = page.getByRole('dialog', { name: 'Privacy notice for your policy' });
      await dialog
        .getByText('Amazon Bedrock (“Bedrock Frankfurt”) (region: eu-central-1)', { exact: false })
        .waitFor();
      expect(await seriousAxeViolations(page)).toEqual([]);
      await page.screenshot({ path: '/tmp/console-privacy-notice.png' });
      await dialog.getByRole('button', { name: 'Copy Markdown' }).click();
      await dialog.getByRole('button', { name: 'Copied' }).waitFor();
      const served = await page.evaluate(
        async ([id, org]) =>
          (
            await fetch(`/v1/agents/${id}/privacy-notice?format=md`, { headers: { 'X-Confidant-Org': org! } })
          ).text(),
        [agentId, orgId],
      );
      expect(served).toContain('region: eu-central-1');
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(served);
      await context.close();
    });
  },
);
