import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEvents } from '../../src/modules/conversations/testing/sse-client.js';
import {
  createWidgetOrg,
  sendMessage,
  startConversation,
  type WidgetOrg,
} from '../../src/modules/conversations/testing/widget-fixture.js';
import { meterModelCall } from '../../src/modules/models/gateway.js';
import { modelCalls } from '../../src/platform/db/schema/index.js';
import { withTenant } from '../../src/platform/db/tenancy.js';
import type { TestApp } from '../../src/testing/test-app.js';
import { addMembers, CHROMIUM, consoleTestApp, seriousAxeViolations, signIn } from './console-helpers.js';

/**
 * The usage page in Chromium, for a viewer: after two visitor conversations (one answered by the
 * AI, one handed to a person who replies) the cards show the totals, the share resolved without a
 * person and the first response time; the charts' numbers are in their text alternative. Speech
 * metered as the speech layer meters it shows as minutes of audio transcribed and characters
 * spoken, with the part of unpriced models.
 */

describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)('the console: usage (Chromium)', () => {
  let t: TestApp;
  let baseUrl: string;
  let org: WidgetOrg;
  let browser: Browser;

  beforeAll(async () => {
    const app = await consoleTestApp();
    ({ t, baseUrl } = app);
    org = await createWidgetOrg(t, 'Lumen');
    await addMembers(t, org.orgId, [
      ['vera@example.com', 'Vera', 'viewer'],
      ['adam@example.com', 'Adam', 'admin'],
    ]);
    browser = await app.open();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const ask = async (text: string) => {
    const c = await startConversation(baseUrl, org.agentKey);
    await readEvents(await sendMessage(baseUrl, c.conversationId, c.token, { text, clientMessageId: 'm1' }));
    return c.conversationId;
  };

  it('shows the numbers after a visitor conversation and a handoff', async () => {
    await ask('How long does shipping take?');
    const handed = await ask('I want to talk to a human');
    const reply = await fetch(`${baseUrl}/v1/conversations/${handed}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${org.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'Hello, how can I help?' }),
    });
    expect(reply.status).toBe(201);
    // One metered model answer in the handed-off conversation (as the gateway records it).
    await withTenant(t.database, [org.orgId], (tx) =>
      tx.insert(modelCalls).values({
        orgId: org.orgId,
        conversationId: handed,
        purpose: 'answer',
        model: 'gpt-4o-mini',
        inputTokens: 1200,
        outputTokens: 300,
        costUsd: 0.00036,
        outcome: 'ok',
      }),
    );

    // Speech, metered by the same function the speech layer uses (prices from the price table):
    // 150 s of whisper-1 ($0.015), 1,234 characters of tts-1 ($0.01851), 30 s of an unpriced model.
    const speech = (model: string, m: { audioSeconds?: number; characters?: number }) =>
      meterModelCall(
        t.database,
        {
          orgId: org.orgId,
          conversationId: handed,
          purpose: 'voice',
          model,
          provider: { kind: 'openai-compatible' },
        },
        { outcome: 'ok', redactions: 0, inputTokens: 0, outputTokens: 0, durationMs: 200, ...m },
      );
    expect(await speech('whisper-1', { audioSeconds: 150 })).toBeCloseTo(0.015, 6);
    expect(await speech('tts-1', { characters: 1234 })).toBeCloseTo(0.01851, 6);
    expect(await speech('local-whisper-large', { audioSeconds: 30 })).toBeNull();

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await signIn(page, baseUrl, 'vera@example.com');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Usage' }).click();
    await page.getByRole('heading', { name: 'Usage' }).waitFor();

    const stat = (label: string) =>
      page.locator('.stat', { has: page.getByText(label, { exact: true }) }).locator('.stat-value');
    await stat('Conversations').getByText('2', { exact: true }).waitFor();
    expect(await stat('Handoffs to a person').innerText()).toBe('1');
    expect(await stat('Resolved without a person').innerText()).toBe('50%');
    expect(await stat('Median first response').innerText()).toMatch(/^\d+ (s|min)/);
    expect(await page.getByRole('button', { name: '30 days' }).getAttribute('aria-pressed')).toBe('true');

    // The charts' text alternative: today's row in each table.
    const today = await page.evaluate(() =>
      new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' }).format(
        new Date(),
      ),
    );
    const conversations = page.getByRole('table', { name: 'Conversations per day' });
    expect(await conversations.getByRole('row', { name: today }).locator('td').innerText()).toBe('2');
    const handoffs = page.getByRole('table', { name: 'Handoffs per day' });
    expect(await handoffs.getByRole('row', { name: today }).locator('td').innerText()).toBe('1');
    expect(await page.getByRole('figure', { name: /Conversations/ }).count()).toBe(1);
    // Conversations, handoffs, tokens and cost per day; tokens and cost per model and per agent.
    expect(await page.getByRole('figure').count()).toBe(6);
    const perModel = page
      .getByRole('figure', { name: /per model/ })
      .getByRole('row', { name: /gpt-4o-mini/ });
    expect(await perModel.innerText()).toMatch(/1,200\s+300\s+\$0\.00036/);
    const perAgent = page
      .getByRole('figure', { name: /per agent/ })
      .getByRole('row', { name: /Lumen helper/ });
    expect(await perAgent.innerText()).toContain('1,200');
    // $0.00036 + $0.015 + $0.01851; the unpriced speech is said, not guessed.
    expect(await stat('Model cost').innerText()).toBe('$0.03');
    const detail = (label: string) =>
      page.locator('.stat', { has: page.getByText(label, { exact: true }) }).locator('.stat-detail');
    expect(await detail('Model cost').innerText()).toBe('unpriced speech not included');
    // 180 s of audio: 3 minutes, 30 s of them from an unpriced model; 1,234 characters spoken.
    expect(await stat('Audio transcribed').innerText()).toBe('3 min');
    expect(await detail('Audio transcribed').innerText()).toBe('30 s of unpriced models');
    expect(await stat('Characters spoken').innerText()).toBe('1,234');
    expect(await detail('Characters spoken').innerText()).toBe('text to speech: spoken answers');
    // A viewer sees the month, not the limits form.
    await page.getByText('Model tokens', { exact: true }).first().waitFor();
    expect(await page.getByRole('form', { name: 'Usage limits' }).count()).toBe(0);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/console-usage.png', fullPage: true });
    await page.getByRole('figure', { name: /per model/ }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: '/tmp/console-usage-breakdown.png' });

    await page.getByRole('button', { name: '7 days' }).click();
    // A header row and 7 days (the 30-day table stays until the new range has loaded).
    await expect.poll(() => conversations.getByRole('row').count(), { timeout: 15_000 }).toBe(8);
    expect(await page.getByRole('button', { name: '7 days' }).getAttribute('aria-pressed')).toBe('true');
    expect(await stat('Conversations').innerText()).toBe('2');
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/console-usage-phone.png', fullPage: true });
    await context.close();
  });

  it('lets an admin set monthly limits and shows the month against them', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await signIn(page, baseUrl, 'adam@example.com');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Usage' }).click();
    const form = page.getByRole('form', { name: 'Usage limits' });
    await form.getByLabel('Monthly model tokens').fill('abc');
    await form.getByRole('button', { name: 'Save limits' }).click();
    await form.getByText('Enter a whole number above 0, or leave empty for no limit.').waitFor();
    await form.getByLabel('Monthly model tokens').fill('2000');
    await form.getByRole('button', { name: 'Save limits' }).click();
    // 1,500 of 2,000 tokens: 75%.
    const bar = page.getByRole('progressbar', { name: /Model tokens: 75%/ });
    await bar.waitFor();
    expect(await page.getByText('1,500 of 2,000').count()).toBe(1);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/console-usage-limits.png', fullPage: true });
    await context.close();
  });
});
