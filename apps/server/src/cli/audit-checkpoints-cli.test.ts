import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signCheckpoint } from '../modules/audit/checkpoints.js';
import { rewriteHistoryWithKeys } from '../modules/audit/testing/rewrite-history.js';
import { loadConfig } from '../platform/config.js';
import { parseKeyring } from '../platform/crypto/keyring.js';
import { loadSigningKey } from '../platform/crypto/signing-key.js';
import { withTenant } from '../platform/db/tenancy.js';
import { cliEnv, runCli, withEmbeddedDatabase } from './testing/cli-process.js';

/**
 * `confidant audit verify --checkpoints FILE`, as an operator runs it (a child process on an
 * embedded data dir): a saved checkpoint proves the log extends it, and a history rewritten with
 * every server key — which the chain check alone accepts — fails against it.
 */
// Six child processes in one case: the limit only guards against hangs on a busy machine.
describe('confidant audit verify --checkpoints', { timeout: 300_000 }, () => {
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  const master = `1:${randomBytes(32).toString('base64')}`;

  beforeAll(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'confidant-checkpoints-'));
    env = cliEnv(dataDir, master);
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  const run = (args: string[]) => runCli(env, args);
  const withEmbedded = <T>(fn: Parameters<typeof withEmbeddedDatabase<T>>[1]) =>
    withEmbeddedDatabase(env, fn);

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
