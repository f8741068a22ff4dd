import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './testing/test-app.js';

describe('HTTP basics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  it('answers /healthz and /readyz', async () => {
    const health = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(health.json()).toEqual({ status: 'ok' });
    const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'ok', database: 'pglite' });
  });

  it('serves an OpenAPI 3.1 document and the reference UI', async () => {
    const spec = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(spec.openapi).toBe('3.1.0');
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining([
        '/v1/orgs',
        '/v1/agents/{id}',
        '/v1/knowledge/search',
        '/v1/widget/conversations',
      ]),
    );
    const docs = await t.app.inject({ method: 'GET', url: '/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toContain('text/html');
    // Nothing from third-party hosts: the policy allows only this origin, and the page asks for
    // no hosted fonts, AI agent, MCP or toolbar.
    const csp = String(docs.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toMatch(/https?:/);
    expect(docs.body).toMatch(/"withDefaultFonts":\s*false/);
    expect(docs.body).toMatch(/"agent":\s*\{\s*"disabled":\s*true\s*\}/);
    expect(docs.body).toMatch(/"mcp":\s*\{\s*"disabled":\s*true\s*\}/);
    const script = await t.app.inject({ method: 'GET', url: '/docs/js/scalar.js' });
    expect(script.statusCode).toBe(200);
  });

  it('sets security headers and echoes or assigns a request id', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { 'x-request-id': 'trace-abc-12345' },
    });
    expect(res.headers['x-request-id']).toBe('trace-abc-12345');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toBeDefined();
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    const bogus = await t.app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { 'x-request-id': 'bad id\n' },
    });
    expect(bogus.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('puts the request id in problem+json answers', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/v1/agents',
      headers: { 'x-request-id': 'trace-xyz-12345' },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({
      status: 401,
      code: 'unauthorized',
      requestId: 'trace-xyz-12345',
      instance: '/v1/agents',
    });
  });
});
