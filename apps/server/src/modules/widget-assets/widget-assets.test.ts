import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/test-app.js';

describe('widget script routes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  it('serves the launcher as cacheable, cross-origin JavaScript', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/widget.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.headers['cache-control']).toMatch(/^public, max-age=\d+/);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.body).toMatch(/widget-panel\.js\?v=[0-9a-f]{12}/);

    const etag = String(res.headers.etag);
    const again = await t.app.inject({
      method: 'GET',
      url: '/widget.js',
      headers: { 'if-none-match': etag },
    });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
  });

  it('keeps to the size budget: every page pays for the launcher, only an opened chat for the panel', async () => {
    const gzipped = async (url: string) =>
      (await t.app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'gzip' } })).rawPayload.length;
    // The launcher carries the agent's look from the snippet (accent, corner, label) and no more.
    expect(await gzipped('/widget.js')).toBeLessThanOrEqual(2600);
    expect(await gzipped('/widget-panel.js')).toBeLessThanOrEqual(12 * 1024);
  });

  it('serves the panel; the exact hashed version is immutable', async () => {
    const launcher = await t.app.inject({ method: 'GET', url: '/widget.js' });
    const version = /widget-panel\.js\?v=([0-9a-f]{12})/.exec(launcher.body)?.[1];
    const res = await t.app.inject({ method: 'GET', url: `/widget-panel.js?v=${version}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.body).toContain('mountPanel');
    const other = await t.app.inject({ method: 'GET', url: '/widget-panel.js?v=000000000000' });
    expect(other.headers['cache-control']).toBe('public, max-age=300');
  });

  it('serves brotli or gzip by Accept-Encoding, each coding with its own strong ETag', async () => {
    for (const url of ['/widget.js', '/widget-panel.js']) {
      const plain = await t.app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'identity' } });
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.headers.vary).toContain('Accept-Encoding');
      const original = plain.rawPayload;

      const br = await t.app.inject({
        method: 'GET',
        url,
        headers: { 'accept-encoding': 'gzip, deflate, br' },
      });
      expect(br.headers['content-encoding']).toBe('br');
      expect(br.headers.vary).toContain('Accept-Encoding');
      expect(Number(br.headers['content-length'])).toBe(br.rawPayload.length);
      expect(br.rawPayload.length).toBeLessThan(original.length / 2);
      expect(brotliDecompressSync(br.rawPayload).equals(original)).toBe(true);

      const gz = await t.app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'gzip' } });
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(gunzipSync(gz.rawPayload).equals(original)).toBe(true);
      // A client that refuses brotli gets gzip even when it lists br.
      const noBr = await t.app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'br;q=0, gzip' } });
      expect(noBr.headers['content-encoding']).toBe('gzip');

      const tags = [plain, br, gz].map((r) => String(r.headers.etag));
      expect(new Set(tags).size).toBe(3);
      for (const tag of tags) expect(tag).toMatch(/^"[A-Za-z0-9_-]+"$/);

      // Revalidation is per coding: the brotli tag matches a brotli request only.
      const fresh = await t.app.inject({
        method: 'GET',
        url,
        headers: { 'accept-encoding': 'br', 'if-none-match': `${tags[2]}, ${tags[1]}` },
      });
      expect(fresh.statusCode).toBe(304);
      const stale = await t.app.inject({
        method: 'GET',
        url,
        headers: { 'accept-encoding': 'br', 'if-none-match': tags[2]! },
      });
      expect(stale.statusCode).toBe(200);
      expect(stale.headers['content-encoding']).toBe('br');
    }
  });

  it('never touches cookies; web storage only in the panel, through its one gated module (DESIGN.md §4.8)', async () => {
    const launcher = (await t.app.inject({ method: 'GET', url: '/widget.js' })).body;
    const panel = (await t.app.inject({ method: 'GET', url: '/widget-panel.js' })).body;
    for (const api of ['document.cookie', 'localStorage', 'sessionStorage', 'indexedDB', 'cookieStore']) {
      expect(launcher, `widget.js mentions ${api}`).not.toContain(api);
    }
    for (const api of ['document.cookie', 'indexedDB', 'cookieStore']) {
      expect(panel, `widget-panel.js mentions ${api}`).not.toContain(api);
    }
    // Each storage area is named exactly once: in session-store.ts, which writes nothing before the
    // first message and nothing at all with persistence "none". The browser tests
    // (test/browser/widget*.test.ts) prove that behaviour; this pins that no other code can bypass it.
    expect(panel.split('sessionStorage').length - 1).toBe(1);
    expect(panel.split('localStorage').length - 1).toBe(1);
  });

  it('keeps every microphone and audio API in the lazily loaded widget-voice.js', async () => {
    const launcher = (await t.app.inject({ method: 'GET', url: '/widget.js' })).body;
    const panel = (await t.app.inject({ method: 'GET', url: '/widget-panel.js' })).body;
    const voice = await t.app.inject({ method: 'GET', url: '/widget-voice.js' });
    expect(voice.statusCode).toBe(200);
    expect(voice.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(panel).toMatch(/widget-\$\{[^}]+\}\.js\?v=|widget-voice/);
    for (const api of ['getUserMedia', 'AudioContext', 'MediaRecorder', 'permissions.query']) {
      expect(launcher, `widget.js mentions ${api}`).not.toContain(api);
      expect(panel, `widget-panel.js mentions ${api}`).not.toContain(api);
    }
    expect(voice.body).toContain('getUserMedia');
    expect(voice.body).toContain('MediaRecorder');
    expect(voice.body).not.toContain('permissions.query');
  });
});
