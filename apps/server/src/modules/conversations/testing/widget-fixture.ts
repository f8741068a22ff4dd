import type { AddressInfo } from 'node:net';
import type { TestApp } from '../../../testing/test-app.js';
import { type HelpArticle, helpCenter } from '../../answers/testing/help-center.js';

/**
 * Test helpers for the widget API over a real socket: an org with knowledge (added through the
 * knowledge API, as an admin would) and an agent, plus thin fetch wrappers for the widget calls.
 */
export const SITE = 'https://shop.example';

export type WidgetOrg = { orgId: string; apiKey: string; agentId: string; agentKey: string };

export async function listen(t: TestApp): Promise<string> {
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = t.app.server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

export async function createWidgetOrg(
  t: TestApp,
  name: string,
  agent: Record<string, unknown> = {},
  articles: HelpArticle[] = helpCenter,
): Promise<WidgetOrg> {
  const { orgId, apiKey } = await t.createOrg(name);
  const headers = { authorization: `Bearer ${apiKey}` };
  for (const article of articles) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/knowledge/sources',
      headers,
      payload: { type: 'text', title: article.title, content: article.content },
    });
    if (res.statusCode !== 201) throw new Error(`knowledge: ${res.body}`);
    // Indexing is a job: wait until the article is searchable.
    const source = await t.waitForSource(apiKey, res.json().id);
    if (source.status !== 'ready') throw new Error(`knowledge: ${JSON.stringify(source)}`);
  }
  const created = await t.app.inject({
    method: 'POST',
    url: '/v1/agents',
    headers,
    payload: {
      name: `${name} helper`,
      greeting: 'Hi! How can I help?',
      starters: ['Where is my order?'],
      allowedOrigins: [SITE],
      ...agent,
    },
  });
  if (created.statusCode !== 201) throw new Error(`agent: ${created.body}`);
  return { orgId, apiKey, agentId: created.json().id, agentKey: created.json().publishableKey };
}

export async function startConversation(
  baseUrl: string,
  agentKey: string,
  origin: string | null = SITE,
): Promise<{ conversationId: string; token: string }> {
  const res = await fetch(`${baseUrl}/v1/widget/conversations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(origin ? { origin } : {}) },
    body: JSON.stringify({ agentKey }),
  });
  if (res.status !== 201) throw new Error(`conversation: ${res.status} ${await res.text()}`);
  return (await res.json()) as { conversationId: string; token: string };
}

export function sendMessage(
  baseUrl: string,
  conversationId: string,
  token: string,
  body: { text: string; clientMessageId: string },
  options: { origin?: string | null; signal?: AbortSignal } = {},
): Promise<Response> {
  const origin = options.origin === undefined ? SITE : options.origin;
  return fetch(`${baseUrl}/v1/widget/conversations/${conversationId}/messages`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
      ...(origin ? { origin } : {}),
    },
    body: JSON.stringify(body),
    ...(options.signal ? { signal: options.signal } : {}),
  });
}
