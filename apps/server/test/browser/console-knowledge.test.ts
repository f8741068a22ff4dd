import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../src/testing/test-app.js';
import { addMembers, CHROMIUM, consoleTestApp, seriousAxeViolations, signIn } from './console-helpers.js';

/**
 * The Knowledge page in Chromium: an admin uploads two files at once through the "Upload files"
 * button, watches both progress bars until both sources are Ready (the in-process job worker
 * indexes them, as in production), asks the playground a question one file answers and sees the
 * citation and the scores, adds a Q&A entry and a synonym group, and deletes a source after
 * confirming. An operator sees the sources and the playground but no way to change them.
 */
const section = (heading: string, paragraphs: string[]) => `## ${heading}\n\n${paragraphs.join('\n\n')}\n`;

/** Several sections of real prose, so each file is indexed as a few passages. */
const warrantyGuide = `# Espresso machine warranty

${section('What the warranty covers', [
  'Every Brewmaster espresso machine comes with a two-year warranty from the date of delivery. The warranty covers defects in materials and workmanship, including the pump, the boiler, the heating element and the electronic controls. If a covered part fails during normal household use, we repair or replace the machine free of charge.',
  'Descaling problems caused by hard water are not defects, so please descale the machine every two months as the manual explains. Damage from drops, commercial use or unauthorised repairs is not covered by the warranty either.',
])}
${section('Extending the warranty', [
  'You can extend the warranty to five years within thirty days of delivery by registering the machine in your account and choosing the extended plan. The extended plan also includes one free annual service, during which a technician replaces the gaskets and checks the brewing pressure.',
])}
${section('Making a warranty claim', [
  'To make a claim, open your account, choose the machine under Registered products and describe the fault. Attach a short video of the problem if you can. We answer within two business days and send a prepaid shipping label when the machine needs to come to our workshop.',
  'Repairs under warranty usually take five to seven business days from the moment the machine arrives at the workshop, and we ship it back at no cost to you.',
])}`;

const shippingGuide = `# Shipping times

${section('Delivery within the country', [
  'Orders placed before two in the afternoon leave our warehouse on the same business day. Standard delivery takes two to four business days and is free for orders above forty euros. Express delivery arrives the next business day for a fee of nine euros.',
])}
${section('International delivery', [
  'We deliver to every country of the European Union, to Switzerland and to Norway. International parcels take four to eight business days depending on the destination, and customs fees outside the European Union are paid by the recipient on delivery.',
])}
${section('Tracking a parcel', [
  'As soon as the parcel leaves the warehouse you receive an email with a tracking link. The tracking page shows where the parcel is and lets you choose a pick-up point or another delivery day if you will not be at home.',
])}`;

/** The start of a PNG: a format the knowledge base does not read. */
const PNG_BYTES = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)('the console: Knowledge (Chromium)', () => {
  let t: TestApp;
  let baseUrl: string;
  let browser: Browser;

  beforeAll(async () => {
    const app = await consoleTestApp();
    ({ t, baseUrl } = app);
    const { orgId, apiKey } = await t.createOrg('Brewmaster');
    await addMembers(t, orgId, [
      ['ada@example.com', 'Ada', 'admin'],
      ['ben@example.com', 'Ben', 'agent'],
    ]);
    const agent = await t.app.inject({
      method: 'POST',
      url: '/v1/agents',
      headers: { authorization: `Bearer ${apiKey}` },
      payload: { name: 'Brewmaster helper', allowedOrigins: ['https://shop.example'] },
    });
    expect(agent.statusCode).toBe(201);
    browser = await app.open();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const openKnowledge = async (email: string) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await signIn(page, baseUrl, email);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Knowledge' }).click();
    await page.getByRole('heading', { name: 'Knowledge', level: 1 }).waitFor();
    return { context, page };
  };

  /** Records the name of every progress bar that ever appears (indexing may be quick). */
  const watchProgressBars = (page: Page) =>
    page.evaluate(() => {
      const seen = new Set<string>();
      (window as unknown as { seenProgress: Set<string> }).seenProgress = seen;
      const record = () => {
        for (const bar of document.querySelectorAll('[role="progressbar"]')) {
          const now = Number(bar.getAttribute('aria-valuenow'));
          if (
            bar.getAttribute('aria-valuemin') === '0' &&
            bar.getAttribute('aria-valuemax') === '100' &&
            now >= 0
          )
            seen.add(bar.getAttribute('aria-label') ?? '');
        }
      };
      new MutationObserver(record).observe(document.body, {
        subtree: true,
        childList: true,
        attributes: true,
      });
      record();
    });
  const progressBarsSeen = (page: Page) =>
    page.evaluate(() => [...(window as unknown as { seenProgress: Set<string> }).seenProgress].sort());

  it('uploads two files at once, watches both index to Ready, asks the playground, adds a Q&A, deletes a source', async () => {
    const { context, page } = await openKnowledge('ada@example.com');
    await page.getByText('No knowledge yet').waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);

    await watchProgressBars(page);
    const [chooser] = await Promise.all([
      page.waitForEvent('filechooser'),
      page.getByRole('button', { name: 'Upload files' }).click(),
    ]);
    expect(chooser.isMultiple()).toBe(true);
    await chooser.setFiles([
      { name: 'warranty.md', mimeType: 'text/markdown', buffer: Buffer.from(warrantyGuide) },
      { name: 'shipping.md', mimeType: 'text/markdown', buffer: Buffer.from(shippingGuide) },
      // Refused (415) on its own; the two guides are added regardless.
      { name: 'logo.png', mimeType: 'image/png', buffer: PNG_BYTES },
      // Accepted (it says it is a PDF) but unreadable: it fails while indexing, saying why.
      {
        name: 'broken.pdf',
        mimeType: 'application/pdf',
        buffer: Buffer.from('%PDF-1.7\n%not really a PDF\n'),
      },
    ]);
    const refused = page
      .getByRole('list', { name: 'Uploads' })
      .getByRole('listitem')
      .filter({ hasText: 'logo.png' });
    expect(await refused.getByRole('alert').innerText()).toMatch(/^Not added: .+/);

    const sources = page.getByRole('region', { name: 'Sources' });
    const warrantyRow = sources.getByRole('row', { name: /Espresso machine warranty/ });
    const shippingRow = sources.getByRole('row', { name: /Shipping times/ });
    await warrantyRow.waitFor();
    await shippingRow.waitFor();
    await page.screenshot({ path: '/tmp/console-knowledge-indexing.png' });
    expect(await refused.count()).toBe(1);
    await warrantyRow.getByText('Ready', { exact: true }).waitFor({ timeout: 60_000 });
    await shippingRow.getByText('Ready', { exact: true }).waitFor({ timeout: 60_000 });
    const brokenRow = sources.getByRole('row', { name: /broken/ });
    await brokenRow.getByText('Failed', { exact: true }).waitFor({ timeout: 60_000 });
    expect((await brokenRow.locator('.source-error').innerText()).length).toBeGreaterThan(10);
    // Every one was shown indexing with a progress bar on the way, and none is left once all settled.
    expect(await progressBarsSeen(page)).toEqual([
      'Indexing Espresso machine warranty',
      'Indexing Shipping times',
      'Indexing broken',
    ]);
    expect(await page.getByRole('progressbar').count()).toBe(0);
    expect(await warrantyRow.innerText()).toMatch(/\d+ passages/);
    expect(await warrantyRow.innerText()).toContain('warranty.md');

    // The playground answers from the warranty guide, cites it, and shows the scores.
    await page
      .getByRole('textbox', { name: 'Question' })
      .fill('How long is the warranty on the espresso machine?');
    await page.getByRole('button', { name: 'Ask', exact: true }).click();
    const answer = page.getByRole('article', { name: 'Answer' });
    await answer.waitFor();
    expect(await answer.innerText()).toContain('two-year warranty');
    await answer.getByText('Quoted from your knowledge').waitFor();
    const cited = answer.getByRole('heading', { name: 'Cited' }).locator('xpath=..').getByRole('listitem');
    expect(await cited.allInnerTexts()).toEqual(['Espresso machine warranty']);
    const citedPassage = answer.getByRole('row', { name: /Espresso machine warranty.*Cited/s }).first();
    expect(await citedPassage.innerText()).toMatch(/\b[01]\.\d\d\b/);
    await page.screenshot({ path: '/tmp/console-knowledge.png' });
    await answer.scrollIntoViewIfNeeded();
    await page.screenshot({ path: '/tmp/console-knowledge-answer.png' });
    expect(await seriousAxeViolations(page)).toEqual([]);

    // A Q&A entry through the dialog.
    await page.getByRole('button', { name: 'Add Q&A' }).click();
    const qa = page.getByRole('dialog', { name: 'Add a Q&A entry' });
    await qa.getByRole('textbox', { name: 'Question' }).fill('Can I pay by invoice?');
    await qa
      .getByRole('textbox', { name: 'Answer' })
      .fill('Yes, businesses can pay by invoice within 30 days.');
    await qa.getByRole('button', { name: 'Add entry' }).click();
    await qa.waitFor({ state: 'detached' });
    await page
      .getByRole('row', { name: /Can I pay by invoice\?/ })
      .getByText('Ready', { exact: true })
      .waitFor();

    // A website the address policy refuses: the dialog says why, in the server's words.
    await page.getByRole('button', { name: 'Add website' }).click();
    const website = page.getByRole('dialog', { name: 'Add a website' });
    await website.getByRole('textbox', { name: 'Website address' }).fill('http://127.0.0.1:9/help');
    await website.getByRole('button', { name: 'Add website' }).click();
    expect(await website.getByRole('alert').innerText()).toMatch(/^The website cannot be crawled: .+/);
    await page.screenshot({ path: '/tmp/console-knowledge-website-refused.png' });
    await website.getByRole('button', { name: 'Cancel' }).click();
    await website.waitFor({ state: 'detached' });
    // Closing forgot what was typed, and the refusal.
    await page.getByRole('button', { name: 'Add website' }).click();
    expect(await website.getByRole('textbox', { name: 'Website address' }).inputValue()).toBe('');
    expect(await website.getByRole('alert').count()).toBe(0);
    await website.getByRole('button', { name: 'Cancel' }).click();
    await website.waitFor({ state: 'detached' });

    // Pasted text through its dialog.
    await page.getByRole('button', { name: 'Add text' }).click();
    const text = page.getByRole('dialog', { name: 'Add text' });
    await text.getByRole('textbox', { name: 'Title' }).fill('Returns policy');
    await text
      .getByRole('textbox', { name: 'Content' })
      .fill('# Returns\n\nAny item can be returned within 30 days for a full refund.');
    await text.getByRole('button', { name: 'Add text' }).click();
    await text.waitFor({ state: 'detached' });
    await page
      .getByRole('row', { name: /Returns policy/ })
      .getByText('Ready', { exact: true })
      .waitFor();

    // A synonym group.
    await page.getByRole('textbox', { name: 'Terms' }).fill('guarantee, warranty');
    await page.getByRole('button', { name: 'Add synonyms' }).click();
    await page.getByRole('button', { name: 'Delete synonyms guarantee, warranty' }).waitFor();

    // Deleting asks first.
    await shippingRow.getByRole('button', { name: 'Delete Shipping times' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete “Shipping times”?' });
    await confirm.getByRole('button', { name: 'Delete source' }).click();
    await confirm.waitFor({ state: 'detached' });
    await shippingRow.waitFor({ state: 'detached' });
    expect(await sources.getByRole('row', { name: /Espresso machine warranty/ }).count()).toBe(1);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 390, height: 844 });
    // On a phone the page fits the screen (wide tables scroll in their own box).
    const main = page.locator('#main');
    expect(await main.evaluate((m) => m.scrollWidth - m.clientWidth)).toBeLessThanOrEqual(0);
    await sources.scrollIntoViewIfNeeded();
    await page.screenshot({ path: '/tmp/console-knowledge-phone.png' });
    await context.close();
  });

  it('lets an operator read the sources and test questions, but not change them', async () => {
    const { context, page } = await openKnowledge('ben@example.com');
    await page.getByRole('row', { name: /Espresso machine warranty/ }).waitFor();
    await page.getByRole('heading', { name: 'Test a question' }).waitFor();
    expect(await page.getByRole('button', { name: 'Upload files' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Add website' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Delete / }).count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'Synonyms' }).count()).toBe(0);
    await context.close();
  });
});
