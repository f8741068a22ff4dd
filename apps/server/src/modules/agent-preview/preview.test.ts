import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { previewCsp } from './routes.js';

/** GET /console/preview: the console's live widget preview page for one agent. */
describe('agent preview page', () => {
  let t: TestApp;
  let key: string;
  beforeAll(async () => {
    t = await createTestApp();
    const { apiKey } = await t.createOrg('Acme');
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/agents',
      headers: { authorization: `Bearer ${apiKey}` },
      payload: { name: 'Helper' },
    });
    key = res.json().publishableKey;
  });
  afterAll(() => t?.close());

  it('embeds the real widget for the agent, framable by the console only', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/console/preview?agentKey=${key}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['content-security-policy']).toBe(previewCsp);
    expect(previewCsp).toContain("frame-ancestors 'self'");
    expect(previewCsp).toContain("default-src 'none'");
    expect(previewCsp).not.toContain('unsafe-inline');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.body).toContain(
      `<script src="/widget.js" data-agent-key="${key}" data-preview async></script>`,
    );
  });

  it('shows the unsaved look from the query, escaped, and ignores invalid values', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/console/preview?agentKey=${key}&accent=%23FF0000&position=bottom-left&label=${encodeURIComponent('Talk "to" <us>')}`,
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(
      'data-accent="#ff0000" data-position="bottom-left" data-label="Talk &quot;to&quot; &lt;us&gt;" data-preview',
    );
    expect(res.body).toContain('button.launcher');
    const closed = await t.app.inject({ method: 'GET', url: `/console/preview?agentKey=${key}&closed=1` });
    expect(closed.body).not.toContain('button.launcher');
    const bad = await t.app.inject({
      method: 'GET',
      url: `/console/preview?agentKey=${key}&accent=red%22%3E&position=top`,
    });
    expect(bad.body).toContain(`data-agent-key="${key}" data-preview async`);
  });

  it('answers a 400 problem for a malformed key and a 404 for an unknown one', async () => {
    for (const url of [
      '/console/preview',
      '/console/preview?agentKey=nope',
      '/console/preview?agentKey=pk_%22%3E%3Cscript%3Ealert(1)%3C/script%3E',
    ]) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body).not.toContain('<script');
    }
    const unknown = await t.app.inject({
      method: 'GET',
      url: '/console/preview?agentKey=pk_AAAAAAAAAAAAAAAAAAAAAAAA',
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['content-type']).toContain('application/problem+json');
  });
});
