import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agents, knowledgeSources, memberships } from '../../platform/db/schema/index.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { testDatabaseKinds } from '../../platform/db/test-database.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { search } from '../knowledge/index.js';
import { loadDemoArticles } from './articles.js';
import { DEMO_OWNER_EMAIL, seedDemoOnce } from './seed.js';
import { readDemoState } from './state.js';

describe.each(testDatabaseKinds)('demo seed and /demo page on %s', (kind) => {
  let t: TestApp;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'confidant-demo-'));
    t = await createTestApp({ kind, env: { CONFIDANT_DEMO: 'true', CONFIDANT_DATA_DIR: dataDir } });
  });
  afterAll(async () => {
    await t?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('has no demo page before the seed ran', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/demo' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });

  it('seeds once: org, owner login, agent and an indexed knowledge base; credentials in a 0600 file', async () => {
    const first = await seedDemoOnce(t);
    expect(first.seeded).toBe(true);
    const demo = first.demo!;

    const again = await seedDemoOnce(t);
    expect(again).toMatchObject({ seeded: false, demo: { orgId: demo.orgId, agentId: demo.agentId } });
    expect(await readDemoState(t.database)).toMatchObject({ state: 'done', orgId: demo.orgId });

    const file = path.join(dataDir, 'initial-credentials.txt');
    expect(first.credentialsFile).toBe(file);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const text = await readFile(file, 'utf8');
    expect(text).toContain(DEMO_OWNER_EMAIL);
    const password = /password: (\S+)/.exec(text)?.[1];
    expect(password).toMatch(/^[A-Za-z0-9]{20}$/);
    expect(text).toContain(demo.orgId);
    const apiKey = /owner API key: (ck_\S+)/.exec(text)?.[1];
    expect(apiKey).toBeDefined();

    // The owner API key in the file works against the demo org.
    const listed = await t.app.inject({
      method: 'GET',
      url: '/v1/agents',
      headers: { authorization: `Bearer ${apiKey}` },
    });
    expect(listed.statusCode).toBe(200);
    expect(listed.json().agents).toMatchObject([{ id: demo.agentId, allowedOrigins: [] }]);

    const articles = await loadDemoArticles();
    expect(articles.length).toBeGreaterThanOrEqual(12);
    await withTenant(t.database, [demo.orgId], async (tx) => {
      const sources = await tx.select().from(knowledgeSources).where(eq(knowledgeSources.orgId, demo.orgId));
      expect(sources).toHaveLength(articles.length);
      expect(sources.every((s) => s.status === 'ready')).toBe(true);
      const [owners] = await tx.select({ n: count() }).from(memberships).where(eq(memberships.role, 'owner'));
      expect(owners?.n).toBe(1);
      const [agent] = await tx.select().from(agents).where(eq(agents.id, demo.agentId));
      expect(agent?.starters.length).toBeGreaterThanOrEqual(3);
      // The sample questions find the article that answers them.
      const top = async (q: string) => (await search(tx, demo.orgId, q, { k: 3 }))[0]?.title;
      expect(await top('how long do refunds take?')).toBe('Refunds');
      expect(await top('Do you ship to Canada?')).toBe('International shipping');
      expect(await top('how do I start a return')).toBe('Returns policy');
      expect(await top('which jacket size should I pick')).toBe('Sizing guide');
    });
  });

  it('serves /demo with the agent key and a strict CSP', async () => {
    const demo = await readDemoState(t.database);
    if (demo?.state !== 'done') throw new Error('demo not seeded');
    const [agent] = await withTenant(t.database, [demo.orgId], (tx) => tx.select().from(agents));
    const res = await t.app.inject({ method: 'GET', url: '/demo' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain(
      // The store's green travels in the tag, so the launcher has it before any request.
      `<script src="/widget.js" data-agent-key="${agent!.publishableKey}" data-accent="#2f5d50" async></script>`,
    );
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
  });
});

describe('/demo when the demo is disabled', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { CONFIDANT_DEMO: 'false' } });
  });
  afterAll(() => t?.close());

  it('does not seed and answers 404', async () => {
    expect((await seedDemoOnce(t)).seeded).toBe(false);
    expect(await readDemoState(t.database)).toBeUndefined();
    const res = await t.app.inject({ method: 'GET', url: '/demo' });
    expect(res.statusCode).toBe(404);
  });
});
