import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeOpenAi, startFakeOpenAi } from '../../src/modules/answers/testing/fake-openai.js';
import { type FakeProvider, startFakeProvider } from '../../src/modules/models/testing/fake-provider.js';
import {
  type FakeSpeechProvider,
  startFakeSpeechProvider,
} from '../../src/modules/models/testing/fake-speech-provider.js';
import type { TestApp } from '../../src/testing/test-app.js';
import { addMembers, CHROMIUM, consoleTestApp, seriousAxeViolations, signIn } from './console-helpers.js';

/**
 * Settings → Model providers in Chromium, against real local servers speaking Anthropic's and
 * OpenAI's chat-completions protocols: an admin adds an Anthropic provider (a key that is then
 * only "stored") and an OpenAI-compatible one (refused first without a URL, then on a cloud
 * metadata address, in words on the field), edits it (name, models, a key), tests both
 * connections (the result said in a live region), sets a shorter timeout and no retries under
 * Advanced (refused first out of bounds, on the field; then shown on the row), sees which agent uses a provider, and removes
 * the default one after a confirmation that names the agent and the new default. The API agrees
 * after every step.
 */
const ANTHROPIC_KEY = 'sk-ant-test-never-shown-7d2e';
const OLLAMA_KEY = 'ollama-key-never-shown-91c3';

type Entry = {
  id: string;
  kind: string;
  name: string;
  baseUrl: string | null;
  region: string | null;
  models: { id: string; type: string }[];
  timeoutMs: number;
  maxRetries: number;
  hasApiKey: boolean;
};

describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)('the console: model providers (Chromium)', () => {
  let t: TestApp;
  let baseUrl: string;
  let orgId: string;
  let apiKey: string;
  let browser: Browser;
  let anthropic: FakeProvider;
  let ollama: FakeOpenAi;
  let ollamaUrl: string;
  let speech: FakeSpeechProvider;
  let speechUrl: string;

  const api = async (method: 'GET' | 'POST', path: string, body?: object) => {
    const res = await t.app.inject({
      method,
      url: path,
      headers: { authorization: `Bearer ${apiKey}` },
      ...(body ? { payload: body } : {}),
    });
    return res.json();
  };
  const providers = async () => (await api('GET', '/v1/model-providers')).providers as Entry[];
  const byName = async (name: string) => (await providers()).find((p) => p.name === name);

  beforeAll(async () => {
    anthropic = await startFakeProvider('anthropic', { deltas: ['OK'], usage: { input: 12, output: 1 } });
    ollama = await startFakeOpenAi({ deltas: ['OK'], usage: { prompt_tokens: 12, completion_tokens: 1 } });
    speech = await startFakeSpeechProvider({ script: { turns: 'OK' }, apiKey: 'dg-key-never-shown' });
    // The operator allows private networks (a self-hosted model next to Confidant); metadata
    // addresses stay refused. ollama.internal is the local fake, by name.
    const app = await consoleTestApp({
      env: { CONFIDANT_ALLOW_PRIVATE_NETWORKS: 'true' },
      resolveHost: async (host: string) =>
        host === 'ollama.internal' || host === 'speech.internal'
          ? [{ address: '127.0.0.1', family: 4 }]
          : [{ address: '93.184.215.14', family: 4 }],
    });
    ({ t, baseUrl } = app);
    ({ orgId, apiKey } = await t.createOrg('Acme'));
    await addMembers(t, orgId, [['ada@example.com', 'Ada', 'admin']]);
    ollamaUrl = `http://ollama.internal:${new URL(ollama.baseUrl).port}/v1`;
    speechUrl = `http://speech.internal:${new URL(speech.baseUrl).port}/v1`;
    browser = await app.open();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await anthropic?.close();
    await ollama?.close();
    await speech?.close();
  });

  const dialog = (page: Page) => page.getByRole('dialog');
  const provider = (page: Page, name: string) =>
    page.getByRole('list', { name: 'Model providers' }).getByRole('listitem', { name, exact: true });

  it('adds, edits, tests and removes providers', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await signIn(page, baseUrl, 'ada@example.com');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Model providers' }).waitFor();
    await page.getByText(/None yet: answers in Model mode use the server’s default model/).waitFor();

    // 1. Anthropic, through a gateway URL (the local fake), with a key and one chat model.
    await page.getByRole('button', { name: 'Add provider' }).click();
    await dialog(page).getByRole('heading', { name: 'Add a model provider' }).waitFor();
    expect(await dialog(page).getByRole('combobox', { name: 'Provider' }).inputValue()).toBe('anthropic');
    expect(
      await dialog(page).getByRole('combobox', { name: 'Provider' }).locator('option').allInnerTexts(),
    ).toEqual([
      'OpenAI',
      'Anthropic',
      'Google Gemini',
      'xAI Grok',
      'Perplexity',
      'Mistral',
      'Azure OpenAI',
      'Amazon Bedrock',
      'OpenAI-compatible (Ollama, vLLM, llama.cpp)',
      'Deepgram',
      'ElevenLabs',
    ]);
    await dialog(page).getByRole('textbox', { name: 'Name' }).fill('Claude');
    await dialog(page).getByRole('textbox', { name: 'Base URL (optional)' }).fill(anthropic.baseUrl);
    await dialog(page).getByLabel('API key').fill(ANTHROPIC_KEY);
    await dialog(page).getByRole('textbox', { name: 'Model 1 id' }).fill('claude-x');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/console-model-provider-dialog.png' });
    await dialog(page).getByRole('button', { name: 'Add provider' }).click();
    await page.getByText('Added “Claude”').waitFor();
    await expect
      .poll(() => byName('Claude'))
      .toMatchObject({
        kind: 'anthropic',
        baseUrl: anthropic.baseUrl,
        region: null,
        models: [{ id: 'claude-x', type: 'chat' }],
        timeoutMs: 30_000,
        maxRetries: 1,
        hasApiKey: true,
      });
    const claude = provider(page, 'Claude');
    await claude.getByText('Default').waitFor();
    await claude.getByText('Anthropic', { exact: true }).waitFor();
    await claude.getByText('Stored').waitFor();
    await claude.getByText('1 chat model').waitFor();
    // The defaults go without saying.
    expect(await claude.getByText('Timing', { exact: true }).count()).toBe(0);

    // 2. OpenAI-compatible: its URL is required (the form says so), a metadata address is refused
    //    (the server says so, on the field), then the local server with a chat and an embedding model.
    await page.getByRole('button', { name: 'Add provider' }).click();
    // The fields follow the kind: Bedrock asks for its AWS region, and says when it is missing.
    await dialog(page).getByRole('combobox', { name: 'Provider' }).selectOption({ label: 'Amazon Bedrock' });
    await dialog(page).getByRole('textbox', { name: 'Name' }).fill('Bedrock');
    await dialog(page).getByRole('button', { name: 'Add provider' }).click();
    await dialog(page).getByText('Enter the AWS region, such as eu-central-1').waitFor();
    expect(await dialog(page).getByRole('textbox', { name: 'AWS region' }).getAttribute('aria-invalid')).toBe(
      'true',
    );
    await dialog(page)
      .getByRole('combobox', { name: 'Provider' })
      .selectOption({ label: 'OpenAI-compatible (Ollama, vLLM, llama.cpp)' });
    expect(await dialog(page).getByRole('textbox', { name: 'AWS region' }).count()).toBe(0);
    await dialog(page).getByRole('textbox', { name: 'Name' }).fill('Ollama');
    await dialog(page).getByRole('textbox', { name: 'Model 1 id' }).fill('llama3.1:8b');
    await dialog(page).getByRole('button', { name: 'Add model' }).click();
    // Focus moves into the row just added.
    await expect
      .poll(() =>
        dialog(page)
          .getByRole('textbox', { name: 'Model 2 id' })
          .evaluate((el) => el === document.activeElement),
      )
      .toBe(true);
    await dialog(page).getByRole('textbox', { name: 'Model 2 id' }).fill('nomic-embed-text');
    await dialog(page).getByRole('combobox', { name: 'Model 2 type' }).selectOption('embedding');
    await dialog(page).getByRole('button', { name: 'Add provider' }).click();
    const urlField = dialog(page).getByRole('textbox', { name: 'Base URL', exact: true });
    await dialog(page)
      .getByText(/needs the endpoint’s URL/)
      .waitFor();
    expect(await urlField.getAttribute('aria-invalid')).toBe('true');
    await urlField.fill('http://169.254.169.254/v1');
    await dialog(page).getByRole('button', { name: 'Add provider' }).click();
    await dialog(page)
      .getByText(/cloud metadata/)
      .waitFor();
    expect(await urlField.getAttribute('aria-invalid')).toBe('true');
    expect(await providers()).toHaveLength(1);
    await urlField.fill(ollamaUrl);
    await dialog(page).getByRole('button', { name: 'Add provider' }).click();
    await page.getByText('Added “Ollama”').waitFor();
    await expect
      .poll(() => byName('Ollama'))
      .toMatchObject({
        kind: 'openai-compatible',
        baseUrl: ollamaUrl,
        models: [
          { id: 'llama3.1:8b', type: 'chat' },
          { id: 'nomic-embed-text', type: 'embedding' },
        ],
        hasApiKey: false,
      });
    const ollamaRow = provider(page, 'Ollama');
    await ollamaRow.getByText('1 chat model · 1 embedding model').waitFor();
    await ollamaRow.getByText('None', { exact: true }).waitFor();
    expect(await ollamaRow.getByText('Default').count()).toBe(0);

    // 3. Edit it: a new name, the embedding model removed, a key.
    await ollamaRow.getByRole('button', { name: 'Edit Ollama' }).click();
    await dialog(page).getByRole('heading', { name: 'Edit “Ollama”' }).waitFor();
    expect(await dialog(page).getByRole('textbox', { name: 'Base URL', exact: true }).inputValue()).toBe(
      ollamaUrl,
    );
    await dialog(page).getByRole('textbox', { name: 'Name' }).fill('Our Ollama');
    await dialog(page).getByRole('button', { name: 'Remove model nomic-embed-text' }).click();
    await dialog(page).getByLabel('API key').fill(OLLAMA_KEY);
    // The timing sits under Advanced, closed until asked for; it starts at the defaults.
    const timeoutField = dialog(page).getByRole('spinbutton', { name: 'Time to first token (seconds)' });
    const retriesField = dialog(page).getByRole('spinbutton', { name: 'Retries' });
    expect(await timeoutField.count()).toBe(0);
    await dialog(page).getByText('Advanced', { exact: true }).click();
    expect(await timeoutField.inputValue()).toBe('30');
    expect(await retriesField.inputValue()).toBe('1');
    await timeoutField.fill('200');
    await retriesField.fill('0');
    await dialog(page).getByRole('button', { name: 'Save provider' }).click();
    await dialog(page).getByText('Enter a number of seconds from 1 to 120').waitFor();
    expect(await timeoutField.getAttribute('aria-invalid')).toBe('true');
    await timeoutField.fill('10');
    // Correcting the value clears its complaint at once.
    await dialog(page).getByText('Enter a number of seconds from 1 to 120').waitFor({ state: 'detached' });
    expect(await timeoutField.getAttribute('aria-invalid')).not.toBe('true');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/console-model-provider-advanced.png' });
    await dialog(page).getByRole('button', { name: 'Save provider' }).click();
    await page.getByText('Saved “Our Ollama”').waitFor();
    await expect
      .poll(() => byName('Our Ollama'))
      .toMatchObject({
        kind: 'openai-compatible',
        models: [{ id: 'llama3.1:8b', type: 'chat' }],
        timeoutMs: 10_000,
        maxRetries: 0,
        hasApiKey: true,
      });
    const ours = provider(page, 'Our Ollama');
    await ours.getByText('Stored').waitFor();
    await ours.getByText('Timeout 10 s · 0 retries').waitFor();

    // 4. An agent answers with Claude: the list says so.
    const claudeId = (await byName('Claude'))!.id;
    await api('POST', '/v1/agents', {
      name: 'Acme Help',
      answerMode: 'model',
      model: { providerId: claudeId, model: 'claude-x' },
    });
    await page.reload();
    await claude.getByText('Acme Help').waitFor();

    // 5. Test both connections: one tiny call each, the answer said in words.
    await ours.getByRole('button', { name: 'Test connection to Our Ollama' }).click();
    await ours
      .getByRole('status')
      .filter({ hasText: /^Connected: llama3\.1:8b answered in \d+ ms\.$/ })
      .waitFor();
    expect(ollama.requests).toHaveLength(1);
    expect(ollama.requests[0]!.authorization).toBe(`Bearer ${OLLAMA_KEY}`);
    await claude.getByRole('button', { name: 'Test connection to Claude' }).click();
    await claude
      .getByRole('status')
      .filter({ hasText: /^Connected: claude-x answered in \d+ ms\.$/ })
      .waitFor();
    expect(anthropic.requests).toHaveLength(1);
    expect(anthropic.requests[0]!.headers['x-api-key']).toBe(ANTHROPIC_KEY);
    // A refused key is said in words too.
    ollama.reply = { deltas: [], status: 401 };
    await ours.getByRole('button', { name: 'Test connection to Our Ollama' }).click();
    await ours
      .getByRole('status')
      .filter({ hasText: 'Connection failed: The provider refused the API key (HTTP 401).' })
      .waitFor();

    const html = await page.content();
    expect(html).not.toContain(ANTHROPIC_KEY);
    expect(html).not.toContain(OLLAMA_KEY);
    expect(await seriousAxeViolations(page)).toEqual([]);
    // The main column scrolls inside the shell: a tall viewport shows the whole section.
    await page.setViewportSize({ width: 1280, height: 1500 });
    await page.screenshot({ path: '/tmp/console-model-providers.png' });
    await page.setViewportSize({ width: 390, height: 1800 });
    await page.screenshot({ path: '/tmp/console-model-providers-phone.png' });
    await page.setViewportSize({ width: 1280, height: 900 });

    // 6. Remove Claude, the default: the confirmation names the agent and the next default.
    await claude.getByRole('button', { name: 'Remove Claude' }).click();
    const confirm = page.getByRole('dialog', { name: 'Remove “Claude”?' });
    await confirm.getByText(/Acme Help answers with it: it falls back to its next model/).waitFor();
    await confirm.getByText(/agents without a model of their own will use Our Ollama/).waitFor();
    await confirm.getByRole('button', { name: 'Remove provider' }).click();
    await page.getByText('Removed “Claude”').waitFor();
    await expect.poll(async () => (await providers()).map((p) => p.name)).toEqual(['Our Ollama']);
    await claude.waitFor({ state: 'detached' });
    await ours.getByText('Default').waitFor();
    await context.close();
  });

  it('adds a speech-only provider (Deepgram) with a transcription model and tests its connection', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await signIn(page, baseUrl, 'ada@example.com');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Model providers' }).waitFor();
    await page.getByRole('button', { name: 'Add provider' }).click();
    await dialog(page).getByRole('combobox', { name: 'Provider' }).selectOption({ label: 'Deepgram' });
    // Deepgram only transcribes: the empty first row became a transcription model, and no other type is offered.
    const type1 = dialog(page).getByRole('combobox', { name: 'Model 1 type' });
    expect(await type1.inputValue()).toBe('transcription');
    expect(await type1.locator('option').allInnerTexts()).toEqual(['Transcription']);
    await dialog(page)
      .getByText(/Transcription models turn voice messages and uploaded calls into text/)
      .waitFor();
    await dialog(page).getByRole('textbox', { name: 'Name' }).fill('Deepgram');
    await dialog(page).getByRole('textbox', { name: 'Base URL (optional)' }).fill(speechUrl);
    await dialog(page).getByLabel('API key').fill('dg-key-never-shown');
    await dialog(page).getByRole('textbox', { name: 'Model 1 id' }).fill('nova-3');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await dialog(page).getByRole('button', { name: 'Add provider' }).click();
    await page.getByText('Added “Deepgram”').waitFor();
    await expect
      .poll(() => byName('Deepgram'))
      .toMatchObject({
        kind: 'deepgram',
        models: [{ id: 'nova-3', type: 'transcription' }],
        hasApiKey: true,
      });
    const row = provider(page, 'Deepgram');
    await row.getByText('1 transcription model').waitFor();
    await row.getByRole('button', { name: 'Test connection to Deepgram' }).click();
    await row
      .getByRole('status')
      .filter({ hasText: /^Connected: nova-3 answered in \d+ ms\.$/ })
      .waitFor();
    expect(speech.requests).toHaveLength(1);
    expect(speech.requests[0]).toMatchObject({ path: '/v1/listen', file: { detectedType: 'wav' } });
    expect(speech.requests[0]!.headers.authorization).toBe('Token dg-key-never-shown');
    expect(await page.content()).not.toContain('dg-key-never-shown');
    await context.close();
  });
});
