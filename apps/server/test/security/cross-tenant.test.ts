import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { InjectOptions } from 'fastify';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestApproval } from '../../src/modules/actions/approvals.js';
import { getActionRow } from '../../src/modules/actions/service.js';
import { createUserWithMembership } from '../../src/modules/auth/service.js';
import { signVisitorToken } from '../../src/modules/conversations/visitor-token.js';
import { voiceRecordingOwner } from '../../src/modules/conversations/voice/recordings.js';
import { multipart } from '../../src/modules/knowledge/testing/file-upload-kit.js';
import { createEncryptedBlobs } from '../../src/platform/blobs/encrypted-blob-store.js';
import { voiceRecordings, webhookDeliveries } from '../../src/platform/db/schema/index.js';
import { withTenant } from '../../src/platform/db/tenancy.js';
import { testDatabaseKinds } from '../../src/platform/db/test-database.js';
import { createTestApp, type TestApp } from '../../src/testing/test-app.js';

/**
 * Cross-tenant isolation over every route that takes an id.
 *
 * Routes are enumerated from the live OpenAPI document, so a new route with a path parameter
 * fails this test until it has an entry in `cases` below — and then org B must get 404 for org
 * A's object, and A's object must be unchanged afterwards.
 */
type Fixtures = Record<string, string>;

/** A 1.2 s spoken WAV (modules/calls/testing/fixtures). */
const CALL_WAV = new URL('../../src/modules/calls/testing/fixtures/hello.wav', import.meta.url);

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 1, 2, 3, 4]);
const avatarUpload = multipart([{ name: 'file', filename: 'a.png', data: PNG }]);
type Case = {
  /** Which of org A's ids to put in the path parameter(s). */
  params: (fx: Fixtures) => Record<string, string>;
  body?: unknown;
  /** Extra request headers (e.g. a multipart content type for `body`). */
  headers?: Record<string, string>;
  /** Route authenticates with something other than org B's API key (e.g. a widget token). */
  auth?: 'widget';
  /** A request signed by org B's own credential (an inbound hook), built from the fixtures. */
  signed?: (fx: Fixtures) => { payload: string; headers: Record<string, string> };
};

/** A literal public address: saving an action checks it without DNS, and no test calls it. */
const PUBLIC_ACTION_ORIGIN = 'https://93.184.215.14';

const cases: Record<string, Case> = {
  'GET /v1/orgs/{id}': { params: (fx) => ({ id: fx.orgA! }) },
  'DELETE /v1/orgs/{id}': { params: (fx) => ({ id: fx.orgA! }) },
  'POST /v1/orgs/{id}/restore': { params: (fx) => ({ id: fx.orgA! }) },
  'GET /v1/agents/{id}': { params: (fx) => ({ id: fx.agent! }) },
  'PATCH /v1/agents/{id}': { params: (fx) => ({ id: fx.agent! }), body: { name: 'hijacked' } },
  'DELETE /v1/agents/{id}': { params: (fx) => ({ id: fx.agent! }) },
  'PUT /v1/agents/{id}/avatar': {
    params: (fx) => ({ id: fx.agent! }),
    body: avatarUpload.payload,
    headers: avatarUpload.headers,
  },
  'DELETE /v1/agents/{id}/avatar': { params: (fx) => ({ id: fx.agent! }) },
  // Public by design for the agent's current image; B's key never serves A's image.
  'GET /v1/widget/avatars/{agentKey}/{hash}': {
    params: (fx) => ({ agentKey: fx.agentKeyB!, hash: fx.avatarHash! }),
  },
  'GET /v1/agents/{id}/sources': { params: (fx) => ({ id: fx.agent! }) },
  'PUT /v1/agents/{id}/sources': { params: (fx) => ({ id: fx.agent! }), body: { sourceIds: [] } },
  'DELETE /v1/api-keys/{id}': { params: (fx) => ({ id: fx.apiKey! }) },
  'PATCH /v1/members/{userId}': { params: (fx) => ({ userId: fx.member! }), body: { role: 'viewer' } },
  'DELETE /v1/members/{userId}': { params: (fx) => ({ userId: fx.member! }) },
  'DELETE /v1/invitations/{id}': { params: (fx) => ({ id: fx.invitation! }) },
  'GET /v1/knowledge/sources/{id}': { params: (fx) => ({ id: fx.source! }) },
  'DELETE /v1/knowledge/sources/{id}': { params: (fx) => ({ id: fx.source! }) },
  'DELETE /v1/knowledge/synonyms/{id}': { params: (fx) => ({ id: fx.synonym! }) },
  'GET /v1/model-providers/{id}': { params: (fx) => ({ id: fx.modelProvider! }) },
  'PATCH /v1/model-providers/{id}': {
    params: (fx) => ({ id: fx.modelProvider! }),
    body: { name: 'hijacked' },
  },
  'DELETE /v1/model-providers/{id}': { params: (fx) => ({ id: fx.modelProvider! }) },
  'POST /v1/model-providers/{id}/test': { params: (fx) => ({ id: fx.modelProvider! }) },
  'POST /v1/knowledge/sources/{id}/reindex': { params: (fx) => ({ id: fx.source! }) },
  'GET /v1/conversations/{id}': { params: (fx) => ({ id: fx.conversation! }) },
  'GET /v1/conversations/{id}/related': { params: (fx) => ({ id: fx.conversation! }) },
  'POST /v1/conversations/{id}/read': { params: (fx) => ({ id: fx.conversation! }) },
  'POST /v1/conversations/{id}/claim': { params: (fx) => ({ id: fx.conversation! }), body: {} },
  'POST /v1/conversations/{id}/assign': {
    params: (fx) => ({ id: fx.conversation! }),
    body: { userId: null },
  },
  'POST /v1/conversations/{id}/handback': { params: (fx) => ({ id: fx.conversation! }), body: {} },
  'POST /v1/conversations/{id}/close': { params: (fx) => ({ id: fx.conversation! }), body: {} },
  'POST /v1/conversations/{id}/reopen': { params: (fx) => ({ id: fx.conversation! }), body: {} },
  'POST /v1/conversations/{id}/messages': {
    params: (fx) => ({ id: fx.conversation! }),
    body: { text: 'hijacked reply' },
  },
  'POST /v1/conversations/{id}/typing': { params: (fx) => ({ id: fx.conversation! }), body: {} },
  'POST /v1/conversations/{id}/hold': { params: (fx) => ({ id: fx.conversation! }), body: { reason: 'x' } },
  'DELETE /v1/conversations/{id}/hold': { params: (fx) => ({ id: fx.conversation! }) },
  'GET /v1/privacy/retention/runs/{id}': { params: (fx) => ({ id: fx.purgeRun! }) },
  'GET /v1/orgs/{id}/retention-limits': { params: (fx) => ({ id: fx.orgA! }) },
  'PUT /v1/orgs/{id}/retention-limits': {
    params: (fx) => ({ id: fx.orgA! }),
    body: { limits: [{ category: 'transcripts', maxDays: 1 }] },
  },
  'GET /v1/orgs/{id}/usage-limits': { params: (fx) => ({ id: fx.orgA! }) },
  'PUT /v1/orgs/{id}/usage-limits': {
    params: (fx) => ({ id: fx.orgA! }),
    body: { monthlyMessages: 1 },
  },
  'PATCH /v1/canned-responses/{id}': { params: (fx) => ({ id: fx.canned! }), body: { text: 'hijacked' } },
  'DELETE /v1/canned-responses/{id}': { params: (fx) => ({ id: fx.canned! }) },
  'GET /v1/widget/conversations/{id}': { params: (fx) => ({ id: fx.conversation! }), auth: 'widget' },
  'GET /v1/widget/conversations/{id}/events': { params: (fx) => ({ id: fx.conversation! }), auth: 'widget' },
  'POST /v1/widget/conversations/{id}/typing': {
    params: (fx) => ({ id: fx.conversation! }),
    body: {},
    auth: 'widget',
  },
  'POST /v1/widget/conversations/{id}/contact': {
    params: (fx) => ({ id: fx.conversation! }),
    body: { email: 'visitor@example.com', consent: true, purpose: 'reply_by_email' },
    auth: 'widget',
  },
  'POST /v1/widget/conversations/{id}/token': {
    params: (fx) => ({ id: fx.conversation! }),
    body: {},
    auth: 'widget',
  },
  'POST /v1/widget/conversations/{id}/messages': {
    params: (fx) => ({ id: fx.conversation! }),
    body: { text: 'hello', clientMessageId: 'cross-tenant' },
    auth: 'widget',
  },
  'POST /v1/widget/conversations/{id}/voice-turns': {
    params: (fx) => ({ id: fx.conversation! }),
    body: {},
    auth: 'widget',
  },
  'POST /v1/widget/conversations/{id}/voice-turns/{turnId}/chunks': {
    params: (fx) => ({ id: fx.conversation!, turnId: fx.conversation! }),
    body: Buffer.from([0x1a, 0x45, 0xdf, 0xa3]),
    headers: { 'content-type': 'application/octet-stream' },
    auth: 'widget',
  },
  'POST /v1/widget/conversations/{id}/voice-turns/{turnId}/end': {
    params: (fx) => ({ id: fx.conversation!, turnId: fx.conversation! }),
    auth: 'widget',
  },
  'GET /v1/widget/conversations/{id}/voice-turns/{turnId}/speech/{index}': {
    params: (fx) => ({ id: fx.conversation!, turnId: fx.conversation!, index: '0' }),
    auth: 'widget',
  },
  'POST /v1/widget/conversations/{id}/voice-recording-consent': {
    params: (fx) => ({ id: fx.conversation! }),
    body: { granted: true },
    auth: 'widget',
  },
  'POST /v1/widget/conversations/{id}/identify': {
    params: (fx) => ({ id: fx.conversation! }),
    body: { userId: 'u-1', hmac: 'a'.repeat(64) },
    auth: 'widget',
  },
  'POST /v1/widget/conversations/{id}/rating': {
    params: (fx) => ({ id: fx.conversation! }),
    body: { score: 4, comment: 'cross-tenant' },
    auth: 'widget',
  },
  'POST /v1/agents/{id}/identity-secret': { params: (fx) => ({ id: fx.agent! }) },
  'GET /v1/agents/{id}/identity-secret': { params: (fx) => ({ id: fx.agent! }) },
  'GET /v1/agents/{id}/privacy-notice': { params: (fx) => ({ id: fx.agent! }) },
  'GET /v1/privacy/requests/{id}': { params: (fx) => ({ id: fx.privacyRequest! }) },
  'GET /v1/privacy/requests/{id}/download': { params: (fx) => ({ id: fx.privacyRequest! }) },
  'GET /v1/incidents/{id}': { params: (fx) => ({ id: fx.incident! }) },
  'PATCH /v1/incidents/{id}': { params: (fx) => ({ id: fx.incident! }), body: { title: 'hijacked' } },
  'GET /v1/incidents/{id}/report': { params: (fx) => ({ id: fx.incident! }) },
  'GET /v1/webhooks/{id}': { params: (fx) => ({ id: fx.webhook! }) },
  'PATCH /v1/webhooks/{id}': { params: (fx) => ({ id: fx.webhook! }), body: { enabled: false } },
  'DELETE /v1/webhooks/{id}': { params: (fx) => ({ id: fx.webhook! }) },
  'POST /v1/webhooks/{id}/rotate-secret': { params: (fx) => ({ id: fx.webhook! }) },
  'POST /v1/webhooks/{id}/test': { params: (fx) => ({ id: fx.webhook! }) },
  'GET /v1/webhooks/{id}/deliveries': { params: (fx) => ({ id: fx.webhook! }) },
  'POST /v1/webhooks/{id}/deliveries/{deliveryId}/retry': {
    params: (fx) => ({ id: fx.webhook!, deliveryId: fx.webhookDelivery! }),
  },
  'GET /v1/calls/{id}': { params: (fx) => ({ id: fx.call! }) },
  'PATCH /v1/calls/{id}': { params: (fx) => ({ id: fx.call! }), body: { title: 'hijacked' } },
  'DELETE /v1/calls/{id}': { params: (fx) => ({ id: fx.call! }) },
  'GET /v1/calls/{id}/audio': { params: (fx) => ({ id: fx.call! }) },
  'POST /v1/calls/{id}/reprocess': { params: (fx) => ({ id: fx.call! }), body: {} },
  'GET /v1/rubrics/{id}': { params: (fx) => ({ id: fx.rubric! }) },
  'PATCH /v1/rubrics/{id}': { params: (fx) => ({ id: fx.rubric! }), body: { name: 'hijacked' } },
  'DELETE /v1/rubrics/{id}': { params: (fx) => ({ id: fx.rubric! }) },
  'GET /v1/inbound-hooks/{id}': { params: (fx) => ({ id: fx.inboundHook! }) },
  'PATCH /v1/inbound-hooks/{id}': { params: (fx) => ({ id: fx.inboundHook! }), body: { enabled: false } },
  'DELETE /v1/inbound-hooks/{id}': { params: (fx) => ({ id: fx.inboundHook! }) },
  // Org B's own hook, correctly signed, acting on org A's conversation.
  'POST /v1/hooks/{publicId}': {
    params: (fx) => ({ publicId: fx.inboundHookBPublicId! }),
    signed: (fx) => {
      const payload = JSON.stringify({ type: 'conversation.close', conversationId: fx.conversation });
      const at = new Date();
      return {
        payload,
        headers: {
          'content-type': 'application/json',
          'webhook-id': 'cross-tenant-1',
          'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
          'webhook-signature': new Webhook(fx.inboundHookBSecret!).sign('cross-tenant-1', at, payload),
        },
      };
    },
  },
  'GET /v1/agents/{id}/actions': { params: (fx) => ({ id: fx.agent! }) },
  'POST /v1/agents/{id}/actions': {
    params: (fx) => ({ id: fx.agent! }),
    body: { name: 'hijack', method: 'GET', urlTemplate: `${PUBLIC_ACTION_ORIGIN}/hijack` },
  },
  'GET /v1/agents/{id}/actions/{actionId}': { params: (fx) => ({ id: fx.agent!, actionId: fx.action! }) },
  'PATCH /v1/agents/{id}/actions/{actionId}': {
    params: (fx) => ({ id: fx.agent!, actionId: fx.action! }),
    body: { description: 'hijacked' },
  },
  'DELETE /v1/agents/{id}/actions/{actionId}': { params: (fx) => ({ id: fx.agent!, actionId: fx.action! }) },
  'POST /v1/agents/{id}/actions/{actionId}/test': {
    params: (fx) => ({ id: fx.agent!, actionId: fx.action! }),
    body: { parameters: { orderId: '1' } },
  },
  'GET /v1/agents/{id}/actions/{actionId}/calls': {
    params: (fx) => ({ id: fx.agent!, actionId: fx.action! }),
  },
  'GET /v1/conversations/{id}/action-approvals': { params: (fx) => ({ id: fx.conversation! }) },
  'POST /v1/action-calls/{id}/approve': { params: (fx) => ({ id: fx.actionCall! }) },
  'POST /v1/action-calls/{id}/reject': { params: (fx) => ({ id: fx.actionCall! }) },
  'GET /v1/agents/{id}/flow': { params: (fx) => ({ id: fx.agent! }) },
  'PUT /v1/agents/{id}/flow': {
    params: (fx) => ({ id: fx.agent! }),
    body: { steps: [{ id: 'hi', type: 'ai', text: 'hijacked' }] },
  },
  'GET /v1/conversations/{id}/captured-data': { params: (fx) => ({ id: fx.conversation! }) },
  'GET /v1/conversations/{id}/recordings': { params: (fx) => ({ id: fx.conversation! }) },
  'GET /v1/conversations/{id}/recordings/{recordingId}': {
    params: (fx) => ({ id: fx.conversation!, recordingId: fx.voiceRecording! }),
  },
  'POST /v1/widget/conversations/{id}/flow/{stepId}': {
    params: (fx) => ({ id: fx.conversation!, stepId: 'details' }),
    body: { values: {}, consents: [] },
    auth: 'widget',
  },
  'POST /v1/widget/conversations/{id}/handoff': {
    params: (fx) => ({ id: fx.conversation! }),
    body: {},
    auth: 'widget',
  },
  'GET /v1/widget/conversations/{id}/consent': { params: (fx) => ({ id: fx.conversation! }), auth: 'widget' },
  'POST /v1/widget/conversations/{id}/consent/withdraw': {
    params: (fx) => ({ id: fx.conversation! }),
    body: {},
    auth: 'widget',
  },
  // A rep name is org A's data: org B asking by name learns nothing (404 as for an unknown rep).
  'GET /v1/calls/reps/{repName}/coaching': { params: (fx) => ({ repName: fx.repName! }) },
};

describe.each(testDatabaseKinds)('cross-tenant isolation on %s', (kind) => {
  let t: TestApp;
  let a: { orgId: string; apiKey: string };
  let b: { orgId: string; apiKey: string };
  const fx: Fixtures = {};

  const asA = (opts: InjectOptions) =>
    t.app.inject({ ...opts, headers: { authorization: `Bearer ${a.apiKey}`, ...opts.headers } });
  const asB = (opts: InjectOptions) =>
    t.app.inject({ ...opts, headers: { authorization: `Bearer ${b.apiKey}`, ...opts.headers } });

  beforeAll(async () => {
    t = await createTestApp({ kind });
    a = await t.createOrg('Org A');
    b = await t.createOrg('Org B');
    fx.orgA = a.orgId;
    const agent = await asA({ method: 'POST', url: '/v1/agents', payload: { name: 'A agent' } });
    fx.agent = agent.json().id;
    const avatar = await asA({
      method: 'PUT',
      url: `/v1/agents/${fx.agent}/avatar`,
      headers: avatarUpload.headers,
      payload: avatarUpload.payload,
    });
    fx.avatarHash = String(avatar.json().avatarUrl).split('/').pop()!;
    // Another org's publishable key (a third org, so org B's own lists stay empty).
    const c = await t.createOrg('Org C');
    const agentC = await t.app.inject({
      method: 'POST',
      url: '/v1/agents',
      headers: { authorization: `Bearer ${c.apiKey}` },
      payload: { name: 'C agent' },
    });
    fx.agentKeyB = agentC.json().publishableKey;
    const source = await asA({
      method: 'POST',
      url: '/v1/knowledge/sources',
      payload: {
        type: 'text',
        title: 'Zanzibar returns',
        content: '# Returns\n\nQuokka parcels can be returned within 45 days for a full refund.',
      },
    });
    fx.source = source.json().id;
    // Indexed by the job worker; wait so the checks below see it ready.
    await t.waitForSource(a.apiKey, fx.source!);
    const key = await asA({
      method: 'POST',
      url: '/v1/api-keys',
      payload: { name: 'second', role: 'viewer' },
    });
    fx.apiKey = key.json().id;
    const member = await createUserWithMembership(t, {
      email: 'member.a@example.com',
      password: 'long enough password',
      name: 'A member',
      orgId: a.orgId,
      role: 'admin',
    });
    fx.member = member.userId;
    const invitation = await asA({
      method: 'POST',
      url: '/v1/invitations',
      payload: { email: 'invitee.a@example.com', role: 'agent' },
    });
    fx.invitation = invitation.json().id;
    const synonym = await asA({
      method: 'POST',
      url: '/v1/knowledge/synonyms',
      payload: { terms: ['quokka', 'wallaby'] },
    });
    fx.synonym = synonym.json().id;
    const modelProvider = await asA({
      method: 'POST',
      url: '/v1/model-providers',
      payload: {
        kind: 'anthropic',
        name: 'A models',
        models: [{ id: 'claude-a', type: 'chat' }],
        apiKey: 'sk-a',
      },
    });
    fx.modelProvider = modelProvider.json().id;
    await asA({ method: 'PUT', url: `/v1/agents/${fx.agent}/sources`, payload: { sourceIds: [fx.source] } });
    const widgetAgent = await asA({
      method: 'POST',
      url: '/v1/agents',
      payload: { name: 'A widget', allowedOrigins: ['*'] },
    });
    const conversation = await t.app.inject({
      method: 'POST',
      url: '/v1/widget/conversations',
      payload: { agentKey: widgetAgent.json().publishableKey },
    });
    fx.conversation = conversation.json().conversationId;
    // A kept voice message in A's conversation (encrypted file + row, as recordings.ts stores it).
    fx.voiceRecording = randomUUID();
    const sealed = await createEncryptedBlobs(t.blobStore, t.keyring).put(
      voiceRecordingOwner(a.orgId, fx.voiceRecording),
      Buffer.from('OggS voice of org A'),
    );
    await withTenant(t.database, [a.orgId], (tx) =>
      tx.insert(voiceRecordings).values({
        orgId: a.orgId,
        id: fx.voiceRecording!,
        conversationId: fx.conversation!,
        ...sealed,
        mediaType: 'audio/ogg',
        durationSeconds: 1,
      }),
    );
    const canned = await asA({
      method: 'POST',
      url: '/v1/canned-responses',
      payload: { shortcut: 'refund', text: 'Refunds take 5 days.' },
    });
    fx.canned = canned.json().id;
    const run = await asA({ method: 'POST', url: '/v1/privacy/retention/run' });
    fx.purgeRun = run.json().runId;
    const privacyRequest = await asA({
      method: 'POST',
      url: '/v1/privacy/requests',
      payload: { type: 'export', subject: { conversationId: fx.conversation } },
    });
    fx.privacyRequest = privacyRequest.json().id;
    const incident = await asA({
      method: 'POST',
      url: '/v1/incidents',
      payload: { title: 'A incident', description: 'Lost a laptop.', awareAt: new Date().toISOString() },
    });
    fx.incident = incident.json().id;
    const rubric = await asA({
      method: 'POST',
      url: '/v1/rubrics',
      payload: { name: 'A rubric', criteria: [{ name: 'Listens', description: 'Lets the customer talk' }] },
    });
    fx.rubric = rubric.json().id;
    const callUpload = multipart([
      { name: 'title', data: 'A call' },
      { name: 'repName', data: 'Alice Cross' },
      { name: 'file', filename: 'a.wav', data: await readFile(CALL_WAV) },
    ]);
    const call = await asA({
      method: 'POST',
      url: '/v1/calls',
      payload: callUpload.payload,
      headers: callUpload.headers,
    });
    fx.call = call.json().id;
    fx.repName = 'Alice Cross';
    // Subscribed to an event no test here causes: nothing is sent to the literal address.
    const webhook = await asA({
      method: 'POST',
      url: '/v1/webhooks',
      payload: { url: `${PUBLIC_ACTION_ORIGIN}/hook`, events: ['conversation.waiting'] },
    });
    fx.webhook = webhook.json().id;
    const [delivery] = await withTenant(t.database, [a.orgId], (tx) =>
      tx
        .insert(webhookDeliveries)
        .values({
          orgId: a.orgId,
          endpointId: fx.webhook!,
          eventType: 'webhook.test',
          payload: {},
          status: 'failed',
        })
        .returning(),
    );
    fx.webhookDelivery = delivery!.id;
    fx.inboundHook = (
      await asA({ method: 'POST', url: '/v1/inbound-hooks', payload: { name: 'A desk' } })
    ).json().id;
    const hookB = (
      await asB({ method: 'POST', url: '/v1/inbound-hooks', payload: { name: 'B desk' } })
    ).json();
    fx.inboundHookBPublicId = hookB.path.split('/').at(-1);
    fx.inboundHookBSecret = hookB.secret;
    const action = await asA({
      method: 'POST',
      url: `/v1/agents/${fx.agent}/actions`,
      payload: {
        name: 'cancel_order',
        description: 'Cancel an order',
        method: 'POST',
        urlTemplate: `${PUBLIC_ACTION_ORIGIN}/orders/{orderId}/cancel`,
        parameters: { type: 'object', properties: { orderId: { type: 'string' } }, required: ['orderId'] },
        requiresApproval: true,
      },
    });
    fx.action = action.json().id;
    // A call the model made in A's conversation, waiting for an operator (as tools-for-agent.ts does).
    const actionRow = await withTenant(t.database, [a.orgId], (tx) =>
      getActionRow(tx, a.orgId, fx.agent!, fx.action!),
    );
    const pending = await requestApproval(t, {
      action: actionRow,
      args: { orderId: '17' },
      conversationId: fx.conversation!,
    });
    fx.actionCall = pending.call.id;
    // A genuine visitor token of org B (its own agent and conversation ids).
    fx.widgetTokenB = await signVisitorToken(t.keyring, 600, {
      org: b.orgId,
      agent: '00000000-0000-4000-8000-000000000001',
      conversation: '00000000-0000-4000-8000-000000000002',
    });
  });
  afterAll(() => t?.close());

  it('covers every route that takes a path parameter', async () => {
    const spec = t.app.swagger() as { paths: Record<string, Record<string, unknown>> };
    const routes = Object.entries(spec.paths).flatMap(([path, ops]) =>
      Object.keys(ops)
        .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
        .map((m) => `${m.toUpperCase()} ${path}`),
    );
    const parameterized = routes.filter((r) => r.includes('{'));
    expect(parameterized.length).toBeGreaterThan(3);
    const uncovered = parameterized.filter((r) => !cases[r]);
    expect(uncovered, 'add a case for each new route with an id').toEqual([]);
  });

  it.each(Object.keys(cases))('%s: org B gets 404 for org A’s object', async (route) => {
    const c = cases[route]!;
    const [method, template] = route.split(' ') as [InjectOptions['method'], string];
    const params = c.params(fx);
    const url = template.replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? 'missing');
    const payload = {
      ...(c.body ? { payload: c.body as InjectOptions['payload'] } : {}),
      ...(c.headers ? { headers: c.headers } : {}),
    };
    const signed = c.signed?.(fx);
    const res = signed
      ? await t.app.inject({ method, url, payload: signed.payload, headers: signed.headers })
      : c.auth === 'widget'
        ? await t.app.inject({
            method,
            url,
            ...payload,
            headers: { authorization: `Bearer ${fx.widgetTokenB}`, ...c.headers },
          })
        : await asB({ method, url, ...payload });
    expect(res.statusCode, `${route} → ${res.body}`).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });

  it('left every one of org A’s objects intact', async () => {
    const agent = await asA({ method: 'GET', url: `/v1/agents/${fx.agent}` });
    expect(agent.statusCode).toBe(200);
    expect(agent.json().name).toBe('A agent');
    const keys = await asA({ method: 'GET', url: '/v1/api-keys' });
    const second = keys.json().keys.find((k: { id: string }) => k.id === fx.apiKey);
    expect(second.revokedAt).toBeNull();
    const members = await asA({ method: 'GET', url: '/v1/members' });
    const member = members.json().members.find((m: { userId: string }) => m.userId === fx.member);
    expect(member.role).toBe('admin');
    const invitations = await asA({ method: 'GET', url: '/v1/invitations' });
    expect(invitations.json().invitations.map((i: { status: string }) => i.status)).toEqual(['pending']);
    const source = await asA({ method: 'GET', url: `/v1/knowledge/sources/${fx.source}` });
    expect(source.json().status).toBe('ready');
    const found = await asA({
      method: 'POST',
      url: '/v1/knowledge/search',
      payload: { query: 'quokka parcels' },
    });
    expect(found.json().results.map((r: { sourceId: string }) => r.sourceId)).toEqual([fx.source]);
    const synonyms = await asA({ method: 'GET', url: '/v1/knowledge/synonyms' });
    expect(synonyms.json().groups.map((g: { id: string }) => g.id)).toEqual([fx.synonym]);
    const provider = await asA({ method: 'GET', url: `/v1/model-providers/${fx.modelProvider}` });
    expect(provider.json()).toMatchObject({ name: 'A models', hasApiKey: true });
    const scope = await asA({ method: 'GET', url: `/v1/agents/${fx.agent}/sources` });
    expect(scope.json().sourceIds).toEqual([fx.source]);
    const conversation = await asA({ method: 'GET', url: `/v1/conversations/${fx.conversation}` });
    expect(conversation.json()).toMatchObject({ status: 'ai', assigneeId: null, messages: [] });
    const canned = await asA({ method: 'GET', url: '/v1/canned-responses' });
    expect(canned.json().cannedResponses).toMatchObject([{ id: fx.canned, text: 'Refunds take 5 days.' }]);
    const privacy = await asA({ method: 'GET', url: `/v1/privacy/requests/${fx.privacyRequest}` });
    expect(privacy.statusCode).toBe(200);
    const secret = await asA({ method: 'GET', url: `/v1/agents/${fx.agent}/identity-secret` });
    expect(secret.json()).toEqual({ configured: false });
    const incident = await asA({ method: 'GET', url: `/v1/incidents/${fx.incident}` });
    expect(incident.json()).toMatchObject({ title: 'A incident', status: 'open' });
    const action = await asA({ method: 'GET', url: `/v1/agents/${fx.agent}/actions/${fx.action}` });
    expect(action.json()).toMatchObject({ name: 'cancel_order', description: 'Cancel an order' });
    const actions = await asA({ method: 'GET', url: `/v1/agents/${fx.agent}/actions` });
    expect(actions.json().actions.map((x: { name: string }) => x.name)).toEqual(['cancel_order']);
    const approvals = await asA({ method: 'GET', url: '/v1/action-approvals' });
    expect(approvals.json().calls).toMatchObject([{ id: fx.actionCall, outcome: 'pending_approval' }]);
    const webhook = await asA({ method: 'GET', url: `/v1/webhooks/${fx.webhook}` });
    expect(webhook.json()).toMatchObject({ enabled: true, previousSecretExpiresAt: null });
    const deliveries = await asA({ method: 'GET', url: `/v1/webhooks/${fx.webhook}/deliveries` });
    expect(deliveries.json().deliveries).toMatchObject([{ id: fx.webhookDelivery, status: 'failed' }]);
    const hook = await asA({ method: 'GET', url: `/v1/inbound-hooks/${fx.inboundHook}` });
    expect(hook.json()).toMatchObject({ enabled: true });
    const call = await asA({ method: 'GET', url: `/v1/calls/${fx.call}` });
    expect(call.json()).toMatchObject({ title: 'A call' });
    const voice = await asA({
      method: 'GET',
      url: `/v1/conversations/${fx.conversation}/recordings/${fx.voiceRecording}`,
    });
    expect(voice.statusCode).toBe(200);
    expect(voice.headers['content-type']).toBe('audio/ogg');
    expect(voice.body).toBe('OggS voice of org A');
    const audio = await asA({ method: 'GET', url: `/v1/calls/${fx.call}/audio` });
    expect(Buffer.compare(audio.rawPayload, await readFile(CALL_WAV))).toBe(0);
    const rubric = await asA({ method: 'GET', url: `/v1/rubrics/${fx.rubric}` });
    expect(rubric.json()).toMatchObject({ name: 'A rubric' });
    const rep = await asA({
      method: 'GET',
      url: `/v1/calls/reps/${encodeURIComponent(fx.repName!)}/coaching`,
    });
    expect(rep.json()).toMatchObject({ repName: fx.repName });
  });

  it('lists show none of org A’s objects to org B', async () => {
    const agents = await asB({ method: 'GET', url: '/v1/agents' });
    expect(agents.json().agents).toEqual([]);
    const orgs = await asB({ method: 'GET', url: '/v1/orgs' });
    expect(orgs.json().orgs.map((o: { id: string }) => o.id)).toEqual([b.orgId]);
    const sources = await asB({ method: 'GET', url: '/v1/knowledge/sources' });
    expect(sources.json().sources).toEqual([]);
    const providers = await asB({ method: 'GET', url: '/v1/model-providers' });
    expect(providers.json().providers).toEqual([]);
    const conversations = await asB({ method: 'GET', url: '/v1/conversations?view=all' });
    expect(conversations.json().conversations).toEqual([]);
    const canned = await asB({ method: 'GET', url: '/v1/canned-responses' });
    expect(canned.json().cannedResponses).toEqual([]);
    const incidents = await asB({ method: 'GET', url: '/v1/incidents' });
    expect(incidents.json().incidents).toEqual([]);
    const approvals = await asB({ method: 'GET', url: '/v1/action-approvals' });
    expect(approvals.json().calls).toEqual([]);
    const webhooks = await asB({ method: 'GET', url: '/v1/webhooks' });
    expect(webhooks.json().webhooks).toEqual([]);
    const callsB = await asB({ method: 'GET', url: '/v1/calls' });
    expect(callsB.json().calls).toEqual([]);
    const rubricsB = await asB({ method: 'GET', url: '/v1/rubrics' });
    expect(rubricsB.json().rubrics).toEqual([]);
    const hooks = await asB({ method: 'GET', url: '/v1/inbound-hooks' });
    expect(hooks.json().hooks.map((h: { name: string }) => h.name)).toEqual(['B desk']);
  });

  it('search shows org B none of org A’s knowledge, even scoped to A’s agent', async () => {
    const search = await asB({
      method: 'POST',
      url: '/v1/knowledge/search',
      payload: { query: 'quokka parcels returned' },
    });
    expect(search.statusCode).toBe(200);
    expect(search.json().results).toEqual([]);
    const scoped = await asB({
      method: 'POST',
      url: '/v1/knowledge/search',
      payload: { query: 'quokka parcels', agentId: fx.agent },
    });
    expect(scoped.statusCode).toBe(404);
  });

  it('org B cannot choose org A’s provider as its embedding model (ids in a body, not a path)', async () => {
    const res = await asB({
      method: 'PUT',
      url: '/v1/knowledge/embedding-model',
      payload: { choice: { providerId: fx.modelProvider, model: 'claude-a' } },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().detail).toContain("is not one of this organization's model providers");
    const b = await asB({ method: 'GET', url: '/v1/knowledge/embedding-model' });
    expect(b.json().choice).toBeNull();
  });
});
