import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversations, events as eventsTable } from '../../platform/db/schema/index.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { type FakeOpenAi, startFakeOpenAi } from '../answers/testing/fake-openai.js';
import { dataOf, readEvents } from './testing/sse-client.js';
import {
  createWidgetOrg,
  listen,
  sendMessage,
  startConversation,
  type WidgetOrg,
} from './testing/widget-fixture.js';

/**
 * The model's handoff request (`handoff({ reason, summary })`) through the real answer stream:
 * stored on the conversation and shown to operators in the detail; the summary has the
 * redactor's placeholders restored (the provider never saw the address, the operator reads it),
 * is kept out of event payloads, is not stored for an ephemeral conversation, and goes away on
 * handback.
 */
describe('the handoff tool’s reason and summary', () => {
  let fake: FakeOpenAi;
  let t: TestApp;
  let base: string;
  let org: WidgetOrg;
  let counter = 0;
  const EMAIL = 'jane.doe@example.com';

  const admin = (method: 'GET' | 'POST', url: string) =>
    t.app.inject({ method, url, headers: { authorization: `Bearer ${org.apiKey}` } });

  async function ask(text: string, agentKey = org.agentKey) {
    const { conversationId, token } = await startConversation(base, agentKey);
    const events = await readEvents(
      await sendMessage(base, conversationId, token, { text, clientMessageId: `h-${++counter}` }),
    );
    return { conversationId, events };
  }
  const row = async (id: string) =>
    (
      await withTenant(t.database, [org.orgId], (tx) =>
        tx.select().from(conversations).where(eq(conversations.id, id)),
      )
    )[0]!;

  beforeAll(async () => {
    fake = await startFakeOpenAi({ deltas: ['Here is what I found.'] });
    t = await createTestApp({ kind: 'pglite', env: { CONFIDANT_ALLOW_PRIVATE_NETWORKS: 'true' } });
    // One article, so the questions below retrieve a passage and the model is asked.
    org = await createWidgetOrg(t, 'Nova', { answerMode: 'model', handoffEnabled: true }, [
      {
        title: 'Parcels and delivery',
        content:
          'Every parcel ships within two days. A lost parcel, a late delivery or a refund for a parcel is looked into by our team.',
      },
    ]);
    const saved = await t.app.inject({
      method: 'PUT',
      url: '/v1/model-provider',
      headers: { authorization: `Bearer ${org.apiKey}` },
      payload: { baseUrl: fake.baseUrl, model: 'fake-model', apiKey: 'sk-test' },
    });
    expect(saved.statusCode).toBe(200);
    base = await listen(t);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  it('stores the reason and the restored summary, shows them to operators, keeps them out of events', async () => {
    // The model answers with the placeholder it was given for the address (read from its request).
    const first = fake.requests.length;
    fake.queue.push({ deltas: ['Let me get someone.'], toolCalls: [] });
    const { conversationId, events } = await (async () => {
      const { conversationId, token } = await startConversation(base, org.agentKey);
      // First turn: learn the placeholder the provider saw.
      await readEvents(
        await sendMessage(base, conversationId, token, {
          text: `My parcel never came, write to me at ${EMAIL}`,
          clientMessageId: `h-${++counter}`,
        }),
      );
      const seen = fake.requests[first]!.raw;
      expect(seen).not.toContain(EMAIL);
      const placeholder = seen.match(/\[EMAIL_\d+\]/)?.[0];
      expect(placeholder).toBeDefined();
      fake.queue.push({
        deltas: [],
        toolCalls: [
          {
            name: 'handoff',
            arguments: { reason: 'account_specific', summary: `Lost parcel; reply to ${placeholder}` },
          },
        ],
      });
      const events = await readEvents(
        await sendMessage(base, conversationId, token, {
          text: `Still no parcel, my address is ${EMAIL}`,
          clientMessageId: `h-${++counter}`,
        }),
      );
      return { conversationId, events };
    })();
    expect(dataOf<{ reason: string }>(events, 'handoff')!.reason).toBe('rule');
    // What the provider received in the second turn holds no address either.
    for (const r of fake.requests.slice(first)) expect(r.raw).not.toContain(EMAIL);

    const stored = await row(conversationId);
    expect(stored).toMatchObject({
      status: 'waiting',
      handoffReason: 'rule',
      handoffDetail: 'account_specific',
      handoffSummary: `Lost parcel; reply to ${EMAIL}`,
    });
    const detail = await admin('GET', `/v1/conversations/${conversationId}`);
    expect(detail.statusCode).toBe(200);
    expect(detail.json().handoffDetail).toEqual({
      reason: 'account_specific',
      summary: `Lost parcel; reply to ${EMAIL}`,
    });
    // Event payloads (the outbox, kept beyond the transaction) carry no summary.
    const outbox = await withTenant(t.database, [org.orgId], (tx) =>
      tx.select().from(eventsTable).where(eq(eventsTable.conversationId, conversationId)),
    );
    expect(JSON.stringify(outbox.map((e) => e.payload))).not.toContain('Lost parcel');

    // Handed back to the assistant: the request is over, the detail goes with it.
    expect((await admin('POST', `/v1/conversations/${conversationId}/handback`)).statusCode).toBe(200);
    expect(await row(conversationId)).toMatchObject({ handoffDetail: null, handoffSummary: null });
    expect((await admin('GET', `/v1/conversations/${conversationId}`)).json().handoffDetail).toBeNull();
  });

  it('a handoff without a summary stores the reason alone; an ephemeral conversation keeps no summary', async () => {
    fake.queue.push({ deltas: [], toolCalls: [{ name: 'handoff', arguments: { reason: 'visitor_asked' } }] });
    const plain = await ask("I'd rather sort my parcel delivery out with your team directly.");
    expect(await row(plain.conversationId)).toMatchObject({
      handoffDetail: 'visitor_asked',
      handoffSummary: null,
    });

    const created = await t.app.inject({
      method: 'POST',
      url: '/v1/agents',
      headers: { authorization: `Bearer ${org.apiKey}` },
      payload: {
        name: 'Ephemeral Nova',
        answerMode: 'model',
        handoffEnabled: true,
        storeTranscripts: false,
        allowedOrigins: ['https://shop.example'],
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    fake.queue.push({
      deltas: [],
      toolCalls: [{ name: 'handoff', arguments: { reason: 'complaint', summary: 'Angry about a refund' } }],
    });
    const ephemeral = await ask(
      'The refund for my lost parcel is taking forever.',
      created.json().publishableKey,
    );
    expect(await row(ephemeral.conversationId)).toMatchObject({
      handoffDetail: 'complaint',
      handoffSummary: null,
    });
  });
});
