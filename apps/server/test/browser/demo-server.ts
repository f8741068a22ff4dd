import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { createUserWithMembership } from '../../src/modules/auth/service.js';
import { seedDemoOnce } from '../../src/modules/demo/seed.js';
import { agents } from '../../src/platform/db/schema/index.js';
import { withTenant } from '../../src/platform/db/tenancy.js';
import { createTestApp, type TestApp } from '../../src/testing/test-app.js';
import { freePort } from './console-helpers.js';

export type DemoServer = {
  t: TestApp;
  baseUrl: string;
  orgId: string;
  agentId: string;
  dataDir: string;
  /** Stops the server and removes its data directory. */
  close(): Promise<void>;
};

/**
 * The demo company on a real port, as `npm start` seeds it: its agent accepts the server's own
 * origin (so `/demo` can chat), and `admin`, when given, is an admin of the demo org who can sign
 * in to the console.
 */
export async function startDemoServer(
  prefix: string,
  admin?: { email: string; password: string; name: string },
  env: Record<string, string> = {},
): Promise<DemoServer> {
  const dataDir = await mkdtemp(path.join(tmpdir(), `confidant-${prefix}-`));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const t = await createTestApp({
    env: { CONFIDANT_DEMO: 'true', CONFIDANT_DATA_DIR: dataDir, PUBLIC_URL: baseUrl, ...env },
  });
  const seeded = await seedDemoOnce(t);
  const orgId = seeded.demo!.orgId;
  const agentId = seeded.demo!.agentId;
  await t.app.listen({ host: '127.0.0.1', port });
  await withTenant(t.database, [orgId], (tx) =>
    tx
      .update(agents)
      .set({ allowedOrigins: [baseUrl] })
      .where(eq(agents.id, agentId)),
  );
  if (admin) await createUserWithMembership(t, { ...admin, orgId, role: 'admin' });
  return {
    t,
    baseUrl,
    orgId,
    agentId,
    dataDir,
    async close() {
      await t.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
