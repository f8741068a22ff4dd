import type { ProcessingRecords, Subprocessor } from '@confidant/contract';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataMap } from '../../../platform/db/data-map.js';
import { auditLog } from '../../../platform/db/schema/index.js';
import { withTenant } from '../../../platform/db/tenancy.js';
import { testDatabaseKinds } from '../../../platform/db/test-database.js';
import { createTestApp, type TestApp } from '../../../testing/test-app.js';

/**
 * Records of processing are generated from the live configuration: the test configures SMTP,
 * S3, the operator's model and embedding model through the environment and a model provider and
 * Slack through the API, and compares the records with exactly that. Canary secrets (API keys,
 * the SMTP password, the S3 secret, the Slack URL's token) never appear in any output.
 */
const CANARY = {
  smtpPassword: 'canary-smtp-pw-7Q2',
  s3Secret: 'canary-s3-secret-9XK',
  s3KeyId: 'canary-s3-keyid-3MM',
  operatorKey: 'canary-operator-key-5TT',
  embeddingKey: 'canary-embedding-key-1LL',
  providerKey: 'canary-provider-key-8ZZ',
  slackToken: 'canary-slack-token-4PP',
  webhookToken: 'canary-webhook-token-6WW',
};

describe.each(testDatabaseKinds)('records of processing on %s', (kind) => {
  let t: TestApp;
  let org: { orgId: string; apiKey: string };
  const as = (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    t.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${org.apiKey}` },
      ...(payload ? { payload } : {}),
    });
  const records = async () => {
    const res = await as('GET', '/v1/privacy/records');
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as ProcessingRecords;
  };
  const ids = (list: Subprocessor[]) => list.map((s) => s.id).sort();
  const expectNoCanary = (text: string) => {
    for (const secret of Object.values(CANARY)) expect(text).not.toContain(secret);
  };
  const auditActions = async (action: string) =>
    withTenant(t.database, [org.orgId], (tx) =>
      tx
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.orgId, org.orgId), eq(auditLog.action, action))),
    );

  beforeAll(async () => {
    t = await createTestApp({
      kind,
      resolveHost: async () => [{ address: '93.184.215.14', family: 4 }],
      env: {
        CONFIDANT_HOSTING_REGION: 'eu',
        CONFIDANT_SMTP_URL: `smtp://mailer:${CANARY.smtpPassword}@mail.example.test:2525`,
        CONFIDANT_S3_BUCKET: 'confidant-blobs',
        CONFIDANT_S3_ENDPOINT: 'https://objects.example.test/path-not-shown',
        CONFIDANT_S3_REGION: 'eu-central-1',
        CONFIDANT_S3_ACCESS_KEY_ID: CANARY.s3KeyId,
        CONFIDANT_S3_SECRET_ACCESS_KEY: CANARY.s3Secret,
        CONFIDANT_MODEL_BASE_URL: 'https://operator-llm.example.test/v1?tenant=x',
        CONFIDANT_MODEL_NAME: 'op-model',
        CONFIDANT_MODEL_API_KEY: CANARY.operatorKey,
        CONFIDANT_EMBEDDING_BASE_URL: 'https://embed.example.test/v1',
        CONFIDANT_EMBEDDING_MODEL: 'embed-1',
        CONFIDANT_EMBEDDING_API_KEY: CANARY.embeddingKey,
      },
    });
    org = await t.createOrg('Records & Co <b>');
  });
  afterAll(() => t?.close());

  it('lists exactly the recipients configured, and follows a provider being added and removed', async () => {
    const before = await records();
    expect(ids(before.subprocessors)).toEqual([
      'object_storage',
      'operator_embedding',
      'operator_model',
      'smtp',
    ]);
    const byId = (r: ProcessingRecords, id: string) => r.subprocessors.find((s) => s.id === id)!;
    expect(byId(before, 'smtp')).toMatchObject({ host: 'mail.example.test:2525', configuredBy: 'operator' });
    expect(byId(before, 'object_storage')).toMatchObject({
      host: 'objects.example.test',
      region: 'eu-central-1',
      name: 'Object storage (S3 bucket confidant-blobs)',
    });
    expect(byId(before, 'operator_model')).toMatchObject({ host: 'operator-llm.example.test', region: null });
    expect(byId(before, 'operator_embedding')).toMatchObject({ host: 'embed.example.test' });
    expect(before.hostingRegion).toBe('eu');
    const transfer = (r: ProcessingRecords, id: string) => r.transfers.find((x) => x.subprocessorId === id)!;
    expect(transfer(before, 'object_storage').assessment).toBe('same_region');
    expect(transfer(before, 'operator_model').assessment).toBe('unknown');

    const created = await as('POST', '/v1/model-providers', {
      kind: 'amazon-bedrock',
      name: 'Bedrock US',
      region: 'us-east-1',
      models: [{ id: 'anthropic.claude-3-haiku', type: 'chat' }],
      apiKey: CANARY.providerKey,
    });
    expect(created.statusCode, created.body).toBe(201);
    const providerId = created.json().id as string;
    const slack = await as('PUT', '/v1/notifications/settings', {
      slackWebhookUrl: `https://hooks.slack.test/services/${CANARY.slackToken}`,
    });
    expect(slack.statusCode, slack.body).toBe(200);
    const webhook = await as('POST', '/v1/webhooks', {
      url: `https://hooks.receiver.test/in/${CANARY.webhookToken}`,
      events: ['conversation.waiting', 'incident.created'],
    });
    expect(webhook.statusCode, webhook.body).toBe(201);
    const webhookId = webhook.json().id as string;
    // A disabled endpoint receives nothing: it is not a recipient.
    const paused = await as('POST', '/v1/webhooks', {
      url: 'https://paused.receiver.test/in',
      events: ['incident.created'],
      enabled: false,
    });
    expect(paused.statusCode, paused.body).toBe(201);

    // Generated per request: the new provider replaces the operator's model at once.
    const after = await records();
    expect(ids(after.subprocessors)).toEqual(
      [
        'object_storage',
        'operator_embedding',
        `model_provider:${providerId}`,
        'slack',
        'smtp',
        `webhook:${webhookId}`,
      ].sort(),
    );
    expect(byId(after, `webhook:${webhookId}`)).toMatchObject({
      kind: 'webhook',
      configuredBy: 'organization',
      host: 'hooks.receiver.test',
      since: webhook.json().createdAt,
      dataCategories: ['system.identifier'],
    });
    expect(JSON.stringify(after)).not.toContain(CANARY.webhookToken);
    expect(byId(after, `model_provider:${providerId}`)).toMatchObject({
      name: 'Amazon Bedrock — Bedrock US',
      kind: 'model_provider',
      configuredBy: 'organization',
      host: 'bedrock-runtime.us-east-1.amazonaws.com',
      region: 'us-east-1',
      since: created.json().createdAt,
    });
    expect(byId(after, 'slack').host).toBe('hooks.slack.test');
    expect(transfer(after, `model_provider:${providerId}`).assessment).toBe('outside_region');
    const subs = await as('GET', '/v1/privacy/subprocessors');
    expect(subs.statusCode, subs.body).toBe(200);
    expect(subs.json().subprocessors).toEqual(after.subprocessors);
    expect(await auditActions('model_provider.created')).toHaveLength(1);

    const deleted = await as('DELETE', `/v1/model-providers/${providerId}`);
    expect(deleted.statusCode, deleted.body).toBe(204);
    await as('PUT', '/v1/notifications/settings', { slackWebhookUrl: null });
    expect((await as('DELETE', `/v1/webhooks/${webhookId}`)).statusCode).toBe(204);
    expect((await as('DELETE', `/v1/webhooks/${paused.json().id}`)).statusCode).toBe(204);
    expect(ids((await records()).subprocessors)).toEqual(ids(before.subprocessors));
    expect(await auditActions('model_provider.deleted')).toHaveLength(1);
  });

  it('has an activity for every data-map table, with the retention periods as set', async () => {
    const set = await as('PUT', '/v1/privacy/retention', { rules: [{ category: 'transcripts', days: 12 }] });
    expect(set.statusCode, set.body).toBe(200);
    const r = await records();
    expect(r.activities.map((a) => a.table).sort()).toEqual(Object.keys(dataMap).sort());
    expect(r.retention.find((x) => x.category === 'transcripts')).toMatchObject({
      days: 12,
      isDefault: false,
    });
    const messages = r.activities.find((a) => a.table === 'messages')!;
    expect(messages.subjects).toBe('visitor');
    expect(messages.retention.find((x) => x.category === 'transcripts')?.days).toBe(12);
    const providers = r.activities.find((a) => a.table === 'model_providers')!;
    expect(providers.encryptedColumns).toEqual(['api_key_ciphertext']);
    const measure = (id: string) => r.measures.find((m) => m.id === id)!;
    expect(measure('row_level_security').inForce).toBe(true);
    expect(measure('encryption_at_rest').detail).toContain('model_providers.api_key_ciphertext');
    expect(measure('redaction_before_models').detail).toContain('EMAIL');
    // No PUBLIC_URL here: TLS cannot be confirmed and the records say so.
    expect(measure('tls').inForce).toBe(false);
  });

  it('downloads Markdown (audited, ids only) and never shows a secret', async () => {
    const provider = await as('POST', '/v1/model-providers', {
      kind: 'openai',
      name: 'Main',
      models: [{ id: 'gpt-x', type: 'chat' }],
      apiKey: CANARY.providerKey,
    });
    expect(provider.statusCode, provider.body).toBe(201);
    await as('PUT', '/v1/notifications/settings', {
      slackWebhookUrl: `https://hooks.slack.test/services/${CANARY.slackToken}`,
    });
    const agent = await as('POST', '/v1/agents', { name: 'Helper', answerMode: 'model' });
    expect(agent.statusCode, agent.body).toBe(201);

    const md = await as('GET', '/v1/privacy/records?format=md');
    expect(md.statusCode, md.body).toBe(200);
    expect(md.headers['content-type']).toContain('text/markdown');
    expect(md.headers['content-disposition']).toMatch(
      /^attachment; filename="records-of-processing-records-co-b-\d{4}-\d{2}-\d{2}\.md"$/,
    );
    expect(md.body).toContain('# Records of processing activities — Records \\& Co \\<b\\>');
    expect(md.body).toContain('api.openai.com');
    expect(md.body).toContain('mail.example.test:2525');
    const exported = await auditActions('privacy.records_exported');
    expect(exported).toHaveLength(1);
    expect(exported[0]).toMatchObject({ targetType: 'organization', targetId: org.orgId });

    const json = await as('GET', '/v1/privacy/records');
    const subs = await as('GET', '/v1/privacy/subprocessors');
    const notice = await as('GET', `/v1/agents/${agent.json().id}/privacy-notice`);
    expect(notice.statusCode, notice.body).toBe(200);
    for (const text of [md.body, json.body, subs.body, notice.body]) expectNoCanary(text);
    // Viewing the JSON is not an export.
    expect(await auditActions('privacy.records_exported')).toHaveLength(1);
  });

  it('refuses bad queries with problem+json and non-admins with 403', async () => {
    const agent = await as('POST', '/v1/agents', { name: 'Q' });
    for (const url of [
      '/v1/privacy/records?format=pdf',
      '/v1/privacy/records?extra=1',
      '/v1/privacy/subprocessors?x=1',
      `/v1/agents/${agent.json().id}/privacy-notice?format=pdf`,
      '/v1/agents/not-a-uuid/privacy-notice',
    ]) {
      const res = await as('GET', url);
      expect(res.statusCode, url).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    const missing = await as('GET', '/v1/agents/00000000-0000-4000-8000-000000000000/privacy-notice');
    expect(missing.statusCode).toBe(404);
    const viewer = await as('POST', '/v1/api-keys', { name: 'viewer', role: 'viewer' });
    expect(viewer.statusCode, viewer.body).toBe(201);
    for (const url of ['/v1/privacy/records', '/v1/privacy/subprocessors']) {
      const res = await t.app.inject({
        method: 'GET',
        url,
        headers: { authorization: `Bearer ${viewer.json().key}` },
      });
      expect(res.statusCode, url).toBe(403);
    }
  });
});
