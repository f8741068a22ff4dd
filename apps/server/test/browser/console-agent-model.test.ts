import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../src/testing/test-app.js';
import { addMembers, CHROMIUM, consoleTestApp, seriousAxeViolations, signIn } from './console-helpers.js';

/** The agent page's model and fallback selects, among the org's providers' chat models. */
describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)('the console: agent model (Chromium)', () => {
  let t: TestApp;
  let baseUrl: string;
  let orgId: string;
  let apiKey: string;
  let browser: Browser;
  let agentId: string;
  let claude: string;
  let mistral: string;
  const api = async (method: 'GET' | 'POST', path: string, body?: unknown) =>
    (
      await t.app.inject({
        method,
        url: path,
        headers: { authorization: `Bearer ${apiKey}` },
        ...(body ? { payload: body as Record<string, unknown> } : {}),
      })
    ).json();

  beforeAll(async () => {
    const app = await consoleTestApp();
    ({ t, baseUrl } = app);
    ({ orgId, apiKey } = await t.createOrg('Acme'));
    await addMembers(t, orgId, [['ada@example.com', 'Ada', 'admin']]);
    claude = (
      await api('POST', '/v1/model-providers', {
        kind: 'anthropic',
        name: 'Claude',
        models: [{ id: 'claude-x', type: 'chat' }],
      })
    ).id;
    mistral = (
      await api('POST', '/v1/model-providers', {
        kind: 'mistral',
        name: 'Mistral',
        models: [{ id: 'mistral-small', type: 'chat' }],
      })
    ).id;
    agentId = (await api('POST', '/v1/agents', { name: 'Acme Help', answerMode: 'model' })).id;
    browser = await app.open();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('chooses the agent’s model and fallback', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 1400 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await signIn(page, baseUrl, 'ada@example.com');
    await page.goto(`${baseUrl}/console/o/${orgId}/agents/${agentId}`);
    await page
      .getByRole('combobox', { name: 'Model', exact: true })
      .selectOption({ label: 'Claude — claude-x' });
    await page
      .getByRole('combobox', { name: 'Fallback model' })
      .selectOption({ label: 'Mistral — mistral-small' });
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect
      .poll(async () => {
        const agent = await api('GET', `/v1/agents/${agentId}`);
        return [agent.model, agent.fallbacks];
      })
      .toEqual([
        { providerId: claude, model: 'claude-x' },
        [{ providerId: mistral, model: 'mistral-small' }],
      ]);
    await page.getByRole('combobox', { name: 'Model', exact: true }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: '/tmp/console-agent-model.png' });
    await context.close();
  });
});
