import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOrgModelProvider } from '../modules/model-providers/service.js';
import { envelopeKeyVersion } from '../platform/crypto/envelope.js';
import { makeKeyring } from '../platform/crypto/keyring.js';
import { encryptedColumns } from '../platform/db/data-map.js';
import { testDatabaseKinds } from '../platform/db/test-database.js';
import { openSuperuserSql, type SuperuserSql } from '../testing/superuser-sql.js';
import { createTestApp, type TestApp } from '../testing/test-app.js';
import { rewrapAllSecrets } from './rewrap-secrets.js';

describe.each(testDatabaseKinds)('re-wrapping secrets on %s', (kind) => {
  let t: TestApp;
  let su: SuperuserSql;
  let orgA: string;
  let orgB: string;

  const ciphertextOf = async (orgId: string) =>
    (
      await su.query<{ api_key_ciphertext: string }>(
        'select api_key_ciphertext from model_providers where org_id = $1',
        [orgId],
      )
    )[0]!.api_key_ciphertext;

  beforeAll(async () => {
    // llm.example resolves nowhere here; the outbound guard needs a public answer to accept it.
    t = await createTestApp({ kind, resolveHost: async () => [{ address: '93.184.215.14', family: 4 }] });
    su = await openSuperuserSql(t.database);
    const a = await t.createOrg('A');
    const b = await t.createOrg('B');
    orgA = a.orgId;
    orgB = b.orgId;
    for (const [org, key] of [
      [a, 'sk-a-secret'],
      [b, 'sk-b-secret'],
    ] as const) {
      const res = await t.app.inject({
        method: 'PUT',
        url: '/v1/model-provider',
        headers: { authorization: `Bearer ${org.apiKey}` },
        payload: { baseUrl: 'https://llm.example/v1', model: 'm', apiKey: key },
      });
      expect(res.statusCode).toBe(200);
    }
  });
  afterAll(async () => {
    await su?.close();
    await t?.close();
  });

  it('covers the model provider key column', () => {
    expect(encryptedColumns()).toContainEqual({ table: 'model_providers', column: 'api_key_ciphertext' });
  });

  it('re-wraps every value under the new version, then has nothing left to do', async () => {
    const v2 = randomBytes(32);
    const rotated = makeKeyring(
      new Map([
        [1, t.keyring.keys.get(1)!],
        [2, v2],
      ]),
    );
    const first = await rewrapAllSecrets(t.database, rotated);
    expect(first).toMatchObject({ values: 2, rewrapped: 2, failures: [] });
    expect(first.orgs).toBeGreaterThanOrEqual(3);
    expect(envelopeKeyVersion(await ciphertextOf(orgA))).toBe(2);
    expect(envelopeKeyVersion(await ciphertextOf(orgB))).toBe(2);

    const onlyV2 = makeKeyring(new Map([[2, v2]]));
    expect((await loadOrgModelProvider(t.database, onlyV2, orgA))?.apiKey).toBe('sk-a-secret');
    expect((await loadOrgModelProvider(t.database, onlyV2, orgB))?.apiKey).toBe('sk-b-secret');

    expect(await rewrapAllSecrets(t.database, rotated)).toMatchObject({
      values: 2,
      rewrapped: 0,
      failures: [],
    });
  });

  it('reports a value it cannot open and leaves it unchanged', async () => {
    const foreign = await ciphertextOf(orgB);
    await su.query('update model_providers set api_key_ciphertext = $1 where org_id = $2', [foreign, orgA]);
    const v3 = makeKeyring(
      new Map([
        [2, randomBytes(32)],
        [3, randomBytes(32)],
      ]),
    );
    const result = await rewrapAllSecrets(t.database, v3);
    expect(result.rewrapped).toBe(0);
    expect(result.failures).toHaveLength(2);
    expect(result.failures[0]).toMatchObject({ table: 'model_providers', column: 'api_key_ciphertext' });
    expect(result.failures.map((f) => f.reason).join()).toMatch(/does not authenticate/);
    expect(await ciphertextOf(orgA)).toBe(foreign);
  });
});
