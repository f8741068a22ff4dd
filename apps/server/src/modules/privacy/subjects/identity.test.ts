import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Keyring, makeKeyring } from '../../../platform/crypto/keyring.js';
import { auditLog, visitorIdentities } from '../../../platform/db/schema/index.js';
import { withTenant } from '../../../platform/db/tenancy.js';
import { testDatabaseKinds } from '../../../platform/db/test-database.js';
import { createTestApp, type TestApp } from '../../../testing/test-app.js';
import { readEvents } from '../../conversations/testing/sse-client.js';
import {
  createWidgetOrg,
  listen,
  sendMessage,
  startConversation,
  type WidgetOrg,
} from '../../conversations/testing/widget-fixture.js';
import { findSubjectConversations } from '../requests/find-subject-conversations.js';
import type { Subject } from '../requests/subject.js';
import { issueIdentitySecret, visitorPost } from '../testing/subject-fixture.js';
import { readIdentity } from './record-identity.js';
import { rehashSubjectLookups } from './rehash-subjects.js';
import { identityHmac } from './verify-identity.js';

/**
 * Confidant.identify, server side: only an identity signed with the agent's current identity
 * secret is recorded; a wrong signature, an old (rotated) secret or an agent without a secret is
 * a 403 problem and leaves nothing behind. The secret is shown once and stored encrypted.
 */
describe.each(testDatabaseKinds)('visitor identity on %s', (kind) => {
  let t: TestApp;
  let base: string;
  let org: WidgetOrg;

  const identities = (conversationId: string) =>
    withTenant(t.database, [org.orgId], (tx) =>
      tx
        .select()
        .from(visitorIdentities)
        .where(
          and(eq(visitorIdentities.orgId, org.orgId), eq(visitorIdentities.conversationId, conversationId)),
        ),
    );
  const identifiedAudits = () =>
    withTenant(t.database, [org.orgId], (tx) =>
      tx
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.orgId, org.orgId), eq(auditLog.action, 'visitor.identified'))),
    );

  beforeAll(async () => {
    t = await createTestApp({ kind });
    org = await createWidgetOrg(t, 'Lumen', {}, []);
    base = await listen(t);
  });
  afterAll(() => t?.close());

  it('refuses every identity while the agent has no identity secret', async () => {
    const c = await startConversation(base, org.agentKey);
    const res = await visitorPost(base, c, '/identify', { userId: 'u-1', hmac: 'a'.repeat(64) });
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(await identities(c.conversationId)).toEqual([]);
    const status = await t.app.inject({
      method: 'GET',
      url: `/v1/agents/${org.agentId}/identity-secret`,
      headers: { authorization: `Bearer ${org.apiKey}` },
    });
    expect(status.json()).toEqual({ configured: false });
  });

  it('records a correctly signed identity (encrypted) and rejects a wrong HMAC with nothing stored', async () => {
    const secret = await issueIdentitySecret(t, org.apiKey, org.agentId);
    expect(secret).toMatch(/^cis_/);
    const c = await startConversation(base, org.agentKey);

    const forged = await visitorPost(base, c, '/identify', {
      userId: 'user-42',
      email: 'ada@example.com',
      hmac: identityHmac(secret, 'user-41'),
    });
    expect(forged.status).toBe(403);
    expect((await forged.json()).detail).toMatch(/signature/);
    expect(await identities(c.conversationId)).toEqual([]);
    expect(await identifiedAudits()).toEqual([]);

    const ok = await visitorPost(base, c, '/identify', {
      userId: 'user-42',
      email: 'Ada@Example.com',
      name: 'Ada Lovelace',
      hmac: identityHmac(secret, 'user-42').toUpperCase(),
    });
    expect(ok.status).toBe(204);
    const [row] = await identities(c.conversationId);
    // Stored as keyed hashes and ciphertext only.
    expect(JSON.stringify(row)).not.toMatch(/user-42|ada@|Lovelace/i);
    const clear = await withTenant(t.database, [org.orgId], (tx) =>
      readIdentity(tx, t.keyring, org.orgId, c.conversationId),
    );
    expect(clear).toMatchObject({ userId: 'user-42', email: 'ada@example.com', name: 'Ada Lovelace' });
    // Operators read it in the conversation.
    const detail = await t.app.inject({
      method: 'GET',
      url: `/v1/conversations/${c.conversationId}`,
      headers: { authorization: `Bearer ${org.apiKey}` },
    });
    expect(detail.json().identity).toMatchObject({
      userId: 'user-42',
      email: 'ada@example.com',
      name: 'Ada Lovelace',
    });
    const audits = await identifiedAudits();
    expect(audits).toHaveLength(1);
    expect(JSON.stringify(audits[0])).not.toMatch(/user-42|ada@|Lovelace/i);
  });

  it('rejects signatures made with a rotated-out secret', async () => {
    const old = await issueIdentitySecret(t, org.apiKey, org.agentId);
    const current = await issueIdentitySecret(t, org.apiKey, org.agentId);
    expect(current).not.toBe(old);
    const c = await startConversation(base, org.agentKey);
    const stale = await visitorPost(base, c, '/identify', { userId: 'u-7', hmac: identityHmac(old, 'u-7') });
    expect(stale.status).toBe(403);
    const fresh = await visitorPost(base, c, '/identify', {
      userId: 'u-7',
      hmac: identityHmac(current, 'u-7'),
    });
    expect(fresh.status).toBe(204);
  });

  it('re-hashes lookups under a rotated master key, so subjects are still found', async () => {
    const secret = await issueIdentitySecret(t, org.apiKey, org.agentId);
    const c = await startConversation(base, org.agentKey);
    await readEvents(
      await sendMessage(base, c.conversationId, c.token, { text: 'hello', clientMessageId: 'rh-1' }),
    );
    expect(
      (await visitorPost(base, c, '/identify', { userId: 'rot-1', hmac: identityHmac(secret, 'rot-1') }))
        .status,
    ).toBe(204);
    expect(
      (
        await visitorPost(base, c, '/contact', {
          email: 'rot@example.com',
          consent: true,
          purpose: 'reply_by_email',
        })
      ).status,
    ).toBe(204);
    const rotated = makeKeyring(new Map([...t.keyring.keys, [t.keyring.current + 1, randomBytes(32)]]));
    const find = (keyring: Keyring, subject: Subject) =>
      withTenant(t.database, [org.orgId], (tx) => findSubjectConversations(tx, keyring, org.orgId, subject));
    // A user id is found only through its hash: stale until re-hashed.
    expect(await find(rotated, { kind: 'userId', value: 'rot-1' })).toEqual([]);
    expect(await rehashSubjectLookups(t.database, rotated)).toBeGreaterThanOrEqual(2);
    expect(await find(rotated, { kind: 'userId', value: 'rot-1' })).toEqual([c.conversationId]);
    expect(await find(rotated, { kind: 'email', value: 'rot@example.com' })).toEqual([c.conversationId]);
    expect(await rehashSubjectLookups(t.database, rotated)).toBe(0);
  });

  it('validates the body and the token', async () => {
    const c = await startConversation(base, org.agentKey);
    expect((await visitorPost(base, c, '/identify', { userId: 'u', hmac: 'xyz' })).status).toBe(400);
    expect((await visitorPost(base, c, '/identify', { hmac: 'a'.repeat(64) })).status).toBe(400);
    const other = await startConversation(base, org.agentKey);
    const crossed = await visitorPost(base, { ...c, token: other.token }, '/identify', {
      userId: 'u',
      hmac: 'a'.repeat(64),
    });
    expect(crossed.status).toBe(404);
    const asViewer = await t.app.inject({
      method: 'POST',
      url: `/v1/agents/${org.agentId}/identity-secret`,
      headers: {
        authorization: `Bearer ${
          (
            await t.app.inject({
              method: 'POST',
              url: '/v1/api-keys',
              headers: { authorization: `Bearer ${org.apiKey}` },
              payload: { name: 'v', role: 'viewer' },
            })
          ).json().key
        }`,
      },
    });
    expect(asViewer.statusCode).toBe(403);
  });
});
