import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signCheckpoint } from '../modules/audit/checkpoints.js';
import { rewriteHistoryWithKeys } from '../modules/audit/testing/rewrite-history.js';
import { loadConfig } from '../platform/config.js';
import { parseKeyring } from '../platform/crypto/keyring.js';
import { loadSigningKey } from '../platform/crypto/signing-key.js';
import { openDatabase } from '../platform/db/open.js';
import { withTenant } from '../platform/db/tenancy.js';

/**
 * `confidant audit verify --checkpoints FILE`, as an operator runs it (a child process on an
 * embedded data dir): a saved checkpoint proves the log extends it, and a history rewritten with
 * every server key — which the chain check alone accepts — fails against it.
 */
const launcher = fileURLToPath(new URL('../../../../bin/confidant.js', import.meta.url));

describe('confidant audit verify --checkpoints', { timeout: 120_000 }, () => {
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  const master = `1:${randomBytes(32).toString('base64')}`;

  beforeAll(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'confidant-checkpoints-'));
    const { DATABASE_URL: _d, TEST_DATABASE_URL: _t, CONFIDANT_MASTER_KEY: _m, ...rest } = process.env;
    env = {
      ...rest,
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      CONFIDANT_DEMO: 'false',
      CONFIDANT_DATA_DIR: dataDir,
      CONFIDANT_MASTER_KEY: master,
    };
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  const run = (args: string[]) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [launcher, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });

  const withEmbedded = async <T>(fn: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>) => {
    const database = await openDatabase(loadConfig(env), { migrate: false });
    try {
      return await fn(database);
    } finally {
      await database.close();
    }
  };

  it('passes against a saved checkpoint, and fails once history is rewritten with every key', async () => {
    expect((await run(['migrate'])).code).toBe(0);
    const created = await run(['org', 'create', '--name', 'Acme', '--json']);
    expect(created.code, created.stderr).toBe(0);
    const { orgId } = JSON.parse(created.stdout) as { orgId: string };

    const key = loadSigningKey(loadConfig(env));
    const signed = await withEmbedded((database) =>
      withTenant(database, [orgId], (tx) => signCheckpoint(tx, key, orgId)),
    );
    const file = path.join(dataDir, 'checkpoints.json');
    writeFileSync(file, JSON.stringify({ checkpoints: [signed!.checkpoint] }));

    const ok = await run(['audit', 'verify', '--checkpoints', file]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('Audit log extends every checkpoint: 1 checkpoint(s) of 1 organization(s)');

    await withEmbedded((database) =>
      rewriteHistoryWithKeys(
        {
          query: async <T>(text: string, params?: unknown[]) =>
            (await database.pglite!.query<T>(text, params)).rows,
          exec: async (text) => void (await database.pglite!.exec(text)),
        },
        parseKeyring(master),
        orgId,
        1,
        'someone-else',
      ),
    );
    // The chain alone is fooled: every MAC was recomputed with the master key.
    const chainOnly = await run(['audit', 'verify', '--org', orgId]);
    expect(chainOnly.code, chainOnly.stderr).toBe(0);

    const caught = await run(['audit', 'verify', '--checkpoints', file]);
    expect(caught.code).toBe(1);
    expect(caught.stderr).toContain('Audit log does NOT extend 1 of 1 signed checkpoint(s)');
    expect(caught.stderr).toMatch(
      new RegExp(`org ${orgId} checkpoint #${signed!.checkpoint.seq}: .*rewritten`),
    );

    const json = await run(['audit', 'verify', '--checkpoints', file, '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: false,
      problems: [{ orgId, seq: signed!.checkpoint.seq }],
    });
  });

  it('says clearly when the file is missing or not a checkpoints file (exit 2)', async () => {
    const missing = await run(['audit', 'verify', '--checkpoints', path.join(dataDir, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Cannot read the checkpoints file');
    const wrong = path.join(dataDir, 'wrong.json');
    writeFileSync(wrong, '{"entries": []}');
    const bad = await run(['audit', 'verify', '--checkpoints', wrong]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('must be what GET /v1/audit/checkpoints returns');
  });
});
