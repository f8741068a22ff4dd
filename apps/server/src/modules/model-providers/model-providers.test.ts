import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envelopeKeyVersion } from '../../platform/crypto/envelope.js';
import { makeKeyring } from '../../platform/crypto/keyring.js';
import { testDatabaseKinds } from '../../platform/db/test-database.js';
import { findInEveryColumn, openSuperuserSql, type SuperuserSql } from '../../testing/superuser-sql.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { loadOrgModelProvider } from './service.js';

describe.each(testDatabaseKinds)('model provider settings on %s', (kind) => {
  let t: TestApp;
  let su: SuperuserSql;
  let orgA: { orgId: string; apiKey: string };
  let orgB: { orgId: string; apiKey: string };
  // Distinctive, so a hit anywhere in the database can only be a leak of this very key.
  const providerKey = `sk-canary-${randomBytes(24).toString('hex')}`;

  beforeAll(async () => {
    // Every provider host resolves to a public address (the guard's own cases are in
    // provider-url-guard.test.ts); nothing here connects to it.
    t = await createTestApp({ kind, resolveHost: async () => [{ address: '93.184.215.14', family: 4 }] });
    orgA = await t.createOrg('A');
    orgB = await t.createOrg('B');
    su = await openSuperuserSql(t.database);
  });
  afterAll(async () => {
    await su?.close();
    await t?.close();
  });

  const call = (
    who: { apiKey: string },
    method: 'GET' | 'PUT' | 'DELETE',
    payload?: Record<string, unknown>,
  ) =>
    t.app.inject({
      method,
      url: '/v1/model-provider',
      headers: { authorization: `Bearer ${who.apiKey}` },
      ...(payload !== undefined ? { payload } : {}),
    });

  const rowOf = async (orgId: string) =>
    (
      await su.query<{ id: string; api_key_ciphertext: string | null }>(
        'select id, api_key_ciphertext from model_providers where org_id = $1',
        [orgId],
      )
    )[0];

  it('is 404 until set, then stores the key encrypted and never returns it', async () => {
    expect((await call(orgA, 'GET')).statusCode).toBe(404);
    const put = await call(orgA, 'PUT', {
      baseUrl: 'https://canary-llm.example/v1',
      model: 'canary-model',
      apiKey: providerKey,
    });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toEqual({
      baseUrl: 'https://canary-llm.example/v1',
      model: 'canary-model',
      hasApiKey: true,
      updatedAt: expect.any(String),
    });
    expect(put.body).not.toContain(providerKey);
    const got = await call(orgA, 'GET');
    expect(got.json()).toEqual(put.json());
    expect(got.body).not.toContain(providerKey);

    expect(await loadOrgModelProvider(t.database, t.keyring, orgA.orgId)).toEqual({
      providerId: expect.any(String),
      timeoutMs: 30_000,
      maxRetries: 1,
      kind: 'openai-compatible',
      baseUrl: 'https://canary-llm.example/v1',
      model: 'canary-model',
      apiKey: providerKey,
    });
    // Another org sees nothing of A's settings.
    expect((await call(orgB, 'GET')).statusCode).toBe(404);
    expect(await loadOrgModelProvider(t.database, t.keyring, orgB.orgId)).toBeNull();
  });

  it('leaves no plain-text trace of the key in any column of any table', async () => {
    // The scanner itself works: it finds values that are stored in plain text.
    expect(await findInEveryColumn(su, 'canary-model')).toEqual([
      { table: 'public.model_providers', column: 'models', count: 1 },
    ]);
    expect(await findInEveryColumn(su, providerKey)).toEqual([]);
    // Nor a distinctive part of it, nor its base64 or hex forms.
    expect(await findInEveryColumn(su, providerKey.slice(15, 35))).toEqual([]);
    expect(await findInEveryColumn(su, Buffer.from(providerKey).toString('base64').slice(4, 40))).toEqual([]);
    expect(await findInEveryColumn(su, Buffer.from(providerKey).toString('hex').slice(8, 48))).toEqual([]);
    const row = await rowOf(orgA.orgId);
    expect(row?.api_key_ciphertext).toMatch(/^ev1\.1\./);
  });

  it('audits changes with a flag only', async () => {
    const entries = await su.query<{ action: string; metadata: unknown }>(
      "select action, metadata from audit_log where org_id = $1 and action like 'model_provider.%' order by seq",
      [orgA.orgId],
    );
    expect(entries).toEqual([{ action: 'model_provider.created', metadata: { hasApiKey: true } }]);
  });

  it('keeps the key when it is omitted, clears it with null', async () => {
    const kept = await call(orgA, 'PUT', { baseUrl: 'https://llm.example/v1', model: 'm2' });
    expect(kept.json()).toMatchObject({ baseUrl: 'https://llm.example/v1', model: 'm2', hasApiKey: true });
    expect((await loadOrgModelProvider(t.database, t.keyring, orgA.orgId))?.apiKey).toBe(providerKey);

    const cleared = await call(orgA, 'PUT', { baseUrl: 'https://llm.example/v1', model: 'm2', apiKey: null });
    expect(cleared.json().hasApiKey).toBe(false);
    expect((await rowOf(orgA.orgId))?.api_key_ciphertext).toBeNull();
    expect(await loadOrgModelProvider(t.database, t.keyring, orgA.orgId)).toEqual({
      providerId: expect.any(String),
      timeoutMs: 30_000,
      maxRetries: 1,
      kind: 'openai-compatible',
      baseUrl: 'https://llm.example/v1',
      model: 'm2',
    });
  });

  it('answers bad input with 400 problem+json and changes nothing', async () => {
    const before = await call(orgA, 'GET');
    const bad = [
      { baseUrl: 'ftp://x.example', model: 'm' },
      { baseUrl: 'not a url', model: 'm' },
      { baseUrl: 'https://user:pw@x.example/v1', model: 'm' },
      { baseUrl: 'https://x.example', model: '' },
      { baseUrl: 'https://x.example', model: 'x'.repeat(201) },
      { baseUrl: 'https://x.example', model: 'm', apiKey: '' },
      { baseUrl: 'https://x.example', model: 'm', apiKey: 'k'.repeat(501) },
      { baseUrl: 'https://x.example', model: 'm', apiKey: 42 },
      { baseUrl: 'https://x.example', model: 'm', extra: true },
      { model: 'm' },
    ];
    for (const payload of bad) {
      const res = await call(orgA, 'PUT', payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    expect((await call(orgA, 'GET')).json()).toEqual(before.json());
  });

  it('needs the admin role to change or read it', async () => {
    const issued = await t.app.inject({
      method: 'POST',
      url: '/v1/api-keys',
      headers: { authorization: `Bearer ${orgA.apiKey}` },
      payload: { name: 'viewer', role: 'viewer' },
    });
    const viewer = { apiKey: issued.json().key as string };
    expect((await call(viewer, 'PUT', { baseUrl: 'https://x.example', model: 'm' })).statusCode).toBe(403);
    expect((await call(viewer, 'GET')).statusCode).toBe(403);
    expect((await call(viewer, 'DELETE')).statusCode).toBe(403);
    expect((await call({ apiKey: 'ck_bogus' }, 'GET')).statusCode).toBe(401);
  });

  it('binds the ciphertext to its org and row: a copy into another org does not decrypt', async () => {
    await call(orgA, 'PUT', { baseUrl: 'https://a.example/v1', model: 'a', apiKey: providerKey });
    await call(orgB, 'PUT', { baseUrl: 'https://b.example/v1', model: 'b', apiKey: 'sk-b-key' });
    const stolen = (await rowOf(orgA.orgId))!.api_key_ciphertext!;
    await su.query('update model_providers set api_key_ciphertext = $1 where org_id = $2', [
      stolen,
      orgB.orgId,
    ]);
    await expect(loadOrgModelProvider(t.database, t.keyring, orgB.orgId)).rejects.toThrow(
      /cannot be decrypted: ciphertext does not authenticate/,
    );
    // The rightful owner still reads it.
    expect((await loadOrgModelProvider(t.database, t.keyring, orgA.orgId))?.apiKey).toBe(providerKey);
  });

  it('fails clearly when the key version is not in the keyring', async () => {
    const stored = (await rowOf(orgA.orgId))!.api_key_ciphertext!;
    expect(envelopeKeyVersion(stored)).toBe(1);
    const otherKeyring = makeKeyring(new Map([[2, randomBytes(32)]]));
    await expect(loadOrgModelProvider(t.database, otherKeyring, orgA.orgId)).rejects.toThrow(
      /master key version 1 is not in the keyring/,
    );
    const wrongKey = makeKeyring(new Map([[1, randomBytes(32)]]));
    await expect(loadOrgModelProvider(t.database, wrongKey, orgA.orgId)).rejects.toThrow(
      /cannot be decrypted/,
    );
  });

  it('deletes the settings and the stored key', async () => {
    expect((await call(orgA, 'DELETE')).statusCode).toBe(204);
    expect((await call(orgA, 'GET')).statusCode).toBe(404);
    expect((await call(orgA, 'DELETE')).statusCode).toBe(404);
    expect(await rowOf(orgA.orgId)).toBeUndefined();
    expect(await findInEveryColumn(su, providerKey)).toEqual([]);
    const [last] = await su.query<{ action: string; metadata: unknown }>(
      'select action, metadata from audit_log where org_id = $1 order by seq desc limit 1',
      [orgA.orgId],
    );
    expect(last).toEqual({ action: 'model_provider.deleted', metadata: { hasApiKey: true } });
  });
});
