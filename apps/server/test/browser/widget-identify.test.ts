import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWidgetOrg, type WidgetOrg } from '../../src/modules/conversations/testing/widget-fixture.js';
import { readIdentity } from '../../src/modules/privacy/subjects/record-identity.js';
import { identityHmac } from '../../src/modules/privacy/subjects/verify-identity.js';
import { issueIdentitySecret } from '../../src/modules/privacy/testing/subject-fixture.js';
import { visitorIdentities } from '../../src/platform/db/schema/index.js';
import { withTenant } from '../../src/platform/db/tenancy.js';
import { createTestApp, type TestApp } from '../../src/testing/test-app.js';
import { CHROMIUM, launchChromium } from './console-helpers.js';

/**
 * Confidant.identify from a host page in Chromium: the page names its signed-in user with the
 * HMAC its server computed; nothing is sent before the visitor writes, then the conversation is
 * linked to that (verified, encrypted) identity. A page signing with the wrong secret gets a
 * refusal and the chat goes on anonymously.
 */
describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)('widget identify (Chromium)', () => {
  let t: TestApp;
  let baseUrl: string;
  let org: WidgetOrg;
  let secret: string;
  let browser: Browser;

  beforeAll(async () => {
    t = await createTestApp();
    org = await createWidgetOrg(t, 'Shop', {}, []);
    secret = await issueIdentitySecret(t, org.apiKey, org.agentId);
    baseUrl = (await t.app.listen({ host: '127.0.0.1', port: 0 })).replace(/\/$/, '');
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const identities = () => withTenant(t.database, [org.orgId], (tx) => tx.select().from(visitorIdentities));

  /** A page of this server's origin (always allowed) whose script identifies `userId` with `hmac`. */
  const chatAs = async (userId: string, hmac: string) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const identifyCalls: number[] = [];
    page.on('response', (r) => {
      if (r.url().endsWith('/identify')) identifyCalls.push(r.status());
    });
    const user = JSON.stringify({ userId, email: 'ada@example.com', name: 'Ada Lovelace' });
    await page.route(`${baseUrl}/account`, (route) =>
      route.fulfill({
        contentType: 'text/html; charset=utf-8',
        body: `<!doctype html><html lang="en"><head><title>Account</title></head><body><h1>Account</h1>
<script src="/widget.js" data-agent-key="${org.agentKey}" onload='Confidant.identify(${user}, { hmac: "${hmac}" })'></script></body></html>`,
      }),
    );
    await page.goto(`${baseUrl}/account`);
    await page.getByRole('button', { name: 'Open chat' }).click();
    const input = page.getByRole('textbox', { name: 'Your message' });
    await input.waitFor();
    // Identified in memory only: nothing is sent before the visitor writes.
    expect(identifyCalls).toEqual([]);
    await input.fill('Where is my order?');
    await input.press('Enter');
    await page.getByRole('log').locator('.msg.assistant').first().waitFor();
    await expect.poll(() => identifyCalls.length).toBe(1);
    await context.close();
    return identifyCalls[0];
  };

  it('links the conversation to a correctly signed identity', async () => {
    expect(await chatAs('user-77', identityHmac(secret, 'user-77'))).toBe(204);
    const [row] = await identities();
    expect(row).toBeDefined();
    const clear = await withTenant(t.database, [org.orgId], (tx) =>
      readIdentity(tx, t.keyring, org.orgId, row!.conversationId),
    );
    expect(clear).toMatchObject({ userId: 'user-77', email: 'ada@example.com', name: 'Ada Lovelace' });
  });

  it('refuses an identity signed with the wrong secret; the chat still works', async () => {
    expect(await chatAs('user-78', identityHmac('not-the-secret', 'user-78'))).toBe(403);
    expect(await identities()).toHaveLength(1);
  });
});
