import { randomBytes } from 'node:crypto';
import { symmetricDecrypt, symmetricEncrypt } from 'better-auth/crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../platform/config.js';
import { makeKeyring } from '../../platform/crypto/keyring.js';
import { createTestDatabase, type TestDatabase } from '../../platform/db/test-database.js';
import { authSecrets, createAuth, trustedOrigins } from './better-auth.js';

const config = (env: Record<string, string> = {}) =>
  loadConfig({ NODE_ENV: 'test', CONFIDANT_DATA_DIR: '/nonexistent-confidant-test-dir', ...env });

describe('auth secrets', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('pglite');
  });
  afterAll(() => database?.drop());

  it('derive the current secret from the keyring and keep older master-key versions decrypting', async () => {
    const v1 = randomBytes(32);
    const v2 = randomBytes(32);
    const before = makeKeyring(new Map([[1, v1]]));
    const after = makeKeyring(
      new Map([
        [1, v1],
        [2, v2],
      ]),
    );
    expect(authSecrets(config(), before)).toEqual([
      { version: 1, value: before.derive('better-auth').toString('base64url') },
    ]);
    expect(authSecrets(config(), after).map((s) => s.version)).toEqual([2, 1]);

    // A TOTP secret sealed before the master key was rotated still opens afterwards.
    const old = await createAuth({ config: config(), database, keyring: before }).$context;
    const sealed = await symmetricEncrypt({ key: old.secretConfig, data: 'totp-secret' });
    const rotated = await createAuth({ config: config(), database, keyring: after }).$context;
    expect(await symmetricDecrypt({ key: rotated.secretConfig, data: sealed })).toBe('totp-secret');
    expect(await symmetricEncrypt({ key: rotated.secretConfig, data: 'x' })).toMatch(/^\$ba\$2\$/);
  });

  it('use CONFIDANT_AUTH_SECRET alone when it is set', () => {
    const secret = 'an operator chosen secret of more than 32 chars';
    const keyring = makeKeyring(new Map([[1, randomBytes(32)]]));
    expect(authSecrets(config({ CONFIDANT_AUTH_SECRET: secret }), keyring)).toEqual([
      { version: 0, value: secret },
    ]);
  });

  it('trust the public URL only, or the local addresses without one', () => {
    expect(trustedOrigins(config({ PUBLIC_URL: 'https://support.example.com/console' }))).toEqual([
      'https://support.example.com',
    ]);
    expect(trustedOrigins(config({ PORT: '8080' }))).toEqual([
      'http://localhost:8080',
      'http://127.0.0.1:8080',
    ]);
  });
});
