import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEvents } from '../modules/conversations/testing/sse-client.js';
import {
  createWidgetOrg,
  listen,
  sendMessage,
  startConversation,
} from '../modules/conversations/testing/widget-fixture.js';
import { testDatabaseKinds } from '../platform/db/test-database.js';
import { scanForResidue } from './residue-scan.js';
import { createTestApp, type TestApp } from './test-app.js';

/** The scanner must be able to fail: canaries put in through the API are found where they went. */
describe.each(testDatabaseKinds)('the residue scanner on %s', (kind) => {
  let t: TestApp;
  let baseUrl: string;
  let logs = '';

  beforeAll(async () => {
    t = await createTestApp({
      kind,
      logStream: {
        write: (line) => {
          logs += line;
        },
      },
    });
    baseUrl = await listen(t);
  });
  afterAll(() => t?.close());

  it('finds canaries in tenant rows past RLS, in the job schema, in files and in logs', async () => {
    const org = await createWidgetOrg(t, 'Scan', {}, []);
    const c = await startConversation(baseUrl, org.agentKey);
    await readEvents(
      await sendMessage(baseUrl, c.conversationId, c.token, {
        text: 'my code is canary-q7x2 please',
        clientMessageId: 'm1',
      }),
    );
    await t.jobs.createQueue('residue-scan-test', {});
    await t.jobs.send('residue-scan-test', { note: 'canary-j0b5' });
    await mkdir(path.join(t.config.dataDir, 'nested'), { recursive: true });
    await writeFile(path.join(t.config.dataDir, 'nested', 'x.bin'), Buffer.from('..CANARY-F1LE..'));
    logs += '{"msg":"canary-l0gs"}\n';

    const found = await scanForResidue({ database: t.database, dataDir: t.config.dataDir, logs }, [
      'canary-q7x2',
      'canary-j0b5',
      'canary-f1le',
      'canary-l0gs',
      'canary-absent',
    ]);
    const where = (needle: string) => found.filter((r) => r.needle === needle).map((r) => r.where);
    // The message row and the live event that carried it.
    expect(where('canary-q7x2')).toEqual(
      expect.arrayContaining(['public.messages.content', 'public.events.payload']),
    );
    expect(where('canary-j0b5').some((w) => w.startsWith('pgboss.'))).toBe(true);
    expect(where('canary-f1le')).toEqual(['file:nested/x.bin']);
    expect(where('canary-l0gs')).toEqual(['logs']);
    expect(where('canary-absent')).toEqual([]);
  });
});
