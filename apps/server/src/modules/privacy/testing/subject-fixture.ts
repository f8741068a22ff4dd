import type { TestApp } from '../../../testing/test-app.js';
import { readEvents } from '../../conversations/testing/sse-client.js';
import { SITE, sendMessage, startConversation } from '../../conversations/testing/widget-fixture.js';
import { identityHmac } from '../subjects/verify-identity.js';

/**
 * Seeds one data subject through the public widget API, with distinctive canary strings in every
 * place a visitor's data can go: message text (with a phone number), a consented contact email,
 * a verified identity (user id, email, name), and — when the caller asks — a handoff and an
 * operator reply (notifications: to operators, and emailed to the visitor).
 */
export type SubjectCanaries = {
  tag: string;
  message: string;
  phone: string;
  contactEmail: string;
  userId: string;
  identityEmail: string;
  name: string;
  reply: string;
};

/** `n` makes the phone number unique among the subjects of one test. */
export const canariesFor = (tag: string, n: number): SubjectCanaries => ({
  tag,
  message: `canary-msg-${tag}`,
  phone: `+1 (555) ${String(1000 + n).slice(-4)}-${String(7000 + n * 37).slice(-4)}`,
  contactEmail: `canary-eml-${tag}@example.com`,
  userId: `canary-uid-${tag}`,
  identityEmail: `canary-idm-${tag}@example.com`,
  name: `Canary Nam ${tag}`,
  reply: `canary-opr-${tag}`,
});

/** The strings the residue scan looks for (all distinctive, ASCII). */
export const needlesOf = (c: SubjectCanaries) => [
  c.message,
  c.phone,
  c.contactEmail,
  c.userId,
  c.identityEmail,
  c.name,
  c.reply,
];

export async function visitorPost(
  base: string,
  conversation: { conversationId: string; token: string },
  suffix: string,
  body: unknown,
): Promise<Response> {
  return fetch(`${base}/v1/widget/conversations/${conversation.conversationId}${suffix}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${conversation.token}`,
      origin: SITE,
    },
    body: JSON.stringify(body),
  });
}

export async function seedSubject(
  t: TestApp,
  base: string,
  org: { apiKey: string; agentKey: string },
  identitySecret: string,
  c: SubjectCanaries,
  options: { handoff?: boolean } = {},
): Promise<{ conversationId: string; token: string }> {
  const conversation = await startConversation(base, org.agentKey);
  const say = async (text: string, id: string) => {
    const res = await sendMessage(base, conversation.conversationId, conversation.token, {
      text,
      clientMessageId: `${c.tag}-${id}`,
    });
    if (res.status !== 200) throw new Error(`message: ${res.status} ${await res.text()}`);
    await readEvents(res);
  };
  await say(`Hello, ${c.message} here. Call me on ${c.phone} about my order`, 'm1');
  const identified = await visitorPost(base, conversation, '/identify', {
    userId: c.userId,
    email: c.identityEmail,
    name: c.name,
    hmac: identityHmac(identitySecret, c.userId),
  });
  if (identified.status !== 204) throw new Error(`identify: ${identified.status} ${await identified.text()}`);
  const contact = await visitorPost(base, conversation, '/contact', {
    email: c.contactEmail,
    consent: true,
    purpose: 'reply_by_email',
  });
  if (contact.status !== 204) throw new Error(`contact: ${contact.status} ${await contact.text()}`);
  if (options.handoff) {
    await say(`Can I talk to a human please? ${c.message}`, 'm2');
    const reply = await t.app.inject({
      method: 'POST',
      url: `/v1/conversations/${conversation.conversationId}/messages`,
      headers: { authorization: `Bearer ${org.apiKey}` },
      payload: { text: `Thanks, we will look into it. ${c.reply}` },
    });
    if (reply.statusCode !== 201) throw new Error(`reply: ${reply.statusCode} ${reply.body}`);
  }
  return conversation;
}

/** Starts a privacy request through the API and polls it until it has finished. */
export async function runPrivacyRequest(
  t: TestApp,
  apiKey: string,
  body: { type: 'export' | 'erasure'; subject: Partial<Record<string, string>>; note?: string },
): Promise<{ id: string; status: string; counts: Record<string, number>; download: { url: string } | null }> {
  const headers = { authorization: `Bearer ${apiKey}` };
  const started = await t.app.inject({ method: 'POST', url: '/v1/privacy/requests', headers, payload: body });
  if (started.statusCode !== 202) throw new Error(`request: ${started.statusCode} ${started.body}`);
  const { id } = started.json() as { id: string };
  const deadline = Date.now() + 30_000;
  for (;;) {
    const res = await t.app.inject({ method: 'GET', url: `/v1/privacy/requests/${id}`, headers });
    const request = res.json();
    if (request.status === 'completed' || request.status === 'failed') return request;
    if (Date.now() > deadline) throw new Error(`privacy request did not finish: ${res.body}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function issueIdentitySecret(t: TestApp, apiKey: string, agentId: string): Promise<string> {
  const res = await t.app.inject({
    method: 'POST',
    url: `/v1/agents/${agentId}/identity-secret`,
    headers: { authorization: `Bearer ${apiKey}` },
  });
  if (res.statusCode !== 201) throw new Error(`identity secret: ${res.statusCode} ${res.body}`);
  return (res.json() as { secret: string }).secret;
}
