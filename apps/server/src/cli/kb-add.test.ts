import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../platform/config.js';
import { openDatabase } from '../platform/db/open.js';
import { queryRows } from '../platform/db/query-rows.js';
import { withTenant } from '../platform/db/tenancy.js';
import { cliEnv, runCli } from './testing/cli-process.js';

/**
 * `confidant kb add` as a child process on a temporary embedded data dir, like an operator runs
 * it: a directory of Markdown files becomes indexed sources; a file with nothing to index is
 * reported with its reason and makes the command exit 1.
 */

describe('confidant kb add', { timeout: 120_000 }, () => {
  let root: string;
  let env: NodeJS.ProcessEnv;
  let orgId: string;

  beforeAll(() => {
    root = mkdtempSync(path.join(tmpdir(), 'confidant-kb-'));
    env = cliEnv(path.join(root, 'data'), randomBytes(32).toString('base64'));
    const kb = path.join(root, 'kb');
    mkdirSync(path.join(kb, 'billing'), { recursive: true });
    writeFileSync(
      path.join(kb, 'returns.md'),
      '# Returns\n\n## Return window\n\nItems can be returned within 30 days of delivery for a full refund.\n',
    );
    writeFileSync(
      path.join(kb, 'billing', 'invoices.md'),
      '# Invoices\n\nEvery order comes with a VAT invoice, emailed when the parcel ships.\n',
    );
    writeFileSync(path.join(kb, 'outline.md'), '# Outline\n\n## To be written\n');
    writeFileSync(path.join(kb, 'notes.xyz'), 'not a format we read');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const run = (args: string[]) => runCli(env, args);

  it('adds and indexes every supported file of a directory, and says why one failed (exit 1)', async () => {
    const created = await run(['org', 'create', '--name', 'KB org', '--json']);
    expect(created.code, created.stderr).toBe(0);
    orgId = JSON.parse(created.stdout).orgId;

    const added = await run(['kb', 'add', path.join(root, 'kb'), '--org', orgId]);
    expect(added.code, added.stderr).toBe(1);
    expect(added.stdout).toMatch(/ready +\S*returns\.md: 1 chunks/);
    expect(added.stdout).toMatch(/ready +\S*invoices\.md: 1 chunks/);
    expect(added.stdout).toMatch(/FAILED +\S*outline\.md: The document has no text to index/);
    expect(added.stdout).toContain('2 of 3 source(s) ready, 1 failed.');
    expect(added.stdout).not.toContain('notes.xyz');
  });

  it('adds a single file with a title (exit 0)', async () => {
    const file = path.join(root, 'kb', 'returns.md');
    const added = await run(['kb', 'add', file, '--org', orgId, '--title', 'Return policy']);
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toContain('1 of 1 source(s) ready.');
  });

  it('refuses bad usage with exit 2 and adds nothing', async () => {
    const dir = path.join(root, 'kb');
    for (const args of [
      ['kb', 'add', dir, '--org', 'not-a-uuid'],
      ['kb', 'add', dir, '--org', randomUUID()],
      ['kb', 'add', dir, '--org', orgId, '--title', 'One title for many files'],
    ]) {
      const res = await run(args);
      expect(res.code, `${args.join(' ')}: ${res.stdout}${res.stderr}`).toBe(2);
    }
  });

  it('left the sources indexed at their current version, with the failure recorded', async () => {
    const database = await openDatabase(loadConfig(env), { migrate: false });
    try {
      const rows = await withTenant(database, [orgId], (tx) =>
        queryRows<{ title: string; type: string; status: string; error: string | null; chunks: number }>(
          tx,
          sql`select s.title, s.type, s.status, s.error,
                     (select count(*)::int from knowledge_chunks c
                      where c.source_id = s.id and c.version = s.version) as chunks
              from knowledge_sources s order by s.title`,
        ),
      );
      expect(rows).toEqual([
        { title: 'Invoices', type: 'file', status: 'ready', error: null, chunks: 1 },
        {
          title: 'Outline',
          type: 'file',
          status: 'failed',
          error: expect.stringMatching(/no text/),
          chunks: 0,
        },
        { title: 'Return policy', type: 'file', status: 'ready', error: null, chunks: 1 },
        { title: 'Returns', type: 'file', status: 'ready', error: null, chunks: 1 },
      ]);
    } finally {
      await database.close();
    }
  });
});
