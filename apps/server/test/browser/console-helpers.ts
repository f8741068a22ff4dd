import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Browser, chromium, type Download, type Page } from 'playwright-core';
import { inject } from 'vitest';
import { createUserWithMembership } from '../../src/modules/auth/service.js';
import type { Role } from '../../src/platform/db/schema/index.js';
import { createTestApp, type TestApp } from '../../src/testing/test-app.js';
import { CHROMIUM, CHROMIUM_ARGS } from './chromium.js';

export { CHROMIUM } from './chromium.js';

/**
 * A Chromium for one test file: a connection to the suite's shared Chromium (started in
 * vitest.global-setup.ts) when there is one, else a browser of its own. Either way the file's
 * `browser.close()` ends only what it opened (a connection closes its own contexts and hangs up).
 */
export function launchChromium(): Promise<Browser> {
  const endpoint = inject('chromiumWsEndpoint');
  if (endpoint) return chromium.connect(endpoint);
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/**
 * A free local port, so the test server can be created with PUBLIC_URL = its own origin
 * (session cookies and the console Origin check need the origin before listening).
 */
/**
 * Where a finished download was saved. The tests' Chromium is shared and connected over a socket,
 * where `download.path()` is not available: saveAs copies the file here instead.
 */
export async function savedDownload(download: Download): Promise<string> {
  const file = path.join(
    mkdtempSync(path.join(tmpdir(), 'confidant-download-')),
    download.suggestedFilename(),
  );
  await download.saveAs(file);
  return file;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** The password every console test user signs in with. */
export const TEST_PASSWORD = 'a long enough password';

/**
 * A test app for console browser tests: PUBLIC_URL is the origin it will listen on (cookies and
 * the console's Origin check need it before listening). Set the data up, then `open()` listens
 * and starts Chromium.
 */
export async function consoleTestApp(
  options: Pick<Parameters<typeof createTestApp>[0] & object, 'resolveHost' | 'env'> = {},
): Promise<{
  t: TestApp;
  baseUrl: string;
  open(): Promise<Browser>;
}> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const t = await createTestApp({ ...options, env: { PUBLIC_URL: baseUrl, ...options.env } });
  return {
    t,
    baseUrl,
    async open() {
      await t.app.listen({ host: '127.0.0.1', port });
      return launchChromium();
    },
  };
}

/** Console users of one org, each signing in with TEST_PASSWORD. */
export async function addMembers(
  t: TestApp,
  orgId: string,
  members: readonly (readonly [email: string, name: string, role: Role])[],
): Promise<void> {
  for (const [email, name, role] of members)
    await createUserWithMembership(t, { email, password: TEST_PASSWORD, name, orgId, role });
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

type AxeViolation = { id: string; impact: string | null; help: string; nodes: { target: string[] }[] };

/**
 * Runs axe-core (WCAG 2.x A/AA rules) in the page and answers the serious and critical
 * violations. Injected through evaluate (DevTools protocol), which the page's CSP does not
 * govern, so the console keeps its strict policy during the check.
 */
export async function seriousAxeViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run: (ctx: Document, opts: object) => Promise<{ violations: unknown[] }> };
      }
    ).axe;
    const result = await axe.run(document, {
      runOnly: {
        type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'],
      },
    });
    return result.violations;
  });
  return (violations as AxeViolation[])
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

/**
 * Signs `email` in through the console's sign-in page (password TEST_PASSWORD) and waits for the
 * inbox, where the console lands after signing in.
 */
export async function signIn(page: Page, baseUrl: string, email: string): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await page.getByRole('textbox', { name: 'Email' }).fill(email);
  await page.getByLabel('Password').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Inbox' }).waitFor();
}
