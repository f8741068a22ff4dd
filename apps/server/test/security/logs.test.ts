import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_ORIGIN, ConsoleClient } from '../../src/modules/auth/test-console-client.js';
import { errorForLog } from '../../src/platform/logger.js';
import { createTestApp, type TestApp } from '../../src/testing/test-app.js';

/**
 * No personal data or secrets in logs: drive the real surfaces with canary values (API key,
 * visitor email and message, knowledge text, console password) at log level debug, then search
 * everything that was logged.
 */
describe('logs', () => {
  let t: TestApp;
  const lines: string[] = [];
  const canaries = {
    email: 'canary.visitor@example.com',
    message: 'Tangerine-otter-quartz',
    knowledge: 'Marmalade-heron-basalt',
    consoleEmail: 'canary.console@example.com',
    password: 'Canary-password-1234',
  };

  beforeAll(async () => {
    t = await createTestApp({
      env: { LOG_LEVEL: 'debug', PUBLIC_URL: CONSOLE_ORIGIN, CONFIDANT_ALLOW_SIGNUP: 'true' },
      logStream: { write: (line) => lines.push(line) },
    });
  });
  afterAll(() => t?.close());

  it('carry ids and routes but no credentials, personal data or content', async () => {
    const { apiKey } = await t.createOrg('Logged org');
    const auth = { authorization: `Bearer ${apiKey}` };
    const agent = await t.app.inject({
      method: 'POST',
      url: '/v1/agents',
      headers: auth,
      payload: { name: 'Logged agent', allowedOrigins: ['*'] },
    });
    const source = await t.app.inject({
      method: 'POST',
      url: '/v1/knowledge/sources',
      headers: auth,
      payload: {
        type: 'text',
        title: 'Canary',
        content: `# Canary\n\n${canaries.knowledge} facts about returns.`,
      },
    });
    // Indexed by the job worker, whose logs are checked too.
    await t.waitForSource(apiKey, source.json().id);
    const conversation = await t.app.inject({
      method: 'POST',
      url: '/v1/widget/conversations?source=x',
      payload: { agentKey: agent.json().publishableKey },
    });
    const { conversationId, token } = conversation.json();
    const answer = await t.app.inject({
      method: 'POST',
      url: `/v1/widget/conversations/${conversationId}/messages`,
      headers: { authorization: `Bearer ${token}` },
      payload: {
        text: `${canaries.message}: my email is ${canaries.email}, returns?`,
        clientMessageId: 'log-1',
      },
    });
    expect(answer.statusCode).toBe(200);
    const console = new ConsoleClient(t.app);
    expect((await console.signUp(canaries.consoleEmail, canaries.password)).statusCode).toBe(200);
    await console.signIn(canaries.consoleEmail, 'Wrong-password-999');
    await t.app.inject({
      method: 'GET',
      url: '/v1/agents',
      headers: { authorization: 'Bearer ck_bogus_but_long_enough_1234567890' },
    });

    const logged = lines.join('\n');
    expect(lines.length).toBeGreaterThan(10);
    expect(logged).toContain('"reqId"');
    for (const [name, value] of Object.entries({ ...canaries, apiKey, token })) {
      expect(logged.includes(value), `${name} appears in the logs`).toBe(false);
    }
    expect(logged).not.toMatch(/ck_[A-Za-z0-9_-]{20,}/);
    expect(logged.toLowerCase()).not.toContain('"authorization"');
    expect(logged).not.toContain('source=x');
  });

  it('errorForLog drops messages that can quote query parameters or values', () => {
    const cause = Object.assign(new Error('duplicate key value violates unique constraint'), {
      code: '23505',
      constraint: 'users_email_idx',
      table: 'users',
      detail: `Key (email)=(${canaries.email}) already exists.`,
    });
    const error = Object.assign(new Error(`Failed query: insert into users ...\nparams: ${canaries.email}`), {
      name: 'DrizzleQueryError',
      cause,
    });
    const logged = JSON.stringify(errorForLog(error));
    expect(logged).not.toContain(canaries.email);
    expect(JSON.parse(logged)).toMatchObject({
      type: 'DrizzleQueryError',
      causeCode: '23505',
      constraint: 'users_email_idx',
      table: 'users',
    });
  });
});
