import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestApproval } from '../../src/modules/actions/approvals.js';
import { getActionRow } from '../../src/modules/actions/service.js';
import {
  type ActionServer,
  json,
  startActionServer,
} from '../../src/modules/actions/testing/action-server.js';
import {
  createWidgetOrg,
  sendMessage,
  startConversation,
  type WidgetOrg,
} from '../../src/modules/conversations/testing/widget-fixture.js';
import { withTenant } from '../../src/platform/db/tenancy.js';
import type { TestApp } from '../../src/testing/test-app.js';
import { addMembers, CHROMIUM, consoleTestApp, seriousAxeViolations, signIn } from './console-helpers.js';

/**
 * Agent actions in Chromium, against a real local HTTP service: an admin adds an action on the
 * agent page (a parameter marked sensitive, a header whose value is write-only), tests it and
 * reads the response and the call log (the sensitive value "[redacted]"); an operator sees a
 * call that waits for approval in the inbox conversation and approves it, and the transcript
 * shows what the visitor was told.
 */
const HEADER_SECRET = 'Bearer never-shown-5b1e';
const EMAIL = 'ann.visitor@example.com';

describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)('the console: agent actions (Chromium)', () => {
  let t: TestApp;
  let baseUrl: string;
  let browser: Browser;
  let service: ActionServer;
  let org: WidgetOrg;
  const problems: string[] = [];

  const api = async (method: 'GET' | 'POST', path: string, body?: object) => {
    const res = await t.app.inject({
      method,
      url: path,
      headers: { authorization: `Bearer ${org.apiKey}` },
      ...(body ? { payload: body } : {}),
    });
    return res.json();
  };

  beforeAll(async () => {
    service = await startActionServer();
    const app = await consoleTestApp({ env: { CONFIDANT_ALLOW_PRIVATE_NETWORKS: 'true' } });
    ({ t, baseUrl } = app);
    org = await createWidgetOrg(t, 'Lumen', {}, []);
    await addMembers(t, org.orgId, [
      ['ada@example.com', 'Ada', 'admin'],
      ['olga@example.com', 'Olga', 'agent'],
    ]);
    browser = await app.open();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await service?.close();
  });

  const open = async (email: string): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (e) => problems.push(`page error: ${e}`));
    await signIn(page, baseUrl, email);
    return page;
  };

  it('adds an action, tests it and shows the call log without the sensitive value', async () => {
    const page = await open('ada@example.com');
    await page.goto(`${baseUrl}/console/o/${org.orgId}/agents/${org.agentId}`);
    const card = page.getByRole('region', { name: 'Actions' });
    await card.getByText('No actions yet.').waitFor();
    await card.getByRole('button', { name: 'Add action' }).click();

    const dialog = page.getByRole('dialog', { name: 'Add an action' });
    await dialog.getByLabel('Tool name').fill('order_status');
    await dialog.getByLabel('Description', { exact: true }).first().fill('Look up an order by its number');
    await dialog.getByLabel('URL').fill(`${service.origin}/api/orders/{orderId}`);
    await dialog.getByRole('button', { name: 'Add parameter' }).click();
    await dialog.getByRole('textbox', { name: 'Name', exact: true }).nth(0).fill('orderId');
    await dialog.getByRole('button', { name: 'Add parameter' }).click();
    await dialog.getByRole('textbox', { name: 'Name', exact: true }).nth(1).fill('email');
    await dialog.getByRole('checkbox', { name: 'Sensitive' }).nth(1).check();
    await dialog.getByRole('button', { name: 'Add header' }).click();
    await dialog.getByRole('textbox', { name: 'Header', exact: true }).fill('Authorization');
    await dialog.getByLabel('Value', { exact: true }).fill(HEADER_SECRET);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/console-action-dialog.png', fullPage: true });
    await dialog.getByRole('button', { name: 'Add action' }).click();
    await dialog.waitFor({ state: 'detached' });

    const item = card.getByRole('listitem').filter({ hasText: 'order_status' });
    await item.getByText(`GET ${service.origin}/api/orders/{orderId}`).waitFor();
    const [saved] = (await api('GET', `/v1/agents/${org.agentId}/actions`)).actions;
    expect(saved).toMatchObject({
      name: 'order_status',
      headers: [{ name: 'Authorization', hasValue: true }],
      parameters: { properties: { orderId: { type: 'string' }, email: { type: 'string', sensitive: true } } },
    });
    expect(await page.content()).not.toContain(HEADER_SECRET);
    await page.screenshot({ path: '/tmp/console-actions-card.png', fullPage: true });

    service.reply = () => json({ orderId: 'A-17', status: 'shipped' });
    await item.getByRole('button', { name: 'Test order_status' }).click();
    const test = page.getByRole('dialog', { name: 'Test “order_status”' });
    await test.getByLabel('orderId').fill('A-17');
    await test.getByLabel(/^email/).fill(EMAIL);
    await test.getByRole('button', { name: 'Run test' }).click();
    const result = test.getByRole('status', { name: 'Test result' });
    await result.getByText('OK', { exact: true }).waitFor();
    await result.getByText('HTTP 200').waitFor();
    await result.getByText('"shipped"').waitFor();
    const row = test.getByRole('row').filter({ hasText: 'Test' }).first();
    await row.getByText('[redacted]').waitFor();
    await expect(row.textContent()).resolves.not.toContain(EMAIL);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/console-action-test.png', fullPage: true });

    const received = service.received.at(-1)!;
    expect(received.url).toBe(`/api/orders/A-17?email=${encodeURIComponent(EMAIL)}`);
    expect(received.headers.authorization).toBe(HEADER_SECRET);
  });

  it('lets an operator approve a waiting call from the inbox; the visitor is told', async () => {
    const created = await api('POST', `/v1/agents/${org.agentId}/actions`, {
      name: 'cancel_order',
      description: 'Cancel an order',
      method: 'DELETE',
      urlTemplate: `${service.origin}/api/orders/{orderId}`,
      parameters: { type: 'object', properties: { orderId: { type: 'string' } }, required: ['orderId'] },
      requiresApproval: true,
    });
    const { conversationId, token } = await startConversation(baseUrl, org.agentKey);
    await (
      await sendMessage(baseUrl, conversationId, token, {
        text: 'Please cancel order A-18',
        clientMessageId: 'c1',
      })
    ).text();
    // What the tool does when the model calls it (tools-for-agent.ts): a pending call.
    const action = await withTenant(t.database, [org.orgId], (tx) =>
      getActionRow(tx, org.orgId, org.agentId, created.id),
    );
    await requestApproval(t, { action, args: { orderId: 'A-18' }, conversationId });

    const page = await open('olga@example.com');
    await page.goto(`${baseUrl}/console/o/${org.orgId}/inbox/${conversationId}?view=all`);
    const approvals = page.getByRole('region', { name: 'Actions awaiting approval' });
    await approvals.getByText('The agent wants to run “cancel_order”').waitFor();
    await approvals.getByText('{"orderId":"A-18"}').waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/console-action-approval.png', fullPage: true });

    service.reply = () => ({ status: 204 });
    await approvals.getByRole('button', { name: 'Approve' }).click();
    await page
      .getByRole('log', { name: 'Transcript' })
      .getByText('Your request “cancel order” was approved and done.')
      .waitFor();
    await approvals.waitFor({ state: 'detached' });
    expect(service.received.at(-1)).toMatchObject({ method: 'DELETE', url: '/api/orders/A-18' });
    await page.screenshot({ path: '/tmp/console-action-approved.png', fullPage: true });
    expect(problems).toEqual([]);
  });
});
