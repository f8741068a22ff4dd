import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveCallSettings } from '../modules/calls/settings.js';
import { createProvider } from '../modules/model-providers/service.js';
import {
  type FakeSpeechProvider,
  startFakeSpeechProvider,
} from '../modules/models/testing/fake-speech-provider.js';
import { loadConfig } from '../platform/config.js';
import { parseKeyring } from '../platform/crypto/keyring.js';
import { openDatabase } from '../platform/db/open.js';
import { withTenant } from '../platform/db/tenancy.js';
import { cliEnv, runCli } from './testing/cli-process.js';

/**
 * `confidant calls add` as a child process on a temporary embedded data dir: without a
 * transcription model the call fails with words (exit 1); a file that is not audio is refused
 * (415's words) and nothing is stored for it; with a transcription model (a local server speaking
 * OpenAI's protocol) the recording is transcribed and ready (exit 0); bad usage exits 2.
 */
const fixtures = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  'modules',
  'calls',
  'testing',
  'fixtures',
);

describe('confidant calls add', { timeout: 180_000 }, () => {
  let root: string;
  let env: NodeJS.ProcessEnv;
  let orgId: string;
  let speech: FakeSpeechProvider;

  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'confidant-calls-'));
    env = {
      ...cliEnv(path.join(root, 'data'), randomBytes(32).toString('base64')),
      CONFIDANT_ALLOW_PRIVATE_NETWORKS: 'true',
    };
    writeFileSync(path.join(root, 'notes.mp3'), 'not audio at all, just text\n'.repeat(10));
    speech = await startFakeSpeechProvider({ script: { turns: 'Hello, thanks for calling.' } });
  });
  afterAll(async () => {
    rmSync(root, { recursive: true, force: true });
    await speech?.close();
  });
  const run = (args: string[]) => runCli(env, args);
  const wav = path.join(fixtures, 'hello.wav');

  it('fails a call in words without a transcription model, and refuses a file that is not audio (exit 1)', async () => {
    const created = await run(['org', 'create', '--name', 'Calls org', '--json']);
    expect(created.code, created.stderr).toBe(0);
    orgId = JSON.parse(created.stdout).orgId;

    const added = await run(['calls', 'add', wav, path.join(root, 'notes.mp3'), '--rep', 'Sam']);
    expect(added.code, added.stderr).toBe(1);
    expect(added.stdout).toMatch(/FAILED +\S*notes\.mp3: The file is not a supported recording/);
    expect(added.stdout).toMatch(/FAILED +\S*hello\.wav: No transcription model is chosen/);
    expect(added.stdout).toContain('0 of 2 call(s) ready, 2 failed.');
  });

  it('transcribes a recording with the org’s transcription model (exit 0)', async () => {
    const config = loadConfig(env);
    const keyring = parseKeyring(config.masterKey!);
    const database = await openDatabase(config, { migrate: false });
    try {
      await withTenant(database, [orgId], async (tx) => {
        const system = { type: 'system' as const, id: null };
        const provider = await createProvider(tx, keyring, orgId, system, {
          kind: 'openai-compatible',
          name: 'Local Whisper',
          baseUrl: speech.baseUrl,
          models: [{ id: 'whisper-1', type: 'transcription' }],
          maxRetries: 0,
        });
        await saveCallSettings(tx, keyring, orgId, system, {
          transcription: { providerId: provider.id, model: 'whisper-1' },
          scoring: null,
          defaultRubricId: null,
          maxBytes: 1024 * 1024,
          maxDurationSeconds: 60,
        });
      });
    } finally {
      await database.close();
    }
    const added = await run(['calls', 'add', wav, '--title', 'First call']);
    expect(added.code, added.stdout + added.stderr).toBe(0);
    expect(added.stdout).toMatch(
      /ready +\S*hello\.wav: 1 transcript lines, not scored \(call [0-9a-f-]{36}\)/,
    );
    expect(speech.requests).toHaveLength(1);
  });

  it('refuses bad usage with exit 2', async () => {
    for (const args of [
      ['calls', 'add', wav, '--org', 'not-a-uuid'],
      ['calls', 'add', wav, '--org', randomUUID()],
      ['calls', 'add', wav, wav, '--title', 'One title for two files'],
      ['calls', 'add', path.join(root, 'missing.wav')],
    ]) {
      const res = await run(args);
      expect(res.code, `${args.join(' ')}: ${res.stdout}${res.stderr}`).toBe(2);
    }
  });
});
