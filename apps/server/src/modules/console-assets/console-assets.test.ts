import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { consoleContentSecurityPolicy } from './routes.js';

/** The built console (vitest.global-setup.ts builds it once when stale) as the server serves it. */
describe('console serving', () => {
  let t: TestApp;
  let scriptPath: string;
  beforeAll(async () => {
    t = await createTestApp();
    const index = await t.app.inject({ method: 'GET', url: '/console/' });
    scriptPath = /<script type="module" crossorigin src="([^"]+)"/.exec(index.body)![1]!;
  });
  afterAll(() => t?.close());

  it('redirects / to the console', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/console/');
  });

  it('serves index.html uncached, with a strict Content-Security-Policy and no inline script', async () => {
    for (const url of ['/console', '/console/']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['content-security-policy']).toBe(consoleContentSecurityPolicy);
      expect(res.body).toContain('<div id="root"></div>');
      // Every script is external and same-origin: script-src 'self' admits nothing else.
      for (const tag of res.body.match(/<script[^>]*>/g) ?? [])
        expect(tag).toMatch(/src="\/console\/assets\//);
    }
    const policy = consoleContentSecurityPolicy;
    expect(policy).toContain("script-src 'self'");
    expect(policy).not.toMatch(/script-src[^;]*unsafe/);
    expect(policy).toContain("frame-ancestors 'none'");
  });

  it('answers client-side routes with index.html (the app routes them)', async () => {
    for (const url of [
      '/console/sign-in',
      '/console/o/3f1c2a4e-0000-4000-8000-000000000000/inbox?view=all',
    ]) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['content-security-policy']).toBe(consoleContentSecurityPolicy);
      expect(res.body).toContain(scriptPath);
    }
  });

  it('serves hashed assets immutable; a missing one is a 404, not the app', async () => {
    const res = await t.app.inject({ method: 'GET', url: scriptPath });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(scriptPath).toMatch(/^\/console\/assets\/[\w-]+-[\w-]{8}\.js$/);
    const missing = await t.app.inject({ method: 'GET', url: '/console/assets/index-00000000.js' });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toContain('application/problem+json');
  });

  it('serves brotli or gzip by Accept-Encoding, precompressed, each with its own ETag', async () => {
    for (const url of [scriptPath, '/console/']) {
      const plain = await t.app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'identity' } });
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.headers.vary).toContain('Accept-Encoding');
      const br = await t.app.inject({
        method: 'GET',
        url,
        headers: { 'accept-encoding': 'gzip, deflate, br' },
      });
      expect(br.headers['content-encoding']).toBe('br');
      expect(br.headers.vary).toContain('Accept-Encoding');
      expect(brotliDecompressSync(br.rawPayload).equals(plain.rawPayload)).toBe(true);
      const gz = await t.app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'gzip' } });
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(gunzipSync(gz.rawPayload).equals(plain.rawPayload)).toBe(true);
      const tags = [plain, br, gz].map((r) => String(r.headers.etag));
      expect(new Set(tags).size).toBe(3);
      const revalidated = await t.app.inject({
        method: 'GET',
        url,
        headers: { 'accept-encoding': 'br', 'if-none-match': tags[1]! },
      });
      expect(revalidated.statusCode).toBe(304);
    }
  });

  it('keeps the initial JavaScript within its budget (250 KB gzip)', async () => {
    const gz = await t.app.inject({ method: 'GET', url: scriptPath, headers: { 'accept-encoding': 'gzip' } });
    expect(gz.rawPayload.length).toBeLessThan(250 * 1024);
  });
});
