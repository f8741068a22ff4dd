import type { IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeTransport, type Transport } from '../../../../platform/net/safe-fetch.js';
import {
  html,
  htmlPage,
  startTestSite,
  type TestResponse,
  type TestRoute,
  type TestSite,
} from '../../../../platform/net/testing/test-site.js';
import { crawlSite } from './crawl-site.js';
import { CrawlError, type CrawledPage, type CrawlInput, type PreviousPage } from './types.js';

const sites: TestSite[] = [];
const site = async (routes: Parameters<typeof startTestSite>[0]) => {
  const s = await startTestSite(routes);
  sites.push(s);
  return s;
};
afterEach(async () => {
  await Promise.all(sites.splice(0).map((s) => s.close()));
});

/** Crawls with test-friendly politeness (no delay) and collects what was reported. */
async function crawl(startUrl: string, overrides: Partial<CrawlInput> = {}) {
  const pages: CrawledPage[] = [];
  const progress: [number, number][] = [];
  const summary = await crawlSite({
    startUrl,
    options: { maxPages: 50, maxDepth: 5 },
    previous: new Map(),
    allowPrivateNetworks: true,
    delayMs: 0,
    onPage: async (page) => {
      pages.push(page);
    },
    onProgress: (done, total) => progress.push([done, total]),
    ...overrides,
  });
  const byPath = new Map(pages.map((p) => [new URL(p.url).pathname, p]));
  return { summary, pages, byPath, progress };
}

const article = (title: string, text: string, links = '') =>
  htmlPage(
    html(
      `${title} – Acme Help`,
      `<header><a href="/">Acme</a><nav><a href="/">Home</a> <a href="/returns">NAVIGATION-LINK-TEXT</a></nav></header>
       <main><article><h1>${title}</h1><p>${text}</p><p>${text} More details follow in this paragraph so the article reads like a real help page.</p>${links}</article></main>
       <footer>FOOTER-BOILERPLATE © Acme Inc. All rights reserved.</footer>`,
    ),
  );

/** The help centre most tests crawl; `offsite` is another loopback port (another origin). */
function helpCentre(self: () => TestSite, offsite: TestSite) {
  return {
    '/robots.txt': () => ({
      headers: { 'content-type': 'text/plain' },
      body: `User-agent: *\nDisallow: /private/\n\nSitemap: ${self().origin}/sitemap.xml\n`,
    }),
    '/sitemap.xml': () => ({
      headers: { 'content-type': 'application/xml' },
      body: `<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>${self().origin}/sitemap-pages.xml</loc></sitemap></sitemapindex>`,
    }),
    '/sitemap-pages.xml': () => ({
      headers: { 'content-type': 'application/xml' },
      body: `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
        <url><loc>${self().origin}/only-in-sitemap</loc></url>
        <url><loc>${self().origin}/private/from-sitemap</loc></url>
        <url><loc>${offsite.origin}/offsite-from-sitemap</loc></url>
      </urlset>`,
    }),
    '/': () =>
      article(
        'Welcome',
        'Find answers about orders, returns and shipping.',
        `<ul><li><a href="/returns">Returns</a></li><li><a href="shipping#costs">Shipping</a></li>
         <li><a href="/private/admin">Admin</a></li><li><a href="${offsite.origin}/elsewhere">Partner</a></li>
         <li><a href="/files/manual.pdf">Manual</a></li><li><a href="mailto:help@acme.test">Mail</a></li>
         <li><a href="/download">Download</a></li><li><a href="/quiet">Quiet</a></li>
         <li><a href="/moved">Moved</a></li><li><a href="/leaves">Leaves</a></li></ul>`,
      ),
    '/returns': article(
      'Returning an item',
      'Print the prepaid parcel label and drop the parcel at any post office.',
    ),
    '/shipping': article(
      'Shipping costs',
      'Standard delivery is free above fifty euros.',
      '<a href="/deep/1">Deeper</a>',
    ),
    '/only-in-sitemap': article('Gift cards', 'Gift cards never expire and can be used online.'),
    '/deep/1': article('Deep one', 'Level two text.', '<a href="/deep/2">next</a>'),
    '/deep/2': article('Deep two', 'Level three text.', '<a href="/deep/3">next</a>'),
    '/deep/3': article('Deep three', 'Level four text.'),
    '/download': { headers: { 'content-type': 'application/octet-stream' }, body: 'binary' },
    '/quiet': htmlPage(
      html(
        'Quiet',
        '<p>Internal notes that must not be indexed.</p>',
        '<meta name="robots" content="noindex">',
      ),
    ),
    '/moved': { status: 301, headers: { location: '/returns' } },
    '/leaves': () => ({ status: 302, headers: { location: `${offsite.origin}/landing` } }),
  };
}

describe('crawlSite', () => {
  it('follows links and the sitemap, skips robots-disallowed, off-site and non-HTML, strips boilerplate', async () => {
    const offsite = await site({ '/elsewhere': article('Elsewhere', 'Off site.') });
    let self!: TestSite;
    self = await site(helpCentre(() => self, offsite));
    const { summary, byPath, pages } = await crawl(`${self.origin}/`);

    expect([...byPath.keys()].sort()).toEqual(
      [
        '/',
        '/deep/1',
        '/deep/2',
        '/deep/3',
        '/download',
        '/leaves',
        '/only-in-sitemap',
        '/quiet',
        '/returns',
        '/shipping',
      ].sort(),
    );
    expect(byPath.get('/returns')).toMatchObject({
      status: 'indexed',
      title: 'Returning an item',
    });
    expect(byPath.get('/only-in-sitemap')?.status).toBe('indexed');
    expect(byPath.get('/download')).toMatchObject({
      status: 'skipped',
      error: 'Not an HTML page (application/octet-stream)',
    });
    expect(byPath.get('/quiet')).toMatchObject({
      status: 'skipped',
      error: expect.stringMatching(/noindex/),
    });
    expect(byPath.get('/leaves')).toMatchObject({
      status: 'skipped',
      error: expect.stringMatching(/outside the site/),
    });
    expect(summary).toEqual({ pages: pages.length, indexed: 7, notModified: 0, skipped: 3, failed: 0 });

    // robots.txt, off-site and obvious non-HTML URLs were never requested.
    const paths = self.paths();
    expect(paths.filter((p) => p.startsWith('/private'))).toEqual([]);
    expect(paths).not.toContain('/files/manual.pdf');
    expect(offsite.requests).toEqual([]);
    // Each page once: the fragment link and the redirect to /returns did not fetch it again.
    expect(paths.filter((p) => p === '/returns')).toHaveLength(1);
    expect(paths.filter((p) => p === '/shipping')).toHaveLength(1);
    for (const r of self.requests) expect(r.headers['user-agent']).toMatch(/^ConfidantBot\//);

    // Main text as Markdown with headings; navigation and footer gone.
    const returns = byPath.get('/returns')!;
    expect(returns.markdown).toMatch(/^# Returning an item$/m);
    expect(returns.markdown).toContain('prepaid parcel label');
    expect(returns.markdown).not.toContain('NAVIGATION-LINK-TEXT');
    expect(returns.markdown).not.toContain('FOOTER-BOILERPLATE');
    expect(returns.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(returns.url).toBe(`${self.origin}/returns`);
  });

  it('stops at the depth limit', async () => {
    const offsite = await site({});
    let self!: TestSite;
    self = await site(helpCentre(() => self, offsite));
    const { byPath } = await crawl(`${self.origin}/`, { options: { maxPages: 50, maxDepth: 2 } });
    // / (0) → /shipping (1) → /deep/1 (2) → /deep/2 would be 3.
    expect(byPath.has('/deep/1')).toBe(true);
    expect(byPath.has('/deep/2')).toBe(false);
    expect(self.paths()).not.toContain('/deep/2');
    // Sitemap entries are starting points: found even with no link hops at all.
    const shallow = await crawl(`${self.origin}/`, { options: { maxPages: 50, maxDepth: 0 } });
    expect([...shallow.byPath.keys()].sort()).toEqual(['/', '/only-in-sitemap']);
  });

  it('stops at the page limit and reports progress up to it', async () => {
    const offsite = await site({});
    let self!: TestSite;
    self = await site(helpCentre(() => self, offsite));
    const { pages, progress } = await crawl(`${self.origin}/`, { options: { maxPages: 3, maxDepth: 5 } });
    expect(pages).toHaveLength(3);
    const pageRequests = self.paths().filter((p) => p !== '/robots.txt' && !p.startsWith('/sitemap'));
    expect(pageRequests).toHaveLength(3);
    expect(progress.at(-1)).toEqual([3, 3]);
    for (const [done, total] of progress) expect(done).toBeLessThanOrEqual(total);
  });

  it('re-crawls with If-None-Match / If-Modified-Since and reports 304s as not_modified', async () => {
    const etagged = (req: IncomingMessage): TestResponse =>
      req.headers['if-none-match'] === '"v1"'
        ? { status: 304, headers: { etag: '"v1"' } }
        : {
            ...article('Returning an item', 'Print the prepaid parcel label.'),
            headers: { 'content-type': 'text/html', etag: '"v1"' },
          };
    const dated = (req: IncomingMessage): TestResponse =>
      req.headers['if-modified-since'] === 'Wed, 01 Jan 2025 00:00:00 GMT'
        ? { status: 304 }
        : {
            ...article('Shipping costs', 'Free above fifty euros.'),
            headers: { 'content-type': 'text/html', 'last-modified': 'Wed, 01 Jan 2025 00:00:00 GMT' },
          };
    const self = await site({
      '/': article(
        'Welcome',
        'Start here for all your questions.',
        '<a href="/returns">R</a> <a href="/shipping">S</a> <a href="/same">Same</a>',
      ),
      '/returns': etagged,
      '/shipping': dated,
      '/same': article('Opening hours', 'We are open from nine to five.'),
    });
    const first = await crawl(`${self.origin}/`);
    expect(first.summary).toMatchObject({ indexed: 4, notModified: 0 });
    expect(first.byPath.get('/returns')).toMatchObject({ etag: '"v1"' });
    expect(first.byPath.get('/shipping')).toMatchObject({ lastModified: 'Wed, 01 Jan 2025 00:00:00 GMT' });

    const previous = new Map<string, PreviousPage>(
      first.pages.map((p) => [
        p.url,
        { etag: p.etag ?? null, lastModified: p.lastModified ?? null, contentHash: p.contentHash ?? null },
      ]),
    );
    self.requests.length = 0;
    const second = await crawl(`${self.origin}/`, { previous });

    const sent = (path: string) => self.requests.find((r) => r.path === path)!.headers;
    expect(sent('/returns')['if-none-match']).toBe('"v1"');
    expect(sent('/shipping')['if-modified-since']).toBe('Wed, 01 Jan 2025 00:00:00 GMT');
    expect(sent('/same')['if-none-match']).toBeUndefined();
    expect(second.byPath.get('/returns')).toEqual({
      url: `${self.origin}/returns`,
      status: 'not_modified',
      title: null,
      etag: '"v1"',
    });
    expect(second.byPath.get('/shipping')).toMatchObject({
      status: 'not_modified',
      lastModified: 'Wed, 01 Jan 2025 00:00:00 GMT',
    });
    expect(second.byPath.get('/shipping')?.markdown).toBeUndefined();
    // No validators, same text: recognised by its content hash.
    expect(second.byPath.get('/same')).toMatchObject({
      status: 'not_modified',
      title: 'Opening hours',
    });
    expect(second.byPath.get('/same')?.markdown).toBeUndefined();
    // A page whose text changed is indexed again.
    self.routes['/'] = article('Welcome', 'New text on the home page.', '<a href="/returns">R</a>');
    const third = await crawl(`${self.origin}/`, { previous });
    expect(third.byPath.get('/')?.status).toBe('indexed');
  });

  it('keeps to the concurrency limit, and to one request at a time under a Crawl-delay', async () => {
    // Page answers wait until `width` requests are in flight (or `patienceMs` has passed), so a
    // crawler that can overlap requests does.
    const barrier = (width: number, patienceMs: number) => {
      const waiting: (() => void)[] = [];
      const releaseAll = () => {
        for (const release of waiting.splice(0)) release();
      };
      return (response: TestResponse) => () =>
        new Promise<TestResponse>((resolve) => {
          waiting.push(() => resolve(response));
          if (waiting.length >= width) releaseAll();
          else setTimeout(releaseAll, patienceMs);
        });
    };
    const pagesOf = (hold: (r: TestResponse) => TestRoute) => {
      const links = Array.from({ length: 12 }, (_, i) => `<a href="/p${i}">${i}</a>`).join(' ');
      const routes: Record<string, TestRoute> = { '/': article('Index', 'All pages.', links) };
      for (let i = 0; i < 12; i++) routes[`/p${i}`] = hold(article(`Page ${i}`, `Text of page ${i}.`));
      return routes;
    };
    const self = await site(pagesOf(barrier(3, 2000)));
    await crawl(`${self.origin}/`, { concurrency: 3 });
    expect(self.maxInFlight).toBe(3);

    const polite = await site({
      ...pagesOf(barrier(2, 20)),
      '/robots.txt': {
        headers: { 'content-type': 'text/plain' },
        body: 'User-agent: ConfidantBot\nCrawl-delay: 0.01\n',
      },
    });
    const { summary } = await crawl(`${polite.origin}/`, { concurrency: 4 });
    expect(summary.indexed).toBe(13);
    expect(polite.maxInFlight).toBe(1);
  });

  it('follows the start URL to the origin it redirects to, and keeps to that origin', async () => {
    let www!: TestSite;
    www = await site({
      '/robots.txt': {
        headers: { 'content-type': 'text/plain' },
        body: 'User-agent: *\nDisallow: /drafts\n',
      },
      '/': () =>
        article(
          'Home',
          'The real home of the help centre.',
          `<a href="/faq">FAQ</a> <a href="/drafts">Drafts</a> <a href="${apex.origin}/old">Old</a>`,
        ),
      '/faq': article('FAQ', 'Frequently asked questions and their answers.'),
    });
    const apex: TestSite = await site({
      '/': () => ({ status: 301, headers: { location: `${www.origin}/` } }),
    });
    const { byPath, pages } = await crawl(`${apex.origin}/`);
    expect(new Set(pages.map((p) => new URL(p.url).origin))).toEqual(new Set([www.origin]));
    expect(byPath.get('/')?.status).toBe('indexed');
    expect(byPath.get('/faq')?.status).toBe('indexed');
    expect(www.paths()).not.toContain('/drafts');
    expect(apex.paths()).toEqual(['/robots.txt', '/']);
  });

  it('fails with a clear reason when robots.txt forbids the start page or cannot be read', async () => {
    const closed = await site({
      '/robots.txt': {
        headers: { 'content-type': 'text/plain' },
        body: 'User-agent: ConfidantBot\nDisallow: /\n',
      },
      '/': article('Home', 'Hello.'),
    });
    await expect(crawl(`${closed.origin}/`)).rejects.toThrow(/robots\.txt of .* does not allow/);
    expect(closed.paths()).toEqual(['/robots.txt']);

    const broken = await site({ '/robots.txt': { status: 503 }, '/': article('Home', 'Hello.') });
    await expect(crawl(`${broken.origin}/`)).rejects.toThrow(/robots\.txt answered HTTP 503/);
    expect(broken.paths()).toEqual(['/robots.txt']);
  });

  it('reports pages that fail and fails the crawl when nothing could be indexed', async () => {
    const self = await site({
      '/': article(
        'Home',
        'Hello there, this is the home page.',
        '<a href="/gone">Gone</a> <a href="/huge">Huge</a>',
      ),
      '/gone': { status: 410 },
      '/huge': htmlPage(`<p>${'word '.repeat(10_000)}</p>`),
    });
    const { byPath } = await crawl(`${self.origin}/`, { maxPageBytes: 16 * 1024 });
    expect(byPath.get('/gone')).toMatchObject({ status: 'failed', error: 'The page answered HTTP 410' });
    expect(byPath.get('/huge')).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/larger than the limit/),
    });

    const empty = await site({ '/': { status: 500 } });
    const error = await crawl(`${empty.origin}/`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CrawlError);
    expect((error as Error).message).toMatch(/No page of .* could be indexed .*HTTP 500/);
  });

  it('refuses a private start address when private networks are not allowed, without a request', async () => {
    const self = await site({ '/': article('Home', 'Internal wiki.') });
    for (const start of [
      `${self.origin}/`,
      `http://localhost:${self.port}/`,
      `http://[::ffff:7f00:1]:${self.port}/`,
    ]) {
      const error = await crawl(start, { allowPrivateNetworks: false }).catch((e: unknown) => e);
      expect(error, start).toBeInstanceOf(CrawlError);
      expect((error as Error).message).toMatch(/loopback address/);
    }
    expect(self.requests).toEqual([]);
  });

  it('refuses a redirect from a public site to a private address, after every hop', async () => {
    const internal = await site({
      '/': article('Secret', 'Internal only.'),
      '/admin': article('Admin', 'Internal.'),
    });
    // What the public site "serves": its robots.txt is missing and its pages redirect inwards.
    const outside = await site({
      '/': { status: 302, headers: { location: `${internal.origin}/admin` } },
      '/start': article('Public', 'A public page.', '<a href="/inward">In</a>'),
      '/inward': { status: 302, headers: { location: 'http://public.example/inward-2' } },
      '/inward-2': { status: 302, headers: { location: `http://localhost:${internal.port}/` } },
    });
    const PUBLIC_ADDRESS = '93.184.215.14';
    const transport: Transport = (request) =>
      nodeTransport(
        request.address.address === PUBLIC_ADDRESS
          ? {
              ...request,
              url: Object.assign(new URL(request.url), { port: String(outside.port) }),
              address: { address: '127.0.0.1', family: 4 },
            }
          : request,
      );
    const lookup = async (host: string) =>
      host === 'public.example'
        ? [{ address: PUBLIC_ADDRESS, family: 4 as const }]
        : [{ address: '127.0.0.1', family: 4 as const }];
    const options = { allowPrivateNetworks: false, transport, lookup };

    // The start URL redirects inwards: the crawl is refused with the reason.
    const error = await crawl('http://public.example/', options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CrawlError);
    expect((error as Error).message).toMatch(/loopback address/);
    // A page of the public site that redirects inwards (over two hops) is not followed.
    const { byPath } = await crawl('http://public.example/start', options);
    expect(byPath.get('/start')?.status).toBe('indexed');
    expect(byPath.get('/inward')?.status).not.toBe('indexed');
    expect(internal.requests).toEqual([]);
  });

  it('ends with the abort reason when aborted during a politeness pause', async () => {
    const self = await site({
      '/': article('Home', 'Hello there.', '<a href="/a">A</a>'),
      '/a': article('A', 'Text.'),
    });
    const controller = new AbortController();
    const reason = new Error('job cancelled');
    const result = crawlSite({
      startUrl: `${self.origin}/`,
      options: { maxPages: 10, maxDepth: 2 },
      previous: new Map(),
      allowPrivateNetworks: true,
      delayMs: 60_000,
      signal: controller.signal,
      onPage: async () => {},
    });
    // robots.txt goes out at once; the start page waits for its turn, and the abort lands there.
    setImmediate(() => controller.abort(reason));
    await expect(result).rejects.toBe(reason);
    expect(self.paths()).not.toContain('/a');
  });

  it('stops when aborted and never reports a page afterwards', async () => {
    const many = Array.from({ length: 20 }, (_, i) => `<a href="/p${i}">${i}</a>`).join(' ');
    const routes: Record<string, ReturnType<typeof htmlPage>> = { '/': article('Index', 'All pages.', many) };
    for (let i = 0; i < 20; i++) routes[`/p${i}`] = article(`Page ${i}`, `Text of page ${i}.`);
    const self = await site(routes);
    const controller = new AbortController();
    const reason = new Error('shutting down');
    const reported: string[] = [];
    let settled = false;
    const result = crawlSite({
      startUrl: `${self.origin}/`,
      options: { maxPages: 50, maxDepth: 2 },
      previous: new Map(),
      allowPrivateNetworks: true,
      delayMs: 0,
      signal: controller.signal,
      onPage: async (page) => {
        expect(settled).toBe(false);
        reported.push(page.url);
        if (reported.length === 3) controller.abort(reason);
      },
    }).finally(() => {
      settled = true;
    });
    await expect(result).rejects.toBe(reason);
    expect(reported.length).toBeLessThan(21);
  });
});
