import { SITE } from './widget-fixture.js';

/**
 * Test and benchmark helpers against a running server reached by URL only (a child process, see
 * testing/server-process.ts): provisioning as an integrator would, with the platform key, and the
 * operator API called with the org's owner key.
 */
export type RemoteOrg = { orgId: string; apiKey: string; agentKey: string };

async function expectJson<T>(res: Response, status: number, what: string): Promise<T> {
  if (res.status !== status) throw new Error(`${what}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** POST /v1/orgs (platform key), then POST /v1/agents (the new org's owner key) allowing SITE. */
export async function provisionWidgetOrg(url: string, platformKey: string, name: string): Promise<RemoteOrg> {
  const org = await expectJson<{ orgId: string; apiKey: string }>(
    await fetch(`${url}/v1/orgs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${platformKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name }),
    }),
    201,
    'create org',
  );
  const agent = await expectJson<{ publishableKey: string }>(
    await fetch(`${url}/v1/agents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${org.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: `${name} helper`, allowedOrigins: [SITE] }),
    }),
    201,
    'create agent',
  );
  return { ...org, agentKey: agent.publishableKey };
}

/** POST /v1/conversations/{id}/{action} with an API key; returns the status and parsed body. */
export async function operatorCall(
  url: string,
  apiKey: string,
  conversationId: string,
  action: 'messages' | 'handback' | 'close' | 'reopen',
  body: object = {},
): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${url}/v1/conversations/${conversationId}/${action}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}
