import { existsSync } from 'node:fs';
import type { Browser, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../src/testing/test-app.js';
import { addMembers, CHROMIUM, consoleTestApp, seriousAxeViolations, signIn } from './console-helpers.js';

/**
 * The Appearance section of an agent in Chromium: an admin sets the accent colour, the left
 * corner and a launcher label; the live preview (the real widget) takes them while still unsaved,
 * and again after saving; an avatar upload shows in the preview's header and can be removed.
 */
describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)('the console: agent appearance (Chromium)', () => {
  let t: TestApp;
  let baseUrl: string;
  let orgId: string;
  let apiKey: string;
  let agentId: string;
  let browser: Browser;

  beforeAll(async () => {
    const app = await consoleTestApp();
    ({ t, baseUrl } = app);
    ({ orgId, apiKey } = await t.createOrg('Acme'));
    await addMembers(t, orgId, [['ada@example.com', 'Ada', 'admin']]);
    const created = await t.app.inject({
      method: 'POST',
      url: '/v1/agents',
      headers: { authorization: `Bearer ${apiKey}` },
      payload: { name: 'Acme Help', greeting: 'Hi! Ask me about your order.' },
    });
    agentId = created.json().id;
    browser = await app.open();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const getAgent = async () =>
    (
      await t.app.inject({
        method: 'GET',
        url: `/v1/agents/${agentId}`,
        headers: { authorization: `Bearer ${apiKey}` },
      })
    ).json() as {
      accentColor: string;
      position: string;
      launcherLabel: string | null;
      avatarUrl: string | null;
    };

  /** The launcher inside the preview iframe, as the visitor's page draws it. */
  const launcherIn = async (page: Page) => {
    const handle = await page.locator('iframe[title="Widget preview"]').elementHandle();
    const frame = (await handle!.contentFrame()) as Frame;
    const button = frame.locator('#confidant-widget button.launcher');
    await button.waitFor();
    return { frame, button };
  };
  const launcherLook = (frame: Frame) =>
    frame.evaluate(() => {
      const button = document
        .getElementById('confidant-widget')!
        .shadowRoot!.querySelector('button.launcher')!;
      const box = button.getBoundingClientRect();
      return {
        background: getComputedStyle(button).backgroundColor,
        color: getComputedStyle(button).color,
        side: box.left + box.width / 2 < window.innerWidth / 2 ? 'left' : 'right',
        text: button.querySelector('.launcher-text')?.textContent ?? '',
      };
    });

  it('sets accent, corner and label; the preview shows them before and after saving; avatar up and off', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await signIn(page, baseUrl, 'ada@example.com');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Agents' }).click();
    await page.getByRole('link', { name: 'Acme Help' }).first().click();
    await page.getByRole('heading', { name: 'Acme Help', level: 1 }).waitFor();

    // Defaults first: teal, right, no label.
    let { frame } = await launcherIn(page);
    await expect
      .poll(() => launcherLook(frame))
      .toMatchObject({ background: 'rgb(15, 118, 110)', side: 'right' });

    // Unsaved edits reach the preview.
    await page.getByRole('textbox', { name: 'Accent colour', exact: true }).fill('#fde047');
    await page.getByRole('radio', { name: 'Bottom left' }).check();
    await page.getByRole('textbox', { name: 'Launcher label' }).fill('Chat with us');
    await expect
      .poll(async () => launcherLook((await launcherIn(page)).frame), { timeout: 10_000 })
      .toMatchObject({
        background: 'rgb(253, 224, 71)',
        color: 'rgb(0, 0, 0)',
        side: 'left',
        text: 'Chat with us',
      });
    // While the look is unsaved the chat stays closed, so the launcher shows its label.
    ({ frame } = await launcherIn(page));
    await frame.getByRole('button', { name: 'Chat with us' }).waitFor();
    await page.locator('.agent-preview').screenshot({ path: '/tmp/console-appearance-draft.png' });
    // The hint says which text colour the accent gets, and why it is readable.
    await page.getByText(/Text on it is black \(contrast \d+\.\d:1\)/).waitFor();

    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Agent saved').waitFor();
    expect(await getAgent()).toMatchObject({
      accentColor: '#fde047',
      position: 'bottom-left',
      launcherLabel: 'Chat with us',
    });

    // After saving the preview reloads, opens the chat and keeps the look; closed, the label names it.
    ({ frame } = await launcherIn(page));
    await frame.getByRole('dialog', { name: 'Acme Help' }).waitFor();
    // The iframe is phone-narrow, so the panel covers the page: close it from its header.
    await frame.locator('#confidant-widget .header button[aria-label="Close chat"]').click();
    await frame.getByRole('button', { name: 'Chat with us' }).waitFor();
    expect(await launcherLook(frame)).toMatchObject({ background: 'rgb(253, 224, 71)', side: 'left' });

    // The snippet carries the launcher's look.
    await page
      .getByText(/data-accent="#fde047" data-position="bottom-left" data-label="Chat with us"/)
      .waitFor();

    // An avatar: a real PNG drawn by the browser, uploaded through the file field.
    const dataUrl = await page.evaluate(() => {
      const canvas = document.createElement('canvas');
      canvas.width = canvas.height = 64;
      const ctx = canvas.getContext('2d')!;
      ctx.fillStyle = '#7c3aed';
      ctx.fillRect(0, 0, 64, 64);
      ctx.fillStyle = '#ffffff';
      ctx.beginPath();
      ctx.arc(32, 26, 12, 0, Math.PI * 2);
      ctx.fill();
      return canvas.toDataURL('image/png');
    });
    await page.locator('input[type="file"]').setInputFiles({
      name: 'face.png',
      mimeType: 'image/png',
      buffer: Buffer.from(dataUrl.split(',')[1]!, 'base64'),
    });
    await page.getByText('Avatar updated').waitFor();
    await page.getByRole('img', { name: 'Current avatar' }).waitFor();
    const { avatarUrl } = await getAgent();
    expect(avatarUrl).toMatch(/^\/v1\/widget\/avatars\/pk_[\w-]+\/[0-9a-f]{64}$/);
    ({ frame } = await launcherIn(page));
    await frame.getByRole('dialog', { name: 'Acme Help' }).waitFor();
    await expect
      .poll(() =>
        frame.evaluate(() => {
          const img = document
            .getElementById('confidant-widget')!
            .shadowRoot!.querySelector<HTMLImageElement>('.header .avatar img');
          return img ? { path: new URL(img.src).pathname, loaded: img.naturalWidth } : null;
        }),
      )
      .toEqual({ path: avatarUrl, loaded: 64 });

    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.getByRole('heading', { name: 'Appearance' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: '/tmp/console-appearance.png' });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('heading', { name: 'Appearance' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: '/tmp/console-appearance-phone.png' });
    await page.setViewportSize({ width: 1440, height: 900 });

    await page.getByRole('button', { name: 'Remove avatar' }).click();
    await page
      .getByRole('dialog', { name: 'Remove the avatar?' })
      .getByRole('button', { name: 'Remove avatar' })
      .click();
    await page.getByText('Avatar removed').waitFor();
    expect((await getAgent()).avatarUrl).toBeNull();
    await context.close();
  });
});
