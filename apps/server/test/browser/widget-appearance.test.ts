import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueApiKey } from '../../src/modules/api-keys/service.js';
import { seedDemoOnce } from '../../src/modules/demo/seed.js';
import { multipart } from '../../src/modules/knowledge/testing/file-upload-kit.js';
import { withTenant } from '../../src/platform/db/tenancy.js';
import { createTestApp, type TestApp } from '../../src/testing/test-app.js';
import { CHROMIUM, launchChromium } from './console-helpers.js';

/**
 * An agent's saved appearance on a page whose tag carries none of it (an old snippet; a strict
 * CSP): the launcher draws with the defaults and asks nothing; opened, the chat takes the saved
 * accent, corner and label from its config, and shows the avatar — served by this server — in the
 * header and beside answers. Nothing is loaded from another host, and the CSP needed no exception.
 * The /demo page writes the look into its tag, so its launcher has it from the start.
 */
const HOST_CSP =
  "default-src 'none'; script-src 'self'; connect-src 'self'; img-src 'self'; style-src 'self'; base-uri 'none'";

describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)('widget appearance (Chromium)', () => {
  let t: TestApp;
  let dataDir: string;
  let baseUrl: string;
  let browser: Browser;
  let avatarUrl: string;
  let publishableKey: string;
  const cspViolations: string[] = [];
  const foreignRequests: string[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'confidant-browser-'));
    t = await createTestApp({ env: { CONFIDANT_DEMO: 'true', CONFIDANT_DATA_DIR: dataDir } });
    const { demo } = await seedDemoOnce(t);
    const { orgId, agentId } = demo as { orgId: string; agentId: string };
    const { key } = await withTenant(t.database, [orgId], (tx) =>
      issueApiKey(tx, t.keyring, orgId, { type: 'system', id: null }, { name: 'test', role: 'admin' }),
    );
    const auth = { authorization: `Bearer ${key}` };
    const patched = await t.app.inject({
      method: 'PATCH',
      url: `/v1/agents/${agentId}`,
      headers: auth,
      payload: { accentColor: '#7c3aed', position: 'bottom-left', launcherLabel: 'Ask us' },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    publishableKey = patched.json().publishableKey;
    const address = await t.app.listen({ host: '127.0.0.1', port: 0 });
    baseUrl = address.replace(/\/$/, '');
    browser = await launchChromium();

    // A real 48×48 PNG, drawn by the browser.
    const scratch = await browser.newPage();
    const dataUrl = await scratch.evaluate(() => {
      const canvas = document.createElement('canvas');
      canvas.width = canvas.height = 48;
      const ctx = canvas.getContext('2d')!;
      ctx.fillStyle = '#f59e0b';
      ctx.fillRect(0, 0, 48, 48);
      return canvas.toDataURL('image/png');
    });
    await scratch.close();
    const body = multipart([
      { name: 'file', filename: 'me.png', data: Buffer.from(dataUrl.split(',')[1]!, 'base64') },
    ]);
    const uploaded = await t.app.inject({
      method: 'PUT',
      url: `/v1/agents/${agentId}/avatar`,
      headers: { ...auth, ...body.headers },
      payload: body.payload,
    });
    expect(uploaded.statusCode, uploaded.body).toBe(200);
    avatarUrl = uploaded.json().avatarUrl;
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const look = (page: Page) =>
    page.evaluate(() => {
      const root = document.getElementById('confidant-widget')!.shadowRoot!;
      const launcher = root.querySelector('button.launcher')!;
      const box = launcher.getBoundingClientRect();
      const header = root.querySelector('.header');
      const answer = root.querySelector('.msg.assistant');
      return {
        launcher: getComputedStyle(launcher).backgroundColor,
        side: box.left < window.innerWidth / 2 ? 'left' : 'right',
        header: header ? getComputedStyle(header).backgroundColor : null,
        headerAvatar: root.querySelector<HTMLImageElement>('.header .avatar img')?.naturalWidth ?? 0,
        answerAvatar: answer ? getComputedStyle(answer, '::before').backgroundImage : null,
      };
    });

  it('draws the default launcher without a request, then the saved look and avatar once opened', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('console', (m) => {
      if (/content security policy/i.test(m.text())) cspViolations.push(m.text());
    });
    page.on('request', (r) => {
      if (!r.url().startsWith(baseUrl) && !r.url().startsWith('data:')) foreignRequests.push(r.url());
    });
    // A page of this server's origin (always allowed) with a bare tag, as an old snippet has it.
    await page.route(`${baseUrl}/old-snippet`, (route) =>
      route.fulfill({
        contentType: 'text/html; charset=utf-8',
        headers: { 'content-security-policy': HOST_CSP },
        body: `<!doctype html><html lang="en"><head><title>Shop</title></head><body><h1>Shop</h1><script src="/widget.js" data-agent-key="${publishableKey}" async></script></body></html>`,
      }),
    );
    await page.goto(`${baseUrl}/old-snippet`);
    await page.getByRole('button', { name: 'Open chat' }).waitFor();
    expect(await look(page)).toMatchObject({ launcher: 'rgb(15, 118, 110)', side: 'right', header: null });

    await page.getByRole('button', { name: 'Open chat' }).click();
    await page.getByRole('dialog', { name: 'Northwind Assistant' }).waitFor();
    await expect
      .poll(() => look(page))
      .toEqual({
        launcher: 'rgb(124, 58, 237)',
        side: 'left',
        header: 'rgb(124, 58, 237)',
        headerAvatar: 48,
        answerAvatar: `url("${baseUrl}${avatarUrl}")`,
      });
    const panel = await page.evaluate(() => {
      const box = document
        .getElementById('confidant-widget')!
        .shadowRoot!.querySelector('.panel')!
        .getBoundingClientRect();
      return box.left;
    });
    expect(panel).toBeLessThan(100);
    await page.screenshot({ path: '/tmp/widget-appearance.png' });

    // Closed again, the launcher shows the saved label and is named by it.
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Ask us' }).waitFor();
    expect(cspViolations).toEqual([]);
    expect(foreignRequests).toEqual([]);
    await context.close();
  });

  it('the demo page writes the saved look into its tag: the launcher has it before any request', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const page = await context.newPage();
    const apiRequests: string[] = [];
    page.on('request', (r) => {
      if (new URL(r.url()).pathname.startsWith('/v1/')) apiRequests.push(r.url());
    });
    await page.goto(`${baseUrl}/demo`);
    await page.getByRole('button', { name: 'Ask us' }).waitFor();
    expect(await look(page)).toMatchObject({ launcher: 'rgb(124, 58, 237)', side: 'left', header: null });
    expect(apiRequests).toEqual([]);
    await context.close();
  });
});
