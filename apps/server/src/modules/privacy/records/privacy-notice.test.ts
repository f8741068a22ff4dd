import type { PrivacyNotice } from '@confidant/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKinds } from '../../../platform/db/test-database.js';
import { createTestApp, type TestApp } from '../../../testing/test-app.js';

/**
 * The per-agent privacy notice says what that agent really does: its retention as set, its
 * model provider(s) and their regions (none for extractive agents), ephemeral mode and hand-off;
 * configured names are escaped for Markdown and HTML, and no key appears.
 */
describe.each(testDatabaseKinds)('agent privacy notice on %s', (kind) => {
  let t: TestApp;
  let org: { orgId: string; apiKey: string };
  const as = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
    t.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${org.apiKey}` },
      ...(payload ? { payload } : {}),
    });
  const notice = async (agentId: string) => {
    const res = await as('GET', `/v1/agents/${agentId}/privacy-notice`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as PrivacyNotice;
  };
  const agent = async (body: object) => {
    const res = await as('POST', '/v1/agents', body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  };

  beforeAll(async () => {
    t = await createTestApp({ kind });
    org = await t.createOrg('Notice shop');
  });
  afterAll(() => t?.close());

  it('an extractive agent names no AI provider and states the retention as set', async () => {
    await as('PUT', '/v1/privacy/retention', {
      rules: [
        { category: 'transcripts', days: 14 },
        { category: 'contacts', days: 9 },
      ],
    });
    const id = await agent({ name: 'Quotes <script>x</script>', answerMode: 'extractive' });
    const n = await notice(id);
    expect(n.agentId).toBe(id);
    expect(n.markdown).toContain('No AI provider: answers are quoted from our help articles');
    expect(n.markdown).toContain('kept for 14 days after the last message');
    expect(n.markdown).toContain('kept for 9 days');
    expect(n.markdown).toContain('You can ask to talk to a person');
    expect(n.markdown).toContain('right to access your data');
    expect(n.markdown).toContain('Quotes \\<script\\>x\\</script\\>');
    expect(n.html).not.toContain('<script>');
    expect(n.html).toContain('&lt;script&gt;');

    const md = await as('GET', `/v1/agents/${id}/privacy-notice?format=md`);
    expect(md.headers['content-type']).toContain('text/markdown');
    expect(md.body).toBe(n.markdown);
    const html = await as('GET', `/v1/agents/${id}/privacy-notice?format=html`);
    expect(html.headers['content-type']).toContain('text/html');
    expect(html.headers['content-security-policy']).toContain("default-src 'none'");
    expect(html.body).toBe(n.html);
  });

  it('a model agent names its providers and regions; ephemeral and no hand-off are stated', async () => {
    const provider = await as('POST', '/v1/model-providers', {
      kind: 'amazon-bedrock',
      name: 'Bedrock EU',
      region: 'eu-central-1',
      models: [{ id: 'anthropic.claude-3-haiku', type: 'chat' }],
      apiKey: 'canary-notice-key-6RR',
    });
    expect(provider.statusCode, provider.body).toBe(201);
    const id = await agent({
      name: 'Modelled',
      answerMode: 'model',
      storeTranscripts: false,
      handoffEnabled: false,
    });
    const n = await notice(id);
    expect(n.markdown).toContain('Amazon Bedrock (“Bedrock EU”) (region: eu-central-1)');
    expect(n.markdown).toContain('Ephemeral mode: the text of your conversation is not stored');
    expect(n.markdown).toContain('does not hand conversations over');
    expect(n.markdown).not.toContain('No AI provider');
    expect(JSON.stringify(n)).not.toContain('canary-notice-key-6RR');
  });

  it('a model agent with no provider anywhere says so', async () => {
    const other = await t.createOrg('No models');
    const created = await t.app.inject({
      method: 'POST',
      url: '/v1/agents',
      headers: { authorization: `Bearer ${other.apiKey}` },
      payload: { name: 'Lonely', answerMode: 'model' },
    });
    const res = await t.app.inject({
      method: 'GET',
      url: `/v1/agents/${created.json().id}/privacy-notice`,
      headers: { authorization: `Bearer ${other.apiKey}` },
    });
    expect(res.json().markdown).toContain('No AI provider is configured');
  });
});
