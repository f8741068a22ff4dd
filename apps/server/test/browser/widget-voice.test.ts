import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueApiKey } from '../../src/modules/api-keys/service.js';
import { createUserWithMembership } from '../../src/modules/auth/service.js';
import { voiceHeldInMemory } from '../../src/modules/conversations/voice/routes.js';
import {
  type FakeSpeechServer,
  startFakeSpeechServer,
} from '../../src/modules/conversations/voice/testing/fake-speech-server.js';
import { meterModelCall } from '../../src/modules/models/gateway.js';
import { agents, modelProviders, voiceRecordings } from '../../src/platform/db/schema/index.js';
import { withTenant } from '../../src/platform/db/tenancy.js';
import { scanForAudio } from '../../src/testing/residue-scan.js';
import { CHROMIUM, CHROMIUM_ARGS } from './chromium.js';
import { seriousAxeViolations } from './console-helpers.js';
import { type DemoServer, startDemoServer } from './demo-server.js';

/**
 * Voice in the widget, in a dedicated Chromium whose fake microphone plays a WAV that espeak-ng
 * speaks in the test: the visitor asks by voice, the transcript appears as their message, the
 * answer with citations appears and is spoken (the speech server receives its sentences, the
 * widget shows it speaking), and Stop interrupts it. With voice off: no microphone, and the page
 * never called getUserMedia, AudioContext or the permissions API. Afterwards no audio exists in
 * the database or the data directory. A kept recording plays in the inbox for an admin; a viewer
 * (who may not hear it) is told who can. Past the org's monthly usage limit the microphone is
 * refused politely, the visitor types instead, and the speech provider hears nothing.
 */
const hasTools = existsSync(CHROMIUM) && hasEspeak();
const password = 'a long enough password';

function hasEspeak(): boolean {
  try {
    execFileSync('espeak-ng', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Counts every browser capability the voice code could touch, before any page script runs. */
const countCapabilityCalls = () => {
  const calls = { getUserMedia: 0, audioContext: 0, permissions: 0, mediaRecorder: 0 };
  (window as unknown as { __voiceCalls: typeof calls }).__voiceCalls = calls;
  const devices = navigator.mediaDevices;
  if (devices) {
    const original = devices.getUserMedia.bind(devices);
    devices.getUserMedia = (constraints) => {
      calls.getUserMedia++;
      return original(constraints);
    };
  }
  const OriginalContext = window.AudioContext;
  window.AudioContext = class extends OriginalContext {
    constructor(options?: AudioContextOptions) {
      super(options);
      calls.audioContext++;
    }
  };
  const OriginalRecorder = window.MediaRecorder;
  window.MediaRecorder = class extends OriginalRecorder {
    constructor(stream: MediaStream, options?: MediaRecorderOptions) {
      super(stream, options);
      calls.mediaRecorder++;
    }
  } as typeof MediaRecorder;
  if (navigator.permissions) {
    const query = navigator.permissions.query.bind(navigator.permissions);
    navigator.permissions.query = (descriptor) => {
      calls.permissions++;
      return query(descriptor);
    };
  }
};

const capabilityCalls = (page: Page) =>
  page.evaluate(() => (window as unknown as { __voiceCalls: Record<string, number> }).__voiceCalls);

describe.skipIf(!hasTools && !process.env.CI)('voice in the widget (Chromium, fake microphone)', () => {
  let demo: DemoServer;
  let fake: FakeSpeechServer;
  let browser: Browser;
  let workDir: string;
  const problems: string[] = [];

  beforeAll(async () => {
    workDir = mkdtempSync(path.join(tmpdir(), 'confidant-voice-'));
    const wav = path.join(workDir, 'question.wav');
    execFileSync('espeak-ng', ['-w', wav, 'How long does shipping take?']);
    fake = await startFakeSpeechServer({ transcript: 'How long does shipping take?' });
    demo = await startDemoServer(
      'voice',
      { email: 'vera@example.com', password, name: 'Vera' },
      {
        CONFIDANT_ALLOW_PRIVATE_NETWORKS: 'true',
      },
    );
    // A dedicated Chromium: the fake microphone is a launch flag, so the shared one cannot have it.
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        ...CHROMIUM_ARGS,
        '--use-fake-device-for-media-stream',
        `--use-file-for-fake-audio-capture=${wav}`,
        '--use-fake-ui-for-media-stream',
        '--autoplay-policy=no-user-gesture-required',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await demo?.close();
    await fake?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  async function openWidget() {
    const context = await browser.newContext({ viewport: { width: 1000, height: 820 } });
    await context.addInitScript(countCapabilityCalls);
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (e) => problems.push(`page error: ${e}`));
    // Every refused widget API call (a favicon's 404 is not one).
    page.on('response', (r) => {
      if (r.status() >= 400 && new URL(r.url()).pathname.startsWith('/v1/'))
        problems.push(`${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`);
    });
    await page.goto(`${demo.baseUrl}/demo`);
    await page.getByRole('button', { name: 'Open chat' }).click();
    await page.getByRole('textbox', { name: 'Your message' }).waitFor();
    return { context, page };
  }

  it('with voice off: no microphone, and nothing asked of the browser', async () => {
    const { context, page } = await openWidget();
    const input = page.getByRole('textbox', { name: 'Your message' });
    await input.fill('How long does shipping take?');
    await input.press('Enter');
    await page.getByRole('log').locator('.sources').first().waitFor();
    expect(await page.getByRole('button', { name: 'Talk' }).count()).toBe(0);
    expect(await capabilityCalls(page)).toEqual({
      getUserMedia: 0,
      audioContext: 0,
      permissions: 0,
      mediaRecorder: 0,
    });
    await context.close();
  });

  it('asks by voice: transcript, cited answer, spoken back, interrupted; no audio left anywhere', async () => {
    // The org's local speech server as a provider (Settings → Model providers would do the same).
    await withTenant(demo.t.database, [demo.orgId], (tx) =>
      tx.insert(modelProviders).values({
        orgId: demo.orgId,
        kind: 'openai-compatible',
        name: 'Local Whisper',
        baseUrl: fake.baseUrl,
        models: [
          { id: 'whisper-1', type: 'transcription' },
          { id: 'tts-1', type: 'speech' },
        ],
        timeoutMs: 10_000,
        maxRetries: 0,
      }),
    );
    // An admin turns voice on in the console's Voice card.
    const admin = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const consolePage = await admin.newPage();
    consolePage.setDefaultTimeout(20_000);
    await consolePage.goto(`${demo.baseUrl}/`);
    await consolePage.getByRole('textbox', { name: 'Email' }).fill('vera@example.com');
    await consolePage.getByLabel('Password').fill(password);
    await consolePage.getByRole('button', { name: 'Sign in' }).click();
    await consolePage.getByRole('heading', { name: 'Inbox' }).waitFor();
    await consolePage.goto(`${demo.baseUrl}/console/o/${demo.orgId}/agents/${demo.agentId}`);
    const card = consolePage.getByRole('form', { name: 'Voice settings' });
    await card.waitFor();
    await card
      .getByLabel('Transcription model (speech to text)')
      .selectOption({ label: 'Local Whisper — whisper-1' });
    await card.getByLabel('Speech model (text to speech)').selectOption({ label: 'Local Whisper — tts-1' });
    await card.getByRole('textbox', { name: 'Voice name' }).fill('nova');
    await card.getByRole('checkbox', { name: 'Let visitors talk to this agent' }).check();
    expect(await seriousAxeViolations(consolePage)).toEqual([]);
    await card.getByRole('button', { name: 'Save voice settings' }).click();
    await consolePage.getByText('Voice settings saved').waitFor();
    await card.scrollIntoViewIfNeeded();
    await consolePage.screenshot({ path: '/tmp/console-agent-voice.png' });
    const [stored] = await withTenant(demo.t.database, [demo.orgId], (tx) =>
      tx.select({ voice: agents.voice }).from(agents).where(eq(agents.id, demo.agentId)),
    );
    expect(stored!.voice).toMatchObject({ enabled: true, speech: { model: 'tts-1', voice: 'nova' } });
    await admin.close();

    const { context, page } = await openWidget();
    const mic = page.getByRole('button', { name: 'Talk' });
    await mic.waitFor();
    await page
      .getByText('Your voice is transcribed by Local Whisper and not kept.', { exact: false })
      .waitFor();
    // Shown, loaded, but nothing asked of the browser until the visitor presses it.
    expect(await capabilityCalls(page)).toEqual({
      getUserMedia: 0,
      audioContext: 0,
      permissions: 0,
      mediaRecorder: 0,
    });
    expect(await seriousAxeViolations(page)).toEqual([]);

    // Tap to talk: a tap starts, the fake microphone speaks, a second tap stops and sends.
    await mic.click();
    const stop = page.getByRole('button', { name: 'Stop and send' });
    await stop.waitFor();
    expect(await stop.getAttribute('aria-pressed')).toBe('true');
    await page.getByRole('status').filter({ hasText: 'Listening…' }).waitFor();
    await page.waitForTimeout(1800);
    await page.screenshot({ path: '/tmp/widget-voice-listening.png' });
    await stop.click();

    const log = page.getByRole('log');
    await log
      .getByText('How long does shipping take?')
      .waitFor()
      .catch(async (error: unknown) => {
        await page.screenshot({ path: '/tmp/widget-voice-failed.png' });
        throw new Error(`${error}\n${problems.join('\n')}\n${await log.innerText()}`);
      });
    await log.locator('.sources').first().waitFor();
    // The transcription server got Opus in WebM, recorded from the fake microphone.
    expect(fake.heard.length).toBe(1);
    expect(fake.heard[0]!.mediaType).toBe('audio/webm');
    expect(fake.heard[0]!.bytes.subarray(0, 4).toString('hex')).toBe('1a45dfa3');
    expect(fake.heard[0]!.bytes.length).toBeGreaterThan(2000);

    // Spoken while it appears: the speech server received the answer's sentences, and the
    // widget shows it speaking, with a Stop button.
    const hush = page.getByRole('button', { name: 'Stop speaking' });
    await hush.waitFor();
    // Audio actually plays (the media element reached `playing`), and the state says speaking.
    await page
      .locator('.mic[data-played][data-voice="speaking"]')
      .waitFor()
      .catch(async (error: unknown) => {
        throw new Error(`${error}\n${problems.join('\n')}\n${fake.spoken.length}`);
      });
    expect(fake.spoken.length).toBeGreaterThan(0);
    const answerText = (await log.locator('.assistant').last().innerText()).replace(/\s+/g, ' ');
    expect(answerText).toContain(fake.spoken[0]!.text.slice(0, 15));
    await page.screenshot({ path: '/tmp/widget-voice-speaking.png' });

    // Interrupt: playback stops at once, and the state says so.
    await hush.click();
    await page.getByRole('status').filter({ hasText: 'Stopped.' }).waitFor();
    expect(await page.locator('.mic').getAttribute('data-voice')).toBe('idle');
    expect(await hush.isHidden()).toBe(true);
    // Push-to-talk from the keyboard: hold Space on the focused microphone, release to send.
    await mic.focus();
    await page.keyboard.down(' ');
    await page.getByRole('status').filter({ hasText: 'Listening…' }).waitFor();
    await page.waitForTimeout(1500);
    await page.keyboard.up(' ');
    await page.getByRole('status').filter({ hasText: 'Speaking…' }).waitFor();
    expect(fake.heard.length).toBe(2);
    expect(await log.locator('.visitor', { hasText: 'How long does shipping take?' }).count()).toBe(2);
    // Pressing Escape interrupts playback (and leaves the panel open).
    await page.keyboard.press('Escape');
    await page.getByRole('status').filter({ hasText: 'Stopped.' }).waitFor();
    expect(await page.getByRole('dialog').first().isVisible()).toBe(true);

    const calls = await capabilityCalls(page);
    expect(calls.getUserMedia).toBe(2);
    expect(calls.mediaRecorder).toBe(2);
    // One audio context for the whole visit (meter and playback).
    expect(calls.audioContext).toBe(1);
    expect(problems).toEqual([]);
    await context.close();

    // No audio in the database, the data directory or this process's memory.
    expect(await scanForAudio({ database: demo.t.database, dataDir: demo.dataDir })).toEqual([]);
    expect(voiceHeldInMemory().audioBytes).toBe(0);
  }, 90_000);

  it('keeps a recording only when the visitor ticks the box: encrypted, played back in the inbox', async () => {
    // The admin turns recording on in the Voice card (voice is on from the test above).
    const admin = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const consolePage = await admin.newPage();
    consolePage.setDefaultTimeout(20_000);
    await consolePage.goto(`${demo.baseUrl}/`);
    await consolePage.getByRole('textbox', { name: 'Email' }).fill('vera@example.com');
    await consolePage.getByLabel('Password').fill(password);
    await consolePage.getByRole('button', { name: 'Sign in' }).click();
    await consolePage.getByRole('heading', { name: 'Inbox' }).waitFor();
    await consolePage.goto(`${demo.baseUrl}/console/o/${demo.orgId}/agents/${demo.agentId}`);
    const card = consolePage.getByRole('form', { name: 'Voice settings' });
    await card.getByRole('checkbox', { name: /Keep recordings of voice messages/ }).check();
    expect(await seriousAxeViolations(consolePage)).toEqual([]);
    await card.getByRole('button', { name: 'Save voice settings' }).click();
    await consolePage.getByText('Voice settings saved').waitFor();
    const kept = () =>
      withTenant(demo.t.database, [demo.orgId], (tx) =>
        tx.select().from(voiceRecordings).where(eq(voiceRecordings.orgId, demo.orgId)),
      );
    const before = (await kept()).length;

    const talk = async (tick: boolean) => {
      const { context, page } = await openWidget();
      await page.getByText('recordings are kept only if you agree', { exact: false }).waitFor();
      const box = page.getByRole('checkbox', { name: /Keep a recording of my voice messages/ });
      expect(await box.isChecked()).toBe(false);
      expect(await seriousAxeViolations(page)).toEqual([]);
      // Keyboard: Space on the focused checkbox ticks it.
      if (tick) {
        await box.focus();
        await page.keyboard.press(' ');
        expect(await box.isChecked()).toBe(true);
      }
      const heard = fake.heard.length;
      await page.getByRole('button', { name: 'Talk' }).click();
      const stop = page.getByRole('button', { name: 'Stop and send' });
      await stop.waitFor();
      await page.waitForTimeout(1500);
      await stop.click();
      await page.getByRole('status').filter({ hasText: 'Speaking…' }).waitFor();
      expect(fake.heard.length).toBe(heard + 1);
      await page.keyboard.press('Escape');
      return { context, page };
    };

    // Not ticked: nothing kept.
    const declined = await talk(false);
    await declined.context.close();
    expect((await kept()).length).toBe(before);

    // Ticked: one recording, encrypted at rest (no WebM/Ogg bytes anywhere).
    const granted = await talk(true);
    await expect.poll(async () => (await kept()).length).toBe(before + 1);
    const recording = (await kept()).at(-1)!;
    expect(recording.mediaType).toBe('audio/webm');
    expect(await scanForAudio({ database: demo.t.database, dataDir: demo.dataDir })).toEqual([]);
    await granted.context.close();

    // The inbox shows a play control on that visitor message; it serves the decrypted WebM.
    await consolePage.goto(
      `${demo.baseUrl}/console/o/${demo.orgId}/inbox/${recording.conversationId}?view=all`,
    );
    const player = consolePage.getByLabel('Recording of this voice message');
    await player.waitFor();
    const src = await player.getAttribute('src');
    const audio = await consolePage.evaluate(async (url) => {
      const res = await fetch(url!);
      const bytes = new Uint8Array(await res.arrayBuffer());
      return { type: res.headers.get('content-type'), magic: Array.from(bytes.subarray(0, 4)) };
    }, src);
    expect(audio).toEqual({ type: 'audio/webm', magic: [0x1a, 0x45, 0xdf, 0xa3] });
    // The voice message is marked as spoken (its text is the transcriber's).
    const line = consolePage.locator('article.message-visitor', { has: player });
    expect(await line.getByText('Spoken', { exact: true }).count()).toBe(1);
    await consolePage.screenshot({ path: '/tmp/console-inbox-spoken.png' });
    expect(await seriousAxeViolations(consolePage)).toEqual([]);
    expect(await consolePage.getByRole('note').filter({ hasText: 'Voice recordings' }).count()).toBe(0);
    await admin.close();
    expect(problems).toEqual([]);

    // A viewer may not hear visitors' voices (the server answers 403): the transcript says who can.
    await createUserWithMembership(demo.t, {
      email: 'val@example.com',
      password,
      name: 'Val',
      orgId: demo.orgId,
      role: 'viewer',
    });
    const viewer = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const viewerPage = await viewer.newPage();
    viewerPage.setDefaultTimeout(20_000);
    await viewerPage.goto(`${demo.baseUrl}/`);
    await viewerPage.getByRole('textbox', { name: 'Email' }).fill('val@example.com');
    await viewerPage.getByLabel('Password').fill(password);
    await viewerPage.getByRole('button', { name: 'Sign in' }).click();
    await viewerPage.getByRole('heading', { name: 'Inbox' }).waitFor();
    await viewerPage.goto(
      `${demo.baseUrl}/console/o/${demo.orgId}/inbox/${recording.conversationId}?view=all`,
    );
    const note = viewerPage.getByRole('log', { name: 'Transcript' }).getByRole('note');
    expect(await note.innerText()).toBe(
      'Voice recordings kept in this conversation, if any, are visible to owners, admins and agents, not to viewers.',
    );
    expect(await viewerPage.getByLabel('Recording of this voice message').count()).toBe(0);
    // The transcript itself is there as for anyone who may read the conversation.
    await viewerPage
      .getByRole('log', { name: 'Transcript' })
      .getByText('How long does shipping take?')
      .first()
      .waitFor();
    expect(await seriousAxeViolations(viewerPage)).toEqual([]);
    await viewerPage.screenshot({ path: '/tmp/inbox-recordings-viewer.png' });
    await viewer.close();
  }, 90_000);

  it('past the monthly usage limit: voice is refused politely, typing still works, the provider hears nothing', async () => {
    const { key } = await withTenant(demo.t.database, [demo.orgId], (tx) =>
      issueApiKey(
        tx,
        demo.t.keyring,
        demo.orgId,
        { type: 'system', id: null },
        { name: 'limits', role: 'admin' },
      ),
    );
    const usage = (method: 'GET' | 'PUT', payload?: object) =>
      demo.t.app.inject({
        method,
        url: '/v1/usage/limits',
        headers: { authorization: `Bearer ${key}` },
        ...(payload ? { payload } : {}),
      });
    // The month has a cost (a minute of transcription, metered as the speech layer meters it); the
    // limit goes below it.
    await meterModelCall(
      demo.t.database,
      {
        orgId: demo.orgId,
        conversationId: null,
        purpose: 'voice',
        model: 'whisper-1',
        provider: { kind: 'openai-compatible' },
      },
      { outcome: 'ok', redactions: 0, inputTokens: 0, outputTokens: 0, durationMs: 100, audioSeconds: 60 },
    );
    const used = (await usage('GET')).json().month.used.costUsd as number;
    expect(used).toBeGreaterThan(0);
    expect((await usage('PUT', { monthlyCostUsd: used / 2 })).statusCode).toBe(200);
    const heard = fake.heard.length;
    const spoken = fake.spoken.length;
    const problemsBefore = problems.length;

    const { context, page } = await openWidget();
    await page.getByRole('button', { name: 'Talk' }).click();
    await page
      .getByRole('log')
      .getByText('Voice is not available right now — please type your question.', { exact: true })
      .waitFor();
    // The microphone is let go at once, and the text input has the focus.
    const talk = page.getByRole('button', { name: 'Talk' });
    await talk.waitFor();
    expect(await talk.getAttribute('aria-pressed')).toBe('false');
    const input = page.getByRole('textbox', { name: 'Your message' });
    expect(await input.evaluate((el) => (el.getRootNode() as ShadowRoot).activeElement === el)).toBe(true);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/widget-voice-over-limit.png' });

    // Typing works as always.
    await input.fill('How long does shipping take?');
    await input.press('Enter');
    await page.getByRole('log').locator('.sources').first().waitFor();
    expect(fake.heard.length).toBe(heard);
    expect(fake.spoken.length).toBe(spoken);
    // The only refused call was the voice turn's start (429).
    const refused = problems.splice(problemsBefore);
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatch(/^429 POST \/v1\/widget\/conversations\/[0-9a-f-]+\/voice-turns$/);
    await context.close();
    expect((await usage('PUT', {})).statusCode).toBe(200);
  });

  it('says clearly when the microphone is refused or absent', async () => {
    for (const [name, message] of [
      ['NotAllowedError', 'Microphone access was refused'],
      ['NotFoundError', 'No microphone was found'],
    ] as const) {
      const { context, page } = await openWidget();
      await page.evaluate((errorName) => {
        navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('no', errorName));
      }, name);
      await page.getByRole('button', { name: 'Talk' }).click();
      await page.getByRole('log').getByText(message, { exact: false }).waitFor();
      expect(await page.getByRole('button', { name: 'Talk' }).getAttribute('aria-pressed')).toBe('false');
      await context.close();
    }
  });
});
