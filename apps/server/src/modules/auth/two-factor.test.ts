import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../platform/db/query-rows.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { testDatabaseKinds } from '../../platform/db/test-database.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { createUserWithMembership } from './service.js';
import { CONSOLE_ORIGIN, ConsoleClient } from './test-console-client.js';
import { base32Decode, totp } from './test-totp.js';

/** A six-digit code that is valid in none of the steps the server accepts (now ± 1). */
function wrongCode(secret: Buffer): string {
  const valid = new Set([-1, 0, 1].map((o) => totp(secret, o)));
  for (let n = 0; ; n++) {
    const candidate = n.toString().padStart(6, '0');
    if (!valid.has(candidate)) return candidate;
  }
}

describe.each(testDatabaseKinds)('TOTP two-factor on %s', (kind) => {
  let t: TestApp;
  let org: { orgId: string; apiKey: string };
  let userId: string;
  let secret: Buffer;
  let backupCodes: string[];
  const email = 'owner@example.com';
  const password = 'a long enough password';

  const auditActions = async () =>
    withTenant(t.database, [org.orgId], (tx) =>
      queryRows<{ action: string; metadata: Record<string, unknown> }>(
        tx,
        sql`select action, metadata from audit_log where actor_id = ${userId} order by seq`,
      ),
    );

  beforeAll(async () => {
    t = await createTestApp({ kind, env: { PUBLIC_URL: CONSOLE_ORIGIN } });
    org = await t.createOrg('Acme');
    ({ userId } = await createUserWithMembership(t, {
      email,
      password,
      name: 'Olga',
      orgId: org.orgId,
      role: 'owner',
    }));
  });
  afterAll(() => t?.close());

  it('enables TOTP: the secret is stored encrypted and confirmed with a code', async () => {
    const client = new ConsoleClient(t.app);
    expect((await client.signIn(email, password)).statusCode).toBe(200);
    const wrongPassword = await client.request({
      method: 'POST',
      url: '/api/auth/two-factor/enable',
      payload: { password: 'not my password' },
    });
    expect(wrongPassword.statusCode).toBe(400);

    const enable = await client.request({
      method: 'POST',
      url: '/api/auth/two-factor/enable',
      payload: { password },
    });
    expect(enable.statusCode, enable.body).toBe(200);
    const uri = new URL(enable.json().totpURI as string);
    expect(uri.protocol).toBe('otpauth:');
    secret = base32Decode(uri.searchParams.get('secret')!);
    backupCodes = enable.json().backupCodes;
    expect(backupCodes.length).toBeGreaterThanOrEqual(5);

    const [row] = await queryRows<{ secret: string; backup_codes: string; verified: boolean }>(
      t.database.db,
      sql`select secret, backup_codes, verified from two_factors where user_id = ${userId}`,
    );
    expect(row!.verified).toBe(false);
    expect(row!.secret).toMatch(/^\$ba\$\d+\$[0-9a-f]+$/);
    expect(row!.secret).not.toContain(secret.toString('utf8'));
    expect(row!.secret).not.toContain(uri.searchParams.get('secret')!);
    for (const code of backupCodes) expect(row!.backup_codes).not.toContain(code);

    // Not enabled until a code proves the authenticator app has the secret.
    expect((await client.request({ method: 'GET', url: '/v1/me' })).json().twoFactorEnabled).toBe(false);
    const bad = await client.request({
      method: 'POST',
      url: '/api/auth/two-factor/verify-totp',
      payload: { code: wrongCode(secret) },
    });
    expect(bad.statusCode).toBe(401);
    const verify = await client.request({
      method: 'POST',
      url: '/api/auth/two-factor/verify-totp',
      payload: { code: totp(secret) },
    });
    expect(verify.statusCode, verify.body).toBe(200);
    const me = await client.request({ method: 'GET', url: '/v1/me' });
    expect(me.statusCode).toBe(200);
    expect(me.json().twoFactorEnabled).toBe(true);
    expect((await auditActions()).map((a) => a.action)).toEqual([
      'user.signed_in',
      'user.two_factor_enabled',
    ]);
  });

  it('then requires the code at sign-in: no session without it, a wrong code fails', async () => {
    const signedInBefore = (await auditActions()).filter((a) => a.action === 'user.signed_in').length;
    const client = new ConsoleClient(t.app);
    const signIn = await client.signIn(email, password);
    expect(signIn.statusCode, signIn.body).toBe(200);
    expect(signIn.json()).toMatchObject({ twoFactorRedirect: true });
    expect([...client.cookies.keys()].some((k) => k.endsWith('session_token'))).toBe(false);
    expect((await client.request({ method: 'GET', url: '/v1/me' })).statusCode).toBe(401);
    expect((await client.inOrg(org.orgId, { method: 'GET', url: '/v1/agents' })).statusCode).toBe(401);

    const wrong = await client.request({
      method: 'POST',
      url: '/api/auth/two-factor/verify-totp',
      payload: { code: wrongCode(secret) },
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.headers['content-type']).toContain('application/problem+json');
    expect((await client.request({ method: 'GET', url: '/v1/me' })).statusCode).toBe(401);

    // The password step alone is not a sign-in: nothing was audited yet.
    expect((await auditActions()).filter((a) => a.action === 'user.signed_in')).toHaveLength(signedInBefore);
    const right = await client.request({
      method: 'POST',
      url: '/api/auth/two-factor/verify-totp',
      payload: { code: totp(secret) },
    });
    expect(right.statusCode, right.body).toBe(200);
    const me = await client.request({ method: 'GET', url: '/v1/me' });
    expect(me.statusCode).toBe(200);
    expect(me.json().id).toBe(userId);
    const signIns = (await auditActions()).filter((a) => a.action === 'user.signed_in');
    expect(signIns).toHaveLength(signedInBefore + 1);
    expect(signIns.at(-1)!.metadata).toEqual({ method: 'totp' });
  });

  it('accepts a backup code once instead of the TOTP code', async () => {
    const first = new ConsoleClient(t.app);
    await first.signIn(email, password);
    const used = await first.request({
      method: 'POST',
      url: '/api/auth/two-factor/verify-backup-code',
      payload: { code: backupCodes[0] },
    });
    expect(used.statusCode, used.body).toBe(200);
    expect((await first.request({ method: 'GET', url: '/v1/me' })).statusCode).toBe(200);

    const second = new ConsoleClient(t.app);
    await second.signIn(email, password);
    const reused = await second.request({
      method: 'POST',
      url: '/api/auth/two-factor/verify-backup-code',
      payload: { code: backupCodes[0] },
    });
    expect(reused.statusCode).toBe(401);
    expect((await second.request({ method: 'GET', url: '/v1/me' })).statusCode).toBe(401);
  });

  it('disables two-factor with the password, audited; sign-in then needs no code', async () => {
    const client = new ConsoleClient(t.app);
    await client.signIn(email, password);
    await client.request({
      method: 'POST',
      url: '/api/auth/two-factor/verify-totp',
      payload: { code: totp(secret) },
    });
    const off = await client.request({
      method: 'POST',
      url: '/api/auth/two-factor/disable',
      payload: { password },
    });
    expect(off.statusCode, off.body).toBe(200);
    expect((await auditActions()).at(-1)!.action).toBe('user.two_factor_disabled');

    const again = new ConsoleClient(t.app);
    const signIn = await again.signIn(email, password);
    expect(signIn.json().twoFactorRedirect).toBeUndefined();
    expect((await again.request({ method: 'GET', url: '/v1/me' })).json().twoFactorEnabled).toBe(false);
  });
});
