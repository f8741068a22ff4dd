import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FakeEmbeddings,
  startFakeEmbeddings,
} from '../../src/modules/knowledge/embeddings/testing/fake-embeddings.js';
import type { TestApp } from '../../src/testing/test-app.js';
import { addMembers, CHROMIUM, consoleTestApp, seriousAxeViolations, signIn } from './console-helpers.js';

/**
 * Settings → Search embeddings in Chromium, against two real local servers speaking OpenAI's
 * embeddings protocol (the operator's model and the org's own provider): the card shows the
 * server's model as active with every chunk embedded, the admin picks the org's own embedding
 * model and saves, sees re-embedding reach "N of N" for that model, and after a reload the choice
 * is still selected; removing the provider turns the card to "words only". The API and the
 * org's provider agree.
 */
describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)('the console: search embeddings (Chromium)', () => {
  let t: TestApp;
  let baseUrl: string;
  let orgId: string;
  let apiKey: string;
  let browser: Browser;
  let server: FakeEmbeddings;
  let own: FakeEmbeddings;
  let providerId: string;

  const api = async (method: 'GET' | 'POST', path: string, body?: object) => {
    const res = await t.app.inject({
      method,
      url: path,
      headers: { authorization: `Bearer ${apiKey}` },
      ...(body ? { payload: body } : {}),
    });
    return res.json();
  };

  beforeAll(async () => {
    server = await startFakeEmbeddings();
    own = await startFakeEmbeddings();
    const app = await consoleTestApp({
      env: {
        CONFIDANT_ALLOW_PRIVATE_NETWORKS: 'true',
        CONFIDANT_EMBEDDING_BASE_URL: server.baseUrl,
        CONFIDANT_EMBEDDING_MODEL: 'server-embed',
      },
    });
    ({ t, baseUrl } = app);
    ({ orgId, apiKey } = await t.createOrg('Acme'));
    await addMembers(t, orgId, [['ada@example.com', 'Ada', 'admin']]);
    const provider = await api('POST', '/v1/model-providers', {
      kind: 'openai-compatible',
      name: 'Our embeddings',
      baseUrl: own.baseUrl,
      models: [{ id: 'acme-embed', type: 'embedding' }],
    });
    providerId = provider.id;
    for (const [title, text] of [
      ['Returns', 'Return any lamp within thirty days for a full refund.'],
      ['Shipping', 'Parcels leave our warehouse within one day.'],
    ]) {
      const source = await api('POST', '/v1/knowledge/sources', { type: 'text', title, content: text });
      expect((await t.waitForSource(apiKey, source.id)).status).toBe('ready');
    }
    browser = await app.open();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await server?.close();
    await own?.close();
  });

  it('chooses the org’s own embedding model, shows re-embedding progress, and keeps the choice', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await signIn(page, baseUrl, 'ada@example.com');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Search embeddings' }).waitFor();
    const card = page.getByRole('form', { name: 'Search embeddings' });
    const select = card.getByRole('combobox', { name: 'Embedding model' });
    const status = card.getByRole('status');
    await status.getByText('Active: server-embed (server default).').waitFor();
    await status.getByText('2 of 2 chunks embedded with this model.').waitFor();
    expect(await select.locator('option').allInnerTexts()).toEqual([
      'Server default (server-embed)',
      'acme-embed — Our embeddings',
    ]);
    expect(own.requests).toEqual([]);
    expect(await seriousAxeViolations(page)).toEqual([]);

    await select.selectOption({ label: 'acme-embed — Our embeddings' });
    await card.getByRole('button', { name: 'Save embedding model' }).click();
    await page.getByText('Search embeddings saved').waitFor();
    await status.getByText('Active: acme-embed (Our embeddings).').waitFor();
    // Polled while the background job re-embeds; ends with every chunk.
    await status.getByText('2 of 2 chunks embedded with this model.').waitFor();
    await page.screenshot({ path: '/tmp/console-search-embeddings.png' });

    const saved = await api('GET', '/v1/knowledge/embedding-model');
    expect(saved.choice).toEqual({ providerId, model: 'acme-embed' });
    expect(saved.progress).toEqual({ embedded: 2, total: 2 });
    expect(own.requests.flatMap((r) => r.input).join('\n')).toContain('full refund');
    expect(own.requests.every((r) => r.model === 'acme-embed')).toBe(true);

    await page.reload();
    await page.getByRole('heading', { name: 'Search embeddings' }).waitFor();
    await status.getByText('Active: acme-embed (Our embeddings).').waitFor();
    expect(await select.inputValue()).toBe(JSON.stringify([providerId, 'acme-embed']));
    expect(await card.getByRole('button', { name: 'Save embedding model' }).isDisabled()).toBe(true);

    // Removing the provider leaves search on words only (never the server's model) and says so.
    await page
      .getByRole('list', { name: 'Model providers' })
      .getByRole('button', { name: 'Remove Our embeddings' })
      .click();
    await page
      .getByRole('dialog', { name: 'Remove “Our embeddings”?' })
      .getByRole('button', { name: 'Remove provider' })
      .click();
    await page.getByText('Removed “Our embeddings”').waitFor();
    await status.getByText(/Search uses words only: .*no longer exists/).waitFor();
    expect(await select.inputValue()).toBe('gone');
    expect(await select.locator('option').allInnerTexts()).toEqual([
      'Server default (server-embed)',
      'acme-embed (removed)',
    ]);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await context.close();
  });
});
