import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOrgModelProvider, saveModelProvider } from '../modules/model-providers/service.js';
import { envelopeKeyVersion } from '../platform/crypto/envelope.js';
import { parseKeyring } from '../platform/crypto/keyring.js';
import { masterKeyPath, writeKeyringFile } from '../platform/crypto/master-key.js';
import { withTenant } from '../platform/db/tenancy.js';
import { serverPidPath } from '../platform/server-lock.js';
import { cliEnv, runCli, startCli, withEmbeddedDatabase } from './testing/cli-process.js';

/**
 * The real `confidant` command (bin/confidant.js → tsx → cli/index.ts) as child processes on a
 * temporary embedded data dir. Each run boots a process, so the cases share one data dir and
 * run in order. The test process opens the same PGlite files only between runs.
 */
// Child processes are slow to boot on a busy machine; these limits only guard against hangs.
describe('confidant CLI', { timeout: 120_000 }, () => {
  let dataDir: string;
  const v1 = randomBytes(32).toString('base64');
  let env: NodeJS.ProcessEnv;
  let orgId: string;

  beforeAll(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'confidant-cli-'));
    // The children run embedded: no PostgreSQL settings leak in from the test environment.
    env = cliEnv(dataDir, `1:${v1}`);
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  const start = (args: string[], extraEnv: NodeJS.ProcessEnv = {}) => startCli({ ...env, ...extraEnv }, args);
  const run = (args: string[], extraEnv: NodeJS.ProcessEnv = {}) => runCli({ ...env, ...extraEnv }, args);
  const withEmbedded = <T>(fn: Parameters<typeof withEmbeddedDatabase<T>>[1]) =>
    withEmbeddedDatabase(env, fn);

  it('migrates a fresh data dir, then creates an org and prints its key once as JSON', async () => {
    const migrated = await run(['migrate']);
    expect(migrated.code, migrated.stderr).toBe(0);
    expect(migrated.stdout).toMatch(/Applied \d+ migration\(s\)/);
    expect(migrated.stdout).toContain('0000_initial');

    const created = await run(['org', 'create', '--name', 'Acme', '--json']);
    expect(created.code, created.stderr).toBe(0);
    const out = JSON.parse(created.stdout);
    expect(Object.keys(out).sort()).toEqual(['apiKey', 'orgId']);
    expect(out.orgId).toMatch(/^[0-9a-f-]{36}$/);
    expect(out.apiKey).toMatch(/^ck_[A-Za-z0-9_-]{32,}$/);
    orgId = out.orgId;
    expect(existsSync(serverPidPath(dataDir))).toBe(false);
  });

  it('verifies an intact audit log, and names the entry changed behind its back', async () => {
    const ok = await run(['audit', 'verify', '--json']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual({ ok: true, orgs: 1, entries: expect.any(Number), problems: [] });

    await withEmbedded(async (database) => {
      await database.pglite!.exec(`BEGIN;
        ALTER TABLE audit_log DISABLE TRIGGER USER;
        UPDATE audit_log SET target_id = 'someone-else' WHERE org_id = '${orgId}' AND seq = 1;
        ALTER TABLE audit_log ENABLE TRIGGER USER;
        COMMIT;`);
    });
    const broken = await run(['audit', 'verify', '--org', orgId]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('Audit log BROKEN in 1 of 1 organization(s)');
    expect(broken.stderr).toMatch(new RegExp(`org ${orgId} entry #1: .*changed`));
  });

  it('rotates keys (env keyring, then master.key): the stored provider key moves up a version and still decrypts', async () => {
    const keyring1 = parseKeyring(`1:${v1}`);
    await withEmbedded((database) =>
      withTenant(database, [orgId], (tx) =>
        saveModelProvider(
          tx,
          keyring1,
          orgId,
          { type: 'system', id: 'test' },
          {
            baseUrl: 'https://llm.example/v1',
            model: 'm',
            apiKey: 'sk-rotate-me',
          },
        ),
      ),
    );
    const v2 = randomBytes(32).toString('base64');
    const rotated = await run(['keys', 'rotate'], { CONFIDANT_MASTER_KEY: `1:${v1},2:${v2}` });
    expect(rotated.code, rotated.stderr).toBe(0);
    expect(rotated.stdout).toMatch(/Re-wrapped 1 of 1 encrypted value\(s\).*version 2/);
    expect(rotated.stdout).toMatch(/remove version\(s\) 1/);
    expect(rotated.stdout + rotated.stderr).not.toContain(v1);
    expect(rotated.stdout + rotated.stderr).not.toContain('sk-rotate-me');

    await withEmbedded(async (database) => {
      const onlyV2 = parseKeyring(`2:${v2}`);
      expect((await loadOrgModelProvider(database, onlyV2, orgId))?.apiKey).toBe('sk-rotate-me');
    });
    // This run also covers the embedded key file mode: no CONFIDANT_MASTER_KEY, master.key holds v1+v2.
    writeKeyringFile(dataDir, parseKeyring(`1:${v1},2:${v2}`));
    const again = await run(['keys', 'rotate'], { CONFIDANT_MASTER_KEY: '' });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(`Added master key version 3 to ${masterKeyPath(dataDir)}`);
    expect(again.stdout).toMatch(/Re-wrapped 1 of 1 .*version 3/);
    expect(statSync(masterKeyPath(dataDir)).mode & 0o777).toBe(0o600);
    const fileKeyring = parseKeyring(readFileSync(masterKeyPath(dataDir), 'utf8'));
    expect([...fileKeyring.keys.keys()].sort()).toEqual([1, 2, 3]);
    await withEmbedded(async (database) => {
      const onlyV3 = parseKeyring(`3:${fileKeyring.keys.get(3)!.toString('base64')}`);
      const provider = await loadOrgModelProvider(database, onlyV3, orgId);
      expect(provider?.apiKey).toBe('sk-rotate-me');
      const [row] = await database
        .pglite!.query<{ c: string }>(
          'select api_key_ciphertext as c from model_providers where org_id = $1',
          [orgId],
        )
        .then((r) => r.rows);
      expect(envelopeKeyVersion(row!.c)).toBe(3);
    });
  });

  it('start writes server.pid, other commands refuse the data dir meanwhile, and exit removes it', async () => {
    const server = start(['start'], { PORT: '0' });
    try {
      await waitForOutput(server, /Confidant is running at/);
      const pid = Number(readFileSync(serverPidPath(dataDir), 'utf8'));
      expect(pid).toBeGreaterThan(0);
      const refused = await run(['org', 'create', '--name', 'Other']);
      expect(refused.code).toBe(3);
      expect(refused.stderr).toContain(
        `Another Confidant process (pid ${pid}) is using the embedded database`,
      );
    } finally {
      server.kill('SIGTERM');
      await new Promise((resolve) => server.once('close', resolve));
    }
    expect(existsSync(serverPidPath(dataDir))).toBe(false);
  });

  it('reports bad configuration and usage with exit code 2', async () => {
    const badConfig = await run(['audit', 'verify'], { PORT: 'eighty', CONFIDANT_MASTER_KEY: 'short' });
    expect(badConfig.code).toBe(2);
    expect(badConfig.stderr).toContain('Invalid configuration');
    expect(badConfig.stderr).toContain('PORT');
    const badUsage = await run(['org', 'create', '--kind', 'client']);
    expect(badUsage.code).toBe(2);
    expect(badUsage.stderr).toMatch(/--name|client/);
  });
});

function waitForOutput(child: ChildProcess, pattern: RegExp): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (d: Buffer) => {
      seen += d.toString();
      if (pattern.test(seen)) {
        child.stdout!.off('data', onData);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d) => (seen += d.toString()));
    child.once('close', (code) => reject(new Error(`exited with ${code} before ready: ${seen}`)));
  });
}
