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

  it('contains no code that could write cookies or web storage (DESIGN.md §4.8)', async () => {
    for (const url of ['/widget.js', '/widget-panel.js']) {
      const body = (await t.app.inject({ method: 'GET', url })).body;
      for (const api of ['document.cookie', 'localStorage', 'sessionStorage', 'indexedDB', 'cookieStore']) {
        expect(body, `${url} mentions ${api}`).not.toContain(api);
      }
    }
  });
});
