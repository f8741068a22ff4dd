import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../testing/test-app.js';
import { MAX_REDACT_TEXT } from './redact-route.js';

/** The admin redaction tester: typed spans, no values echoed, admin only, bounded, never logged. */
describe('POST /v1/privacy/redact', () => {
  let t: TestApp;
  let admin: string;
  const logs: string[] = [];
  const post = (key: string, payload: unknown) =>
    t.app.inject({
      method: 'POST',
      url: '/v1/privacy/redact',
      headers: { authorization: `Bearer ${key}` },
      payload: payload as object,
    });

  beforeAll(async () => {
    t = await createTestApp({
      env: { LOG_LEVEL: 'debug' },
      logStream: { write: (line) => void logs.push(line) },
    });
    admin = (await t.createOrg('Redaction')).apiKey;
  });
  afterAll(() => t?.close());

  it('returns the redacted text and typed offsets, never the values', async () => {
    const text =
      'Hi, my name is Anna Schmidt, mail anna.schmidt@example.de or call +49 30 12345678 ext. 12. ' +
      'SSN 123-45-6789, IBAN de89 3704 0044 0532 0130 00. Order #4411 costs $19.99.';
    const res = await post(admin, { text });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as { redacted: string; entities: { type: string; start: number; end: number }[] };
    expect(body.redacted).toBe(
      'Hi, my name is [PERSON_1], mail [EMAIL_1] or call [PHONE_1]. SSN [SSN_1], IBAN [IBAN_1]. Order #4411 costs $19.99.',
    );
    expect(body.entities.map((e) => [e.type, text.slice(e.start, e.end)])).toEqual([
      ['PERSON', 'Anna Schmidt'],
      ['EMAIL', 'anna.schmidt@example.de'],
      ['PHONE', '+49 30 12345678 ext. 12'],
      ['SSN', '123-45-6789'],
      ['IBAN', 'de89 3704 0044 0532 0130 00'],
    ]);
    for (const e of body.entities) expect(Object.keys(e).sort()).toEqual(['end', 'start', 'type']);
    expect(res.body).not.toContain('Schmidt');
    expect(logs.length).toBeGreaterThan(0); // the request was logged, without its body
    expect(logs.join('\n')).not.toContain('Schmidt');
    expect(logs.join('\n')).not.toContain('anna.schmidt');
  });

  it('rejects bad input with problem+json 400 and non-admins with 403', async () => {
    for (const payload of [
      {},
      { text: '' },
      { text: 42 },
      { text: 'x'.repeat(MAX_REDACT_TEXT + 1) },
      { text: 'a', extra: 1 },
    ]) {
      const res = await post(admin, payload);
      expect(res.statusCode, JSON.stringify(payload).slice(0, 40)).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    const agent = await t.app.inject({
      method: 'POST',
      url: '/v1/api-keys',
      headers: { authorization: `Bearer ${admin}` },
      payload: { name: 'agent', role: 'agent' },
    });
    expect((await post(agent.json().key, { text: 'hello' })).statusCode).toBe(403);
    expect(
      (await t.app.inject({ method: 'POST', url: '/v1/privacy/redact', payload: { text: 'x' } })).statusCode,
    ).toBe(401);
  });
});
