import { setTimeout as sleep } from 'node:timers/promises';
import { helpCenter } from '../../apps/server/src/modules/answers/testing/help-center.js';
import {
  SITE,
  startConversation,
} from '../../apps/server/src/modules/conversations/testing/widget-fixture.js';

/**
 * Sets up what the bench measures through the public API only, as an integrator would: an org
 * (platform key), the Lumen Lamps help centre as knowledge (indexed by the job worker), the
 * bench model server as the org's provider, one extractive and one model agent, and a pool of
 * widget conversations per agent.
 */
export type BenchOrg = {
  orgId: string;
  apiKey: string;
  agents: Record<'extractive' | 'model', { id: string; key: string }>;
};

export type Conversation = { id: string; token: string; url: string };

async function call<T>(url: string, key: string, method: string, path: string, body?: object): Promise<T> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export async function provisionBenchOrg(
  url: string,
  platformKey: string,
  modelBaseUrl: string,
): Promise<BenchOrg> {
  const org = await call<{ orgId: string; apiKey: string }>(url, platformKey, 'POST', '/v1/orgs', {
    name: 'Chat bench',
  });
  const sources: string[] = [];
  for (const article of helpCenter) {
    const created = await call<{ id: string }>(url, org.apiKey, 'POST', '/v1/knowledge/sources', {
      type: 'text',
      title: article.title,
      content: article.content,
    });
    sources.push(created.id);
  }
  for (const id of sources) {
    for (let tries = 0; ; tries++) {
      const s = await call<{ status: string }>(url, org.apiKey, 'GET', `/v1/knowledge/sources/${id}`);
      if (s.status === 'ready') break;
      if (s.status === 'failed' || tries > 600) throw new Error(`knowledge source ${id}: ${s.status}`);
      await sleep(100);
    }
  }
  await call(url, org.apiKey, 'PUT', '/v1/model-provider', {
    baseUrl: modelBaseUrl,
    model: 'bench-model',
    apiKey: 'sk-bench',
  });
  const agent = async (answerMode: 'extractive' | 'model') => {
    const a = await call<{ id: string; publishableKey: string }>(url, org.apiKey, 'POST', '/v1/agents', {
      name: `Bench ${answerMode}`,
      allowedOrigins: [SITE],
      answerMode,
    });
    return { id: a.id, key: a.publishableKey };
  };
  return { ...org, agents: { extractive: await agent('extractive'), model: await agent('model') } };
}

/** `count` widget conversations of one agent, spread over the API servers. */
export async function openConversations(
  urls: string[],
  agentKey: string,
  count: number,
): Promise<Conversation[]> {
  const out: Conversation[] = [];
  for (let i = 0; i < count; i++) {
    const url = urls[i % urls.length]!;
    const { conversationId, token } = await startConversation(url, agentKey);
    out.push({ id: conversationId, token, url });
  }
  return out;
}

/** Questions the help centre answers (the extractive answerer answers them, no handoff). */
export const QUESTIONS = [
  'How long does standard shipping take?',
  'Do you ship to Canada?',
  'How do I return an item?',
  'When do I get my money back after a return?',
  'How much does express shipping cost?',
];

export { SITE };
