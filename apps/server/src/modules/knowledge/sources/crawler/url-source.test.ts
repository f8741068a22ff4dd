import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../../platform/config.js';
import { queryRows } from '../../../../platform/db/query-rows.js';
import { withTenant } from '../../../../platform/db/tenancy.js';
import { testDatabaseKinds } from '../../../../platform/db/test-database.js';
import { AppError } from '../../../../platform/errors.js';
import type { ResolveHost } from '../../../../platform/net/outbound-policy.js';
import {
  html,
  htmlPage,
  startTestSite,
  type TestResponse,
  type TestSite,
} from '../../../../platform/net/testing/test-site.js';
import { createTestApp, type TestApp } from '../../../../testing/test-app.js';
import { dataOf, readEvents } from '../../../conversations/testing/sse-client.js';
import {
  createWidgetOrg,
  listen,
  sendMessage,
  startConversation,
} from '../../../conversations/testing/widget-fixture.js';
import { checkUrlSource, urlSourceBody } from './url-source.js';

const page = (title: string, text: string, links = '') =>
  htmlPage(
    html(
      `${title} | Acme Help`,
      `<nav><a href="/">Home</a> <a href="/returns">Returns</a> <a href="/shipping">Shipping</a> MENU-CANARY</nav>
       <main><h1>${title}</h1>${text}${links}</main><footer>FOOTER-CANARY Acme Inc.</footer>`,
    ),
  );

/** What a request may have written: sources and audit entries of an org. */
const counts = (t: TestApp, orgId: string) =>
  withTenant(t.database, [orgId], async (tx) => {
    const [row] = await queryRows<{ sources: number; audit: number }>(
      tx,
      sql`select (select count(*) from knowledge_sources)::int as sources,
                 (select count(*) from audit_log where action <> 'access.denied')::int as audit`,
    );
    return row!;
  });

describe.each(testDatabaseKinds)('website sources on %s', (kind) => {
  /** Crawls loopback sites: private networks allowed, as an operator of an intranet would. */
  let open: TestApp;
  let site: TestSite;

  beforeAll(async () => {
    open = await createTestApp({
      kind,
      env: {
        CONFIDANT_CRAWL_ALLOW_PRIVATE_NETWORKS: 'true',
        CONFIDANT_CRAWL_DELAY_MS: '0',
        CONFIDANT_CRAWL_MAX_PAGES: '20',
        CONFIDANT_CRAWL_MAX_DEPTH: '3',
      },
    });
    site = await startTestSite({
      '/robots.txt': () => ({
        headers: { 'content-type': 'text/plain' },
        body: `User-agent: *\nDisallow: /internal/\nSitemap: ${site.origin}/sitemap.xml\n`,
      }),
      '/sitemap.xml': () => ({
        headers: { 'content-type': 'application/xml' },
        body: `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>${site.origin}/warranty</loc></url></urlset>`,
      }),
      '/': page(
        'Acme Help Centre',
        '<p>Answers about orders, returns, shipping and warranty.</p>',
        '<a href="/internal/notes">Notes</a>',
      ),
      '/returns': (req): TestResponse =>
        req.headers['if-none-match'] === '"returns-v1"'
          ? { status: 304, headers: { etag: '"returns-v1"' } }
          : {
              ...page(
                'Returning an item',
                '<p>To return an item, print the prepaid return label from your account and drop the parcel at any post office within 30 days of delivery.</p>',
              ),
              headers: { 'content-type': 'text/html; charset=utf-8', etag: '"returns-v1"' },
            },
      '/shipping': page(
        'Shipping',
        '<p>Standard delivery takes three to five working days; express delivery arrives the next day.</p>',
      ),
      '/warranty': page(
        'Warranty',
        '<p>Every kettle carries a two-year warranty covering the heating element and the thermostat.</p>',
      ),
      '/internal/notes': page('Internal notes', '<p>INTERNAL-CANARY staff only.</p>'),
    });
  });
  afterAll(async () => {
    await Promise.all([open?.close(), site?.close()]);
  });

  const post = (t: TestApp, apiKey: string, payload: unknown) =>
    t.app.inject({
      method: 'POST',
      url: '/v1/knowledge/sources',
      headers: { authorization: `Bearer ${apiKey}` },
      payload: payload as Record<string, unknown>,
    });

  it('refuses bad website sources with a 400 problem and writes nothing', async () => {
    const org = await open.createOrg('Careless org');
    const before = await counts(open, org.orgId);
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['not http', { type: 'url', url: 'ftp://files.example.com/' }, /http or https/],
      ['credentials', { type: 'url', url: 'https://user:secret@help.example.com/' }, /user name or password/],
      ['relative', { type: 'url', url: '/help' }, /absolute URL/],
      [
        'sitemap elsewhere',
        {
          type: 'url',
          url: 'https://help.example.com/',
          sitemapUrl: 'https://other.example.com/sitemap.xml',
        },
        /same site/,
      ],
      ['too many pages', { type: 'url', url: 'https://help.example.com/', maxPages: 21 }, /at most 20/],
      ['too deep', { type: 'url', url: 'https://help.example.com/', maxDepth: 4 }, /at most 3/],
      ['zero refresh', { type: 'url', url: 'https://help.example.com/', refreshIntervalHours: 0 }, /.+/],
      ['unknown field', { type: 'url', url: 'https://help.example.com/', depth: 2 }, /.+/],
      ['missing url', { type: 'url' }, /.+/],
    ];
    for (const [name, payload, message] of cases) {
      const res = await post(open, org.apiKey, payload);
      expect([name, res.statusCode]).toEqual([name, 400]);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(`${name}: ${JSON.stringify(res.json())}`).toMatch(message);
    }
    expect(await counts(open, org.orgId)).toEqual(before);
    expect(site.requests).toEqual([]);
  });

  it('crawls a website source in the background: ready, searchable, cited by page URL', async () => {
    const org = await createWidgetOrg(open, 'Acme', {}, []);
    const created = await post(open, org.apiKey, {
      type: 'url',
      url: `${site.origin}/`,
      maxPages: 10,
      refreshIntervalHours: 24,
    });
    expect(created.statusCode).toBe(201);
    const source = created.json();
    expect(source).toMatchObject({
      type: 'url',
      url: `${site.origin}/`,
      title: `127.0.0.1:${site.port}`,
      status: 'queued',
    });
    expect(Date.parse(source.nextRefreshAt) - Date.parse(source.createdAt)).toBe(24 * 3600 * 1000);

    const done = await open.waitForSource(org.apiKey, source.id);
    expect(done).toMatchObject({ status: 'ready', error: null });
    expect(done.progress.pagesDone).toBe(4);
    expect(site.paths()).not.toContain('/internal/notes');

    const rows = await withTenant(open.database, [org.orgId], (tx) =>
      queryRows<{ url: string; status: string; etag: string | null }>(
        tx,
        sql`select url, status, etag from knowledge_pages order by url`,
      ),
    );
    expect(rows.map((r) => [new URL(r.url).pathname, r.status])).toEqual([
      ['/', 'indexed'],
      ['/returns', 'indexed'],
      ['/shipping', 'indexed'],
      ['/warranty', 'indexed'],
    ]);
    const chunkText = await withTenant(open.database, [org.orgId], (tx) =>
      queryRows<{ content: string; url: string }>(tx, sql`select content, url from knowledge_chunks`),
    );
    expect(chunkText.every((c) => c.url.startsWith(site.origin))).toBe(true);
    const allText = chunkText.map((c) => c.content).join('\n');
    expect(allText).not.toContain('MENU-CANARY');
    expect(allText).not.toContain('FOOTER-CANARY');
    expect(allText).not.toContain('INTERNAL-CANARY');

    const search = await open.app.inject({
      method: 'POST',
      url: '/v1/knowledge/search',
      headers: { authorization: `Bearer ${org.apiKey}` },
      payload: { query: 'two-year warranty kettle thermostat' },
    });
    expect(search.statusCode).toBe(200);
    expect(search.json().results[0]).toMatchObject({ sourceId: source.id, title: 'Warranty' });

    // A visitor's answer cites the page the passage came from.
    const base = await listen(open);
    const { conversationId, token } = await startConversation(base, org.agentKey);
    const res = await sendMessage(base, conversationId, token, {
      text: 'How do I return an item?',
      clientMessageId: 'crawl-1',
    });
    const events = await readEvents(res);
    const { citations } = dataOf<{ citations: { sourceId: string; url?: string }[] }>(events, 'citations')!;
    expect(citations[0]).toMatchObject({ sourceId: source.id, url: `${site.origin}/returns` });

    // Re-indexing re-fetches conditionally: the unchanged page answers 304 and keeps its text.
    site.requests.length = 0;
    const reindex = await open.app.inject({
      method: 'POST',
      url: `/v1/knowledge/sources/${source.id}/reindex`,
      headers: { authorization: `Bearer ${org.apiKey}` },
    });
    expect(reindex.statusCode).toBe(202);
    expect(await open.waitForSource(org.apiKey, source.id)).toMatchObject({ status: 'ready' });
    const returnsRequest = site.requests.find((r) => r.path === '/returns');
    expect(returnsRequest?.headers['if-none-match']).toBe('"returns-v1"');
    const again = await open.app.inject({
      method: 'POST',
      url: '/v1/knowledge/search',
      headers: { authorization: `Bearer ${org.apiKey}` },
      payload: { query: 'prepaid return label post office' },
    });
    expect(again.json().results[0]).toMatchObject({
      sourceId: source.id,
      title: 'Returning an item',
    });
  });
});

describe('website source checks under the default address policy', () => {
  // The operator's default: private networks refused (the HTTP path is covered in knowledge.test.ts).
  const config = loadConfig({ NODE_ENV: 'test' });
  const lookup: ResolveHost = async (host) => {
    const table: Record<string, string> = {
      localhost: '127.0.0.1',
      'intranet.example': '10.0.0.5',
      'help.example': '93.184.215.14',
    };
    const address = table[host];
    if (!address) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return [{ address, family: 4 }];
  };
  const check = (url: string) => checkUrlSource(urlSourceBody.parse({ type: 'url', url }), config, lookup);

  it('refuses private, loopback and metadata addresses with a 400 saying why', async () => {
    const cases: [string, RegExp][] = [
      ['http://127.0.0.1:8080/', /127\.0\.0\.1 is a loopback address/],
      ['http://localhost/', /localhost resolves to a loopback address/],
      ['http://[::1]/', /loopback/],
      ['http://2130706433/', /loopback/],
      ['http://0x7f.1/', /loopback/],
      ['http://[::ffff:127.0.0.1]/', /loopback/],
      ['http://169.254.169.254/latest/meta-data/', /cloud metadata/],
      ['https://10.1.2.3/help', /private network/],
      ['https://intranet.example/', /intranet\.example resolves to a private network address/],
      ['https://nowhere.example/', /nowhere\.example could not be resolved/],
    ];
    for (const [url, message] of cases) {
      const error = await check(url).catch((e: unknown) => e);
      expect(error, url).toBeInstanceOf(AppError);
      expect((error as AppError).status, url).toBe(400);
      expect((error as AppError).message, url).toMatch(message);
    }
  });

  it('accepts public addresses', async () => {
    await expect(check('https://help.example/docs')).resolves.toBeUndefined();
    await expect(check('http://93.184.215.14/')).resolves.toBeUndefined();
  });
});
