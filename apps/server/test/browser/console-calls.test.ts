import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipart } from '../../src/modules/knowledge/testing/file-upload-kit.js';
import { meterModelCall } from '../../src/modules/models/gateway.js';
import { type Dialogue, generateEspeakDialogue } from '../../src/testing/espeak-dialogue.js';
import type { TestApp } from '../../src/testing/test-app.js';
import { addMembers, CHROMIUM, consoleTestApp, seriousAxeViolations, signIn } from './console-helpers.js';

/**
 * The Calls pages in Chromium, end to end against the real server and its in-process job worker:
 * an admin chooses the transcription and scoring models (Calls → Settings) among a provider's
 * models, creates a rubric in the editor, uploads a two-voice espeak-ng dialogue (WAV) through
 * the page and watches it reach Ready, opens it: the transcript shows both speakers with the rep
 * marked, a click on a line (and Enter on another) seeks the audio to the line's start, an
 * evidence quote seeks to its line and marks it; the scores, metrics and coaching are shown. Then
 * the team dashboard and the rep's coaching. A file that is not audio is refused with the
 * server's reason. axe finds nothing serious on any of these pages. Past the org's monthly usage
 * limit a new call shows as Paused (list and page), is not sent to the provider, and is processed
 * once the limit is raised.
 *
 * The provider is one local HTTP server speaking OpenAI's protocols: `/v1/audio/transcriptions`
 * (diarized_json: the dialogue's lines with their speakers and exact times, as a diarizing model
 * would transcribe them) and `/v1/chat/completions` with json_schema structured output (scores
 * for every criterion the schema names, citing a real line; then coaching).
 */
const DIARIZE_MODEL = 'gpt-4o-transcribe-diarize';
const CHAT_MODEL = 'gpt-4o-mini';
/** A whisper-style model: verbose_json segments without speakers, so the transcript is single-speaker. */
const WHISPER_MODEL = 'whisper-1';
const REP = 'Sam Rivera';

type FakeOpenAiAudio = { baseUrl: string; paths: string[]; close(): Promise<void> };

/** Answers a structured-output request: coaching, or scores for the criteria its schema names. */
function structuredAnswer(body: Record<string, unknown>): unknown {
  const format = body.response_format as { json_schema?: { name?: string; schema?: unknown } } | undefined;
  const schema = JSON.stringify(format?.json_schema ?? {});
  if (schema.includes('wentWell'))
    return {
      wentWell: ['Asked how many agents the team has before pitching.', 'Named the price plainly.'],
      tryNext: ['Let the customer finish before answering.', 'Agree on a next step before hanging up.'],
    };
  // The criterion ids are the enum of the schema's criterionId.
  const ids = [...schema.matchAll(/"criterionId":\{[^}]*?"enum":\[([^\]]*)\]/g)].flatMap((m) =>
    JSON.parse(`[${m[1]}]`),
  ) as string[];
  return {
    criteria: ids.map((criterionId, i) => ({
      criterionId,
      score: i === 0 ? 4 : 2,
      rationale: i === 0 ? 'Asked about the size of the team early.' : 'The price came only when asked.',
      evidence:
        i === 0
          ? [{ segmentIndex: 2, quote: 'How many agents are on your team today?' }]
          : [{ segmentIndex: 6, quote: 'Forty dollars per agent each month.' }],
    })),
  };
}

async function startFakeOpenAiAudio(dialogue: Dialogue): Promise<FakeOpenAiAudio> {
  const paths: string[] = [];
  const server: Server = createServer((req, res) => {
    void (async () => {
      const raw = await readBody(req);
      paths.push(req.url ?? '');
      if (req.url?.endsWith('/audio/transcriptions')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            task: 'transcribe',
            duration: dialogue.durationSeconds,
            text: dialogue.lines.map((l) => l.text).join(' '),
            segments: dialogue.lines.map((l, i) => ({
              type: 'transcript.text.segment',
              id: `seg_${i}`,
              start: l.start,
              end: l.end,
              text: l.text,
              speaker: l.speaker,
            })),
            usage: { type: 'duration', seconds: Math.ceil(dialogue.durationSeconds) },
          }),
        );
        return;
      }
      if (req.url?.endsWith('/chat/completions')) {
        const body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
        const content = JSON.stringify(structuredAnswer(body));
        const usage = { prompt_tokens: 900, completion_tokens: 120, total_tokens: 1020 };
        const base = { id: 'chatcmpl-1', created: 1_700_000_000, model: String(body.model) };
        if (body.stream !== true) {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(
            JSON.stringify({
              ...base,
              object: 'chat.completion',
              choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
              usage,
            }),
          );
          return;
        }
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        const send = (data: object) =>
          res.write(`data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', ...data })}\n\n`);
        send({ choices: [{ index: 0, delta: { role: 'assistant', content }, finish_reason: null }] });
        send({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
        send({ choices: [], usage });
        res.end('data: [DONE]\n\n');
        return;
      }
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'not found' } }));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    paths,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The start of a PNG: not audio, refused (415) with the server's reason. */
const PNG_BYTES = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)('the console: Calls (Chromium)', () => {
  let t: TestApp;
  let baseUrl: string;
  let browser: Browser;
  let fake: FakeOpenAiAudio;
  let dialogue: Dialogue;
  let apiKey: string;
  let orgId: string;
  let providerId: string;

  beforeAll(async () => {
    dialogue = await generateEspeakDialogue();
    fake = await startFakeOpenAiAudio(dialogue);
    // The operator allows private networks (a self-hosted model next to Confidant); the fake
    // provider is reached by name.
    const app = await consoleTestApp({
      env: { CONFIDANT_ALLOW_PRIVATE_NETWORKS: 'true' },
      resolveHost: async (host: string) =>
        host === 'speech.internal'
          ? [{ address: '127.0.0.1', family: 4 }]
          : [{ address: '93.184.215.14', family: 4 }],
    });
    ({ t, baseUrl } = app);
    const org = await t.createOrg('Acme');
    orgId = org.orgId;
    apiKey = org.apiKey;
    await addMembers(t, orgId, [
      ['ada@example.com', 'Ada', 'admin'],
      ['ben@example.com', 'Ben', 'agent'],
    ]);
    const provider = await t.app.inject({
      method: 'POST',
      url: '/v1/model-providers',
      headers: { authorization: `Bearer ${apiKey}` },
      payload: {
        kind: 'openai-compatible',
        name: 'Local speech',
        baseUrl: `http://speech.internal:${new URL(fake.baseUrl).port}/v1`,
        models: [
          { id: CHAT_MODEL, type: 'chat' },
          { id: DIARIZE_MODEL, type: 'transcription' },
          { id: WHISPER_MODEL, type: 'transcription' },
        ],
        apiKey: 'sk-local',
      },
    });
    expect(provider.statusCode, provider.body).toBe(201);
    providerId = provider.json().id;
    browser = await app.open();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await fake?.close();
  });

  /** Records the name of every 0–100 progress bar that ever appears (uploads and processing may be quick). */
  const watchProgressBars = (page: Page) =>
    page.evaluate(() => {
      const seen = new Set<string>();
      (window as unknown as { seenProgress: Set<string> }).seenProgress = seen;
      const record = () => {
        for (const bar of document.querySelectorAll('[role="progressbar"]'))
          if (bar.getAttribute('aria-valuemin') === '0' && bar.getAttribute('aria-valuemax') === '100')
            seen.add(bar.getAttribute('aria-label') ?? '');
      };
      new MutationObserver(record).observe(document.body, {
        subtree: true,
        childList: true,
        attributes: true,
      });
      record();
    });
  const progressBarsSeen = (page: Page) =>
    page.evaluate(() => [...(window as unknown as { seenProgress: Set<string> }).seenProgress].sort());

  const audioTime = (page: Page) => page.locator('audio').evaluate((a: HTMLAudioElement) => a.currentTime);
  const line = (page: Page, text: string) =>
    page.getByRole('list', { name: 'Transcript lines' }).getByRole('button').filter({ hasText: text });

  it('configures models, creates a rubric, uploads a dialogue, plays it in step with its transcript, shows scores, metrics, coaching, the dashboard and a rep', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    await signIn(page, baseUrl, 'ada@example.com');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Calls' }).click();
    await page.getByRole('heading', { name: 'Calls', level: 1 }).waitFor();
    await page.getByText('No calls yet').waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);

    // 1. A rubric, made in the editor: two criteria, the second moved above the first and back.
    const tabs = page.getByRole('navigation', { name: 'Calls sections' });
    await tabs.getByRole('link', { name: 'Rubrics' }).click();
    await page.getByText('No rubrics yet').waitFor();
    await page.getByRole('button', { name: 'New rubric' }).click();
    const dialog = page.getByRole('dialog', { name: 'New rubric' });
    await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill('Discovery call');
    await dialog.getByRole('textbox', { name: 'Criterion 1 name' }).fill('Discovery questions');
    await dialog
      .getByRole('textbox', { name: 'Criterion 1 description' })
      .fill('Asks about the customer’s needs');
    await dialog.getByRole('spinbutton', { name: 'Criterion 1 weight' }).fill('2');
    await dialog.getByRole('button', { name: 'Add criterion' }).click();
    await dialog.getByRole('textbox', { name: 'Criterion 2 name' }).fill('Pricing clarity');
    await dialog.getByRole('textbox', { name: 'Criterion 2 description' }).fill('States the price plainly');
    await dialog.getByRole('button', { name: 'Move Pricing clarity up' }).click();
    expect(await dialog.getByRole('textbox', { name: 'Criterion 1 name' }).inputValue()).toBe(
      'Pricing clarity',
    );
    await dialog.getByRole('button', { name: 'Move Pricing clarity down' }).click();
    expect(await dialog.getByRole('textbox', { name: 'Criterion 1 name' }).inputValue()).toBe(
      'Discovery questions',
    );
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/callsui-rubric-editor.png' });
    await dialog.getByRole('button', { name: 'Create rubric' }).click();
    await page.getByRole('cell', { name: 'Discovery questions, Pricing clarity' }).waitFor();

    // 2. The models: among the provider's transcription and chat models.
    await tabs.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Call settings' }).waitFor();
    await page
      .getByRole('combobox', { name: 'Transcription model' })
      .selectOption({ label: `Local speech — ${DIARIZE_MODEL}` });
    await page
      .getByRole('combobox', { name: 'Scoring model' })
      .selectOption({ label: `Local speech — ${CHAT_MODEL}` });
    await page.getByRole('combobox', { name: 'Default rubric' }).selectOption({ label: 'Discovery call' });
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Call settings saved').waitFor();

    // 3. Upload the dialogue (and a PNG, refused with the server's reason) through the page.
    await tabs.getByRole('link', { name: 'Calls' }).click();
    await page.getByRole('textbox', { name: 'Rep name', exact: true }).fill(REP);
    await page.getByRole('textbox', { name: 'Title', exact: true }).fill('Acme discovery');
    await watchProgressBars(page);
    const [chooser] = await Promise.all([
      page.waitForEvent('filechooser'),
      page.getByRole('button', { name: 'Upload recordings' }).click(),
    ]);
    expect(chooser.isMultiple()).toBe(true);
    await chooser.setFiles([
      { name: 'acme-discovery.wav', mimeType: 'audio/wav', buffer: Buffer.from(dialogue.wav) },
      { name: 'logo.png', mimeType: 'image/png', buffer: PNG_BYTES },
    ]);
    const refused = page
      .getByRole('list', { name: 'Uploads' })
      .getByRole('listitem')
      .filter({ hasText: 'logo.png' });
    expect(await refused.getByRole('alert').innerText()).toMatch(/^Not added: .{10,}/);
    // With two files the title is each file's name.
    const row = page.getByRole('row').filter({ hasText: 'acme-discovery' });
    await row.waitFor();
    await page.screenshot({ path: '/tmp/callsui-list-processing.png' });
    await row.getByText('Ready', { exact: true }).waitFor({ timeout: 90_000 });
    // The file's upload progress, then its processing progress, were shown as progress bars.
    expect(await progressBarsSeen(page)).toEqual(
      expect.arrayContaining(['Uploading acme-discovery.wav', 'Processing acme-discovery']),
    );
    expect(await row.getByText(REP).count()).toBe(1);
    expect(await row.getByRole('progressbar').count()).toBe(0);
    await page.screenshot({ path: '/tmp/callsui-list.png' });
    expect(await seriousAxeViolations(page)).toEqual([]);

    // Filters live in the URL: a status that matches nothing, then cleared.
    await page.getByRole('combobox', { name: 'Status' }).selectOption({ label: 'Failed' });
    await page.getByText('No calls match these filters').waitFor();
    expect(new URL(page.url()).searchParams.get('status')).toBe('failed');
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await row.waitFor();

    // 4. The call: transcript lines with speakers, the rep marked.
    await row.getByRole('link', { name: 'acme-discovery' }).click();
    await page.getByRole('heading', { name: 'acme-discovery', level: 1 }).waitFor();
    const lines = page.getByRole('list', { name: 'Transcript lines' }).getByRole('button');
    await lines.first().waitFor();
    expect(await lines.count()).toBe(dialogue.lines.length);
    for (const [i, expected] of dialogue.lines.entries()) {
      const text = await lines.nth(i).innerText();
      expect(text).toContain(expected.text);
      expect(text).toContain(`Speaker ${expected.speaker}`);
      if (expected.speaker === 'A') expect(text).toContain('Rep');
    }
    // Clicking a line seeks the recording to where the line starts (the server answers Range).
    await page.locator('audio').evaluate(
      (a: HTMLAudioElement) =>
        new Promise<void>((resolve) => {
          if (a.readyState >= 1) resolve();
          else a.addEventListener('loadedmetadata', () => resolve(), { once: true });
        }),
    );
    const fourth = dialogue.lines[3]!;
    await line(page, fourth.text).click();
    await expect.poll(() => audioTime(page)).toBeCloseTo(fourth.start, 1);
    await expect.poll(() => line(page, fourth.text).getAttribute('aria-current')).toBe('true');
    // …and so does Enter on a focused line.
    const second = dialogue.lines[1]!;
    await line(page, second.text).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => audioTime(page)).toBeCloseTo(second.start, 1);

    // Scores with evidence: a quote seeks to its line and marks it.
    const scores = page.getByRole('region', { name: 'Scores: Discovery call' });
    await scores.getByRole('heading', { name: 'Discovery questions' }).waitFor();
    await scores.getByRole('heading', { name: 'Pricing clarity' }).waitFor();
    await scores.getByText('Asked about the size of the team early.').waitFor();
    const last = dialogue.lines[6]!;
    await scores
      .getByRole('list', { name: 'Evidence for Pricing clarity' })
      .getByRole('button', { name: /Forty dollars per agent/ })
      .click();
    await expect.poll(() => audioTime(page)).toBeCloseTo(last.start, 1);
    await expect.poll(() => line(page, last.text).getAttribute('class')).toContain('transcript-line-cited');
    await expect.poll(() => line(page, last.text).evaluate((el) => el === document.activeElement)).toBe(true);

    // Metrics and coaching.
    const metrics = page.getByRole('region', { name: 'Metrics' });
    await metrics.getByText('Talk / listen ratio').waitFor();
    expect(await metrics.getByRole('row').count()).toBe(3);
    expect(await metrics.getByRole('row', { name: /Speaker A · Rep/ }).count()).toBe(1);
    const coaching = page.getByRole('region', { name: 'Coaching' });
    await coaching.getByText('Asked how many agents the team has before pitching.').waitFor();
    await coaching.getByText('Agree on a next step before hanging up.').waitFor();
    await page.screenshot({ path: '/tmp/callsui-call.png', fullPage: true });
    await metrics.screenshot({ path: '/tmp/callsui-metrics.png' });
    expect(await seriousAxeViolations(page)).toEqual([]);

    // 5. The team dashboard, then the rep's coaching.
    await page.getByRole('link', { name: 'All calls' }).click();
    await page
      .getByRole('navigation', { name: 'Calls sections' })
      .getByRole('link', { name: 'Dashboard' })
      .click();
    const repLink = page.getByRole('table').getByRole('link', { name: REP });
    await repLink.waitFor();
    await page.getByRole('figure', { name: /Discovery questions/ }).waitFor();
    await page.screenshot({ path: '/tmp/callsui-dashboard.png', fullPage: true });
    expect(await seriousAxeViolations(page)).toEqual([]);
    await repLink.click();
    await page.getByRole('heading', { name: `Coaching for ${REP}` }).waitFor();
    await page.getByRole('row', { name: /Discovery questions/ }).waitFor();
    await page.getByRole('link', { name: 'acme-discovery' }).waitFor();
    await page.screenshot({ path: '/tmp/callsui-rep.png', fullPage: true });
    expect(await seriousAxeViolations(page)).toEqual([]);

    // 6. Back on the call: Speaker B is made the rep (the tag moves), then the call is deleted.
    await page.getByRole('link', { name: 'acme-discovery' }).click();
    await page.getByRole('heading', { name: 'acme-discovery', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit call' });
    await edit
      .getByRole('combobox', { name: 'Which speaker is the rep' })
      .selectOption({ label: 'Speaker B' });
    await edit.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Call updated').waitFor();
    await expect.poll(() => line(page, dialogue.lines[1]!.text).innerText()).toContain('Rep');
    expect(await line(page, dialogue.lines[0]!.text).innerText()).not.toContain('Rep');
    await page.getByRole('button', { name: 'Delete' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete acme-discovery?' });
    await confirm.getByRole('button', { name: 'Delete call' }).click();
    await page.getByText('No calls yet').waitFor();

    // The provider was asked to transcribe and to score (and coach).
    expect(fake.paths.filter((p) => p.endsWith('/audio/transcriptions')).length).toBe(1);
    expect(fake.paths.filter((p) => p.endsWith('/chat/completions')).length).toBeGreaterThanOrEqual(2);
    await context.close();
  });

  it('lets an operator upload (no rubrics, settings or deleting), and says when a transcript has one speaker', async () => {
    // The admin switches to a model without speaker labels (through the API).
    const auth = { authorization: `Bearer ${apiKey}` };
    const current = await t.app.inject({ method: 'GET', url: '/v1/calls/settings', headers: auth });
    const saved = await t.app.inject({
      method: 'PUT',
      url: '/v1/calls/settings',
      headers: auth,
      payload: { ...(current.json() as object), transcription: { providerId, model: WHISPER_MODEL } },
    });
    expect(saved.statusCode, saved.body).toBe(200);

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    await signIn(page, baseUrl, 'ben@example.com');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Calls' }).click();
    await page.getByRole('button', { name: 'Upload recordings' }).waitFor();
    const tabs = page.getByRole('navigation', { name: 'Calls sections' });
    expect(await tabs.getByRole('link').allInnerTexts()).toEqual(['Calls', 'Dashboard']);
    expect(await seriousAxeViolations(page)).toEqual([]);

    // Dropping files on the zone uploads them like the button: a PNG is refused, saying why.
    const png = [...PNG_BYTES];
    const dataTransfer = await page.evaluateHandle((bytes) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array(bytes)], 'dropped.png', { type: 'image/png' }));
      return transfer;
    }, png);
    await page.getByRole('group', { name: 'Add recordings' }).dispatchEvent('drop', { dataTransfer });
    const dropped = page
      .getByRole('list', { name: 'Uploads' })
      .getByRole('listitem')
      .filter({ hasText: 'dropped.png' });
    expect(await dropped.getByRole('alert').innerText()).toMatch(/^Not added: .{10,}/);

    await page.getByRole('textbox', { name: 'Title', exact: true }).fill('Single speaker');
    const [chooser] = await Promise.all([
      page.waitForEvent('filechooser'),
      page.getByRole('button', { name: 'Upload recordings' }).click(),
    ]);
    await chooser.setFiles([{ name: 'mono.wav', mimeType: 'audio/wav', buffer: Buffer.from(dialogue.wav) }]);
    const row = page.getByRole('row').filter({ hasText: 'Single speaker' });
    await row.getByText('Ready', { exact: true }).waitFor({ timeout: 90_000 });
    await row.getByRole('link', { name: 'Single speaker' }).click();
    await page.getByRole('note').filter({ hasText: 'Single-speaker transcript' }).waitFor();
    const lines = page.getByRole('list', { name: 'Transcript lines' }).getByRole('button');
    await lines.first().waitFor();
    for (const text of await lines.allInnerTexts()) {
      expect(text).toContain('Speaker A');
      expect(text).not.toContain('Rep');
    }
    // Operators edit and reprocess; deleting is for admins and owners.
    await page.getByRole('button', { name: 'Reprocess' }).waitFor();
    expect(await page.getByRole('button', { name: 'Delete' }).count()).toBe(0);
    await page.screenshot({ path: '/tmp/callsui-single-speaker.png' });
    expect(await seriousAxeViolations(page)).toEqual([]);
    await context.close();
  });

  it('shows a call paused by the monthly usage limit, sends it nowhere, and processes it once the limit is raised', async () => {
    const auth = { authorization: `Bearer ${apiKey}` };
    // The month has a cost (an answer, metered as the gateway meters it), and a limit below it.
    await meterModelCall(
      t.database,
      {
        orgId,
        conversationId: null,
        purpose: 'answer',
        model: CHAT_MODEL,
        provider: { kind: 'openai-compatible' },
      },
      { outcome: 'ok', redactions: 0, inputTokens: 1000, outputTokens: 200, durationMs: 300 },
    );
    const used = (await t.app.inject({ method: 'GET', url: '/v1/usage/limits', headers: auth })).json().month
      .used.costUsd as number;
    expect(used).toBeGreaterThan(0);
    const limited = await t.app.inject({
      method: 'PUT',
      url: '/v1/usage/limits',
      headers: auth,
      payload: { monthlyCostUsd: used / 2 },
    });
    expect(limited.statusCode, limited.body).toBe(200);
    const heard = fake.paths.length;

    const body = multipart([
      { name: 'title', data: 'Over the limit' },
      { name: 'file', filename: 'limit.wav', data: Buffer.from(dialogue.wav) },
    ]);
    const uploaded = await t.app.inject({
      method: 'POST',
      url: '/v1/calls',
      headers: { ...auth, ...body.headers },
      payload: body.payload,
    });
    expect(uploaded.statusCode, uploaded.body).toBe(202);

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    await signIn(page, baseUrl, 'ada@example.com');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Calls' }).click();
    const row = page.getByRole('row').filter({ hasText: 'Over the limit' });
    // The job pauses it within moments; the page is reloaded until it shows (never timed).
    for (let i = 0; i < 60 && (await row.getByText('Paused', { exact: true }).count()) === 0; i++) {
      await page.waitForTimeout(500);
      await page.reload();
    }
    await row.getByText('Paused', { exact: true }).waitFor();
    expect(await row.innerText()).toContain("Paused: the organization's monthly usage limit is reached.");
    expect(await row.getByRole('progressbar').count()).toBe(0);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/callsui-paused-list.png' });
    await row.getByRole('link', { name: 'Over the limit' }).click();
    const notice = page.getByRole('status').filter({ hasText: 'Paused:' });
    expect(await notice.innerText()).toMatch(/resumes by itself when the limit allows/);
    expect(await page.getByRole('progressbar').count()).toBe(0);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/callsui-paused-call.png' });
    // Nothing went to the provider.
    expect(fake.paths.length).toBe(heard);

    // An admin raises the limit: the paused call is processed at once.
    const raised = await t.app.inject({ method: 'PUT', url: '/v1/usage/limits', headers: auth, payload: {} });
    expect(raised.statusCode, raised.body).toBe(200);
    const status = page.locator('.call-facts');
    for (let i = 0; i < 120 && (await status.getByText('Ready', { exact: true }).count()) === 0; i++) {
      await page.waitForTimeout(500);
      await page.reload();
    }
    await status.getByText('Ready', { exact: true }).waitFor();
    expect(await page.getByText('Paused:').count()).toBe(0);
    expect(fake.paths.length).toBeGreaterThan(heard);
    await context.close();
  });
});
