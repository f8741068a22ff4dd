import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createWidgetOrg,
  SITE,
  startConversation,
  type WidgetOrg,
} from '../../src/modules/conversations/testing/widget-fixture.js';
import type { TestApp } from '../../src/testing/test-app.js';
import { addMembers, CHROMIUM, consoleTestApp, seriousAxeViolations, signIn } from './console-helpers.js';

/**
 * The flow editor in Chromium: an admin builds a flow on the agent page (a message, quick
 * replies whose button leads to a form, a form field with its purpose, the consent text), sees
 * it in the live preview, reorders and saves it; a broken flow (a button leading to a deleted
 * step) is refused with the server's reason. In the inbox, the visitor panel shows what a visitor
 * gave with consent, and each consent's method and outcome.
 */
const EMAIL = 'grace.flow@example.org';

describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)('the console: flow editor (Chromium)', () => {
  let t: TestApp;
  let baseUrl: string;
  let browser: Browser;
  let org: WidgetOrg;
  const problems: string[] = [];

  const api = async (method: 'GET' | 'PUT', url: string, payload?: object) =>
    t.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${org.apiKey}` },
      ...(payload ? { payload } : {}),
    });

  beforeAll(async () => {
    const app = await consoleTestApp();
    ({ t, baseUrl } = app);
    org = await createWidgetOrg(t, 'Lumen', {}, []);
    await addMembers(t, org.orgId, [['ada@example.com', 'Ada', 'admin']]);
    browser = await app.open();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const open = async (): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (e) => problems.push(`page error: ${e}`));
    await signIn(page, baseUrl, 'ada@example.com');
    return page;
  };

  it('builds, previews, reorders and saves a flow; a broken one is refused with the reason', async () => {
    const page = await open();
    await page.goto(`${baseUrl}/console/o/${org.orgId}/agents/${org.agentId}`);
    const card = page.getByRole('region', { name: 'Conversation flow' });
    await card.getByText('No flow: the widget opens straight into the chat.').waitFor();
    const newStep = card.getByRole('combobox', { name: 'New step' });

    await card.getByRole('button', { name: 'Add step' }).click();
    await card.getByRole('textbox', { name: 'Message text (step 1)' }).fill('Welcome to Lumen.');
    await newStep.selectOption('form');
    await card.getByRole('button', { name: 'Add step' }).click();
    await newStep.selectOption('buttons');
    await card.getByRole('button', { name: 'Add step' }).click();
    // Quick replies before the form: step 3 moves up to 2.
    await card.getByRole('button', { name: 'Move step 3 up' }).click();
    await card.getByRole('textbox', { name: 'Question (step 2)' }).fill('How can we help?');
    await card.getByRole('textbox', { name: 'Button 1 label' }).fill('Leave my email');
    await card
      .getByRole('combobox', { name: 'Button 1 leads to' })
      .selectOption({ label: '3 · Form: Your details' });
    await card.getByRole('textbox', { name: 'Field 1 purpose' }).fill('send you the order status');
    await card
      .getByRole('textbox', { name: 'Consent text (step 3)' })
      .fill('Yes, keep my answers to {purpose}.');

    const preview = card.getByRole('complementary', { name: 'Widget preview' });
    await preview.getByText('Welcome to Lumen.').waitFor();
    await preview.getByText('Leave my email').waitFor();
    await preview.getByText('Yes, keep my answers to send you the order status.').waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await card.scrollIntoViewIfNeeded();
    await page.screenshot({ path: '/tmp/console-flow-editor.png', fullPage: true });

    await card.getByRole('button', { name: 'Save flow' }).click();
    await page.getByText('Flow saved (version 1)').waitFor();
    const saved = (await api('GET', `/v1/agents/${org.agentId}/flow`)).json();
    expect(saved.steps.map((s: { type: string }) => s.type)).toEqual(['message', 'buttons', 'form']);
    expect(saved.steps[1].buttons).toEqual([{ label: 'Leave my email', next: 'form-1' }]);
    expect(saved.steps[2]).toMatchObject({
      consentText: 'Yes, keep my answers to {purpose}.',
      fields: [{ kind: 'email', key: 'email', purpose: 'send you the order status', required: true }],
    });

    // Deleting the form leaves the button pointing nowhere: refused, with the reason, nothing saved.
    await card.getByRole('button', { name: 'Delete step 3' }).click();
    await card.getByRole('button', { name: 'Save flow' }).click();
    await card.getByRole('alert').getByText('no step with id "form-1"', { exact: false }).waitFor();
    expect((await api('GET', `/v1/agents/${org.agentId}/flow`)).json().version).toBe(1);
    expect(problems).toEqual([]);
  });

  it('shows the captured data of a conversation with its consent records', async () => {
    const c = await startConversation(baseUrl, org.agentKey);
    const res = await fetch(`${baseUrl}/v1/widget/conversations/${c.conversationId}/flow/form-1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${c.token}`, origin: SITE },
      body: JSON.stringify({ values: { email: EMAIL }, consents: ['send you the order status'] }),
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const page = await open();
    await page.goto(`${baseUrl}/console/o/${org.orgId}/inbox/${c.conversationId}?view=all`);
    const panel = page.getByRole('complementary', { name: 'Visitor' });
    const values = panel.getByRole('definition').filter({ hasText: EMAIL });
    await values.waitFor();
    await panel.getByText('to send you the order status', { exact: false }).first().waitFor();
    await panel
      .getByRole('list', { name: 'Consent records' })
      .getByText('Consented', { exact: false })
      .waitFor();
    await page.screenshot({ path: '/tmp/console-captured-data.png' });
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  });
});
