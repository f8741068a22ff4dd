import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { strFromU8, unzipSync } from 'fflate';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createWidgetOrg,
  startConversation,
  type WidgetOrg,
} from '../../src/modules/conversations/testing/widget-fixture.js';
import { identityHmac } from '../../src/modules/privacy/subjects/verify-identity.js';
import {
  canariesFor,
  issueIdentitySecret,
  needlesOf,
  seedSubject,
  visitorPost,
} from '../../src/modules/privacy/testing/subject-fixture.js';
import { scanForResidue } from '../../src/testing/residue-scan.js';
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
 * The privacy requests page in Chromium: an admin starts an export of a visitor (by the email they
 * left), watches it complete and downloads the zip (which holds their chat); then starts an
 * erasure, confirms the irreversible step, watches it complete — and the visitor's data is gone
 * from every store. Accessible (axe) in the empty, dialog and filled states.
 */
describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)('the console: privacy requests (Chromium)', () => {
  let t: TestApp;
  let baseUrl: string;
  let org: WidgetOrg;
  let browser: Browser;
  const visitor = canariesFor('brw1', 31);
  let conversationId: string;

  beforeAll(async () => {
    const app = await consoleTestApp();
    ({ t, baseUrl } = app);
    org = await createWidgetOrg(t, 'Acme', {}, []);
    await addMembers(t, org.orgId, [['ada@example.com', 'Ada', 'admin']]);
    const secret = await issueIdentitySecret(t, org.apiKey, org.agentId);
    browser = await app.open();
    ({ conversationId } = await seedSubject(t, baseUrl, org, secret, visitor, { handoff: true }));
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('exports, downloads and erases a visitor’s data', async () => {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 820 },
      acceptDownloads: true,
    });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await signIn(page, baseUrl, 'ada@example.com');

    // Operators see who the site said the visitor is (verified, decrypted for them).
    await page.goto(`${baseUrl}/console/o/${org.orgId}/inbox/${conversationId}`);
    const panel = page.getByRole('complementary', { name: 'Visitor' });
    await panel.getByText(visitor.name).waitFor();
    await panel.getByText('Verified').waitFor();
    await panel.getByText(visitor.userId).waitFor();
    await page.screenshot({ path: '/tmp/console-visitor-identity.png' });

    await page.goto(`${baseUrl}/console/o/${org.orgId}/privacy/requests`);
    await page.getByRole('heading', { name: 'Privacy requests' }).waitFor();
    await page.getByText('No privacy requests yet').waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);

    // Export.
    await page.getByRole('button', { name: 'New request' }).click();
    const dialog = page.getByRole('dialog', { name: 'New privacy request' });
    await dialog.getByRole('radio', { name: /Export/ }).check();
    await dialog.getByRole('combobox', { name: 'Identify the person by' }).selectOption('email');
    await dialog.getByRole('textbox', { name: 'Email' }).fill(visitor.contactEmail);
    await dialog.getByRole('textbox', { name: 'Note (optional)' }).fill('Ticket 4711');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/console-privacy-new-request.png' });
    await dialog.getByRole('button', { name: 'Start export' }).click();

    const exportRow = page.getByRole('row', { name: /Export/ });
    await exportRow.getByText('Completed').waitFor();
    expect(await exportRow.innerText()).toContain('c•••@example.com');
    expect(await page.content()).not.toContain(visitor.contactEmail);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      exportRow.getByRole('button', { name: 'Download export of c•••@example.com' }).click(),
    ]);
    const files = unzipSync(new Uint8Array(await readFile(await savedDownload(download))));
    expect(Object.keys(files)).toContain('subject.json');
    expect(strFromU8(files['subject.json']!)).toContain(visitor.message);

    // Erasure, confirmed.
    await page.getByRole('button', { name: 'New request' }).click();
    await dialog.getByRole('radio', { name: /Erasure/ }).check();
    await dialog.getByRole('textbox', { name: 'Email' }).fill(visitor.contactEmail);
    await dialog.getByRole('button', { name: 'Continue to erasure' }).click();
    const confirm = page.getByRole('dialog', { name: 'Erase this person’s data?' });
    await confirm.getByText('This cannot be undone').waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await confirm.getByRole('button', { name: 'Erase permanently' }).click();

    const erasureRow = page.getByRole('row', { name: /Erasure/ });
    await erasureRow.getByText('Completed').waitFor();
    await erasureRow.getByText(/rows in \d+ tables/).waitFor();
    // The earlier export went with the erasure: its download is gone.
    await exportRow.getByText('No longer available').waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/console-privacy-requests.png', fullPage: true });
    // A phone: the table scrolls sideways inside its box; the page's content fits the width.
    await page.setViewportSize({ width: 375, height: 800 });
    await page.getByRole('heading', { name: 'Privacy requests' }).waitFor();
    // (The shell's own top bar scrolls sideways at this width; the page's content fits.)
    const right = await page.evaluate(() =>
      Math.max(...[...document.querySelectorAll('.page > *')].map((e) => e.getBoundingClientRect().right)),
    );
    expect(right).toBeLessThanOrEqual(375);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/console-privacy-requests-phone.png' });

    const residue = await scanForResidue(
      { database: t.database, dataDir: t.config.dataDir },
      needlesOf(visitor),
    );
    expect(residue).toEqual([]);
    await context.close();
  });

  it('generates an identity secret shown once, and rotates it only after confirming', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await signIn(page, baseUrl, 'ada@example.com');
    await page.goto(`${baseUrl}/console/o/${org.orgId}/agents/${org.agentId}`);
    const card = page.getByRole('region', { name: 'Verify who visitors are' });
    await card.getByText('Secret set').waitFor(); // issued through the API in beforeAll
    await card.getByRole('button', { name: 'Rotate identity secret' }).click();
    await page
      .getByRole('dialog', { name: 'Rotate the identity secret?' })
      .getByRole('button', { name: 'Rotate secret' })
      .click();
    const shown = page.getByRole('dialog', { name: 'Your identity secret' });
    const secret = await shown.getByRole('textbox', { name: 'Identity secret' }).inputValue();
    expect(secret).toMatch(/^cis_/);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/console-identity-secret.png' });
    await shown.getByRole('button', { name: 'Done' }).click();
    await shown.waitFor({ state: 'detached' });
    expect(await page.content()).not.toContain(secret);
    // The new secret verifies identities.
    const c = await startConversation(baseUrl, org.agentKey);
    const ok = await visitorPost(baseUrl, c, '/identify', {
      userId: 'u-1',
      hmac: identityHmac(secret, 'u-1'),
    });
    expect(ok.status).toBe(204);
    await context.close();
  });
});
