import { readFile, stat } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKinds } from '../../platform/db/test-database.js';
import { findInEveryColumn, openSuperuserSql, type SuperuserSql } from '../../testing/superuser-sql.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { sweepNotifications } from '../notifications/jobs/dispatch.js';
import { type SmtpSink, startSmtpSink } from '../notifications/testing/smtp-sink.js';
import { devOutboxDir } from './password-reset-email.js';
import { createUserWithMembership } from './service.js';
import { CONSOLE_ORIGIN, ConsoleClient } from './test-console-client.js';

/**
 * The email-driven account flows end to end, over real HTTP, with a real SMTP server
 * (smtp-server) or the dev outbox: invitation emails (sealed at rest, dropped once sent),
 * accepting an invitation by creating the account from its link, password reset (same answer
 * for unknown emails, old password and sessions dead afterwards, tokens never in plaintext in
 * the database), and who may sign up at all.
 */
const password = 'a long enough password';
const newPassword = 'an even longer new password';

const until = async <T>(read: () => Promise<T | undefined | null | false>, what: string, ms = 15_000) => {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

const linkIn = (text: string, page: string) => {
  const match = new RegExp(`${CONSOLE_ORIGIN}/console/${page}\\?token=([^\\s]+)`).exec(text);
  if (!match) throw new Error(`no ${page} link in: ${text}`);
  return decodeURIComponent(match[1]!);
};

const auditActions = async (su: SuperuserSql, userId: string) =>
  (
    await su.query<{ action: string }>(
      'select action from audit_log where target_id = $1::text or actor_id = $1::text order by seq',
      [userId],
    )
  ).map((r) => r.action);

describe.each(testDatabaseKinds)('email account flows through SMTP on %s', (kind) => {
  let t: TestApp;
  let smtp: SmtpSink;
  let su: SuperuserSql;
  let org: { orgId: string; apiKey: string };
  let owner: ConsoleClient;

  const signedIn = async (email: string, pass = password) => {
    const client = new ConsoleClient(t.app);
    const res = await client.signIn(email, pass);
    if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.body}`);
    return client;
  };

  beforeAll(async () => {
    smtp = await startSmtpSink();
    t = await createTestApp({
      kind,
      env: {
        PUBLIC_URL: CONSOLE_ORIGIN,
        CONFIDANT_SMTP_URL: smtp.url,
        CONFIDANT_SMTP_FROM: 'Acme <a@acme.test>',
      },
    });
    su = await openSuperuserSql(t.database);
    org = await t.createOrg('Acme');
    await createUserWithMembership(t, {
      email: 'olga@example.com',
      password,
      name: 'Olga Owner',
      orgId: org.orgId,
      role: 'owner',
    });
    owner = await signedIn('olga@example.com');
  });
  afterAll(async () => {
    await su?.close();
    await t?.close();
    await smtp?.close();
  });

  it('emails the invitation link; once sent only metadata is kept, never the token', async () => {
    const created = await owner.inOrg(org.orgId, {
      method: 'POST',
      url: '/v1/invitations',
      payload: { email: 'Nina@Example.com', role: 'agent' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const { token, expiresAt } = created.json() as { token: string; expiresAt: string };

    const email = await smtp.waitFor((e) => e.to.includes('nina@example.com'), 'the invitation');
    expect(email.subject).toBe('Olga Owner invited you to Acme on Confidant');
    expect(email.text).toContain('Olga Owner invited you to join Acme on Confidant as an agent.');
    expect(email.text).toContain(`expires on ${expiresAt.slice(0, 16).replace('T', ' ')} UTC`);
    expect(linkIn(email.text, 'accept-invitation')).toBe(token);

    const [row] = await until(async () => {
      const rows = await su.query<{ status: string; sealed_body: string | null; recipient: string }>(
        "select status, sealed_body, recipient from notifications where kind = 'invitation'",
      );
      return rows[0]?.status === 'sent' ? rows : undefined;
    }, 'the invitation row to be marked sent');
    expect(row!.sealed_body).toBeNull();
    expect(row!.recipient).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await findInEveryColumn(su, token)).toEqual([]);
    expect(await findInEveryColumn(su, token.slice(5))).toEqual([]);
  });

  it('lets the invited person create their account from the link, and nobody else sign up', async () => {
    const created = await owner.inOrg(org.orgId, {
      method: 'POST',
      url: '/v1/invitations',
      payload: { email: 'pia@example.com', role: 'viewer' },
    });
    const { token } = created.json() as { token: string };

    const preview = await t.app.inject({
      method: 'POST',
      url: '/v1/invitations/preview',
      payload: { token },
    });
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json()).toMatchObject({
      email: 'pia@example.com',
      orgName: 'Acme',
      role: 'viewer',
      accountExists: false,
    });
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/v1/invitations/preview',
      payload: { token: `cinv_${'x'.repeat(43)}` },
    });
    expect(unknown.statusCode).toBe(404);

    expect((await t.app.inject({ method: 'GET', url: '/v1/auth/sign-up' })).json()).toEqual({
      mode: 'closed',
    });
    const stranger = await new ConsoleClient(t.app).signUp('stranger@example.com', password, 'Stranger');
    expect(stranger.statusCode).toBe(403);
    expect(stranger.json()).toMatchObject({ authCode: 'SIGN_UP_CLOSED' });
    const otherEmail = await new ConsoleClient(t.app).request({
      method: 'POST',
      url: '/api/auth/sign-up/email',
      payload: { email: 'stranger@example.com', password, name: 'Stranger', invitationToken: token },
    });
    expect(otherEmail.statusCode).toBe(403);
    expect(otherEmail.json()).toMatchObject({ authCode: 'INVITATION_NOT_VALID' });
    expect(await su.query("select 1 from users where email = 'stranger@example.com'")).toEqual([]);

    const pia = new ConsoleClient(t.app);
    const up = await pia.request({
      method: 'POST',
      url: '/api/auth/sign-up/email',
      payload: { email: 'Pia@example.com', password, name: 'Pia', invitationToken: token },
    });
    expect(up.statusCode, up.body).toBe(200);
    const me = await pia.request({ method: 'GET', url: '/v1/me' });
    expect(me.json().memberships).toEqual([{ orgId: org.orgId, orgName: 'Acme', role: 'viewer' }]);
    // Spent: neither another sign-up nor a preview works with it any more.
    const again = await t.app.inject({ method: 'POST', url: '/v1/invitations/preview', payload: { token } });
    expect(again.statusCode).toBe(410);
  });

  it('resets a password by email: same answer for unknown emails, old password and sessions dead', async () => {
    const { userId } = await createUserWithMembership(t, {
      email: 'rita@example.com',
      password,
      name: 'Rita',
      orgId: org.orgId,
      role: 'agent',
    });
    const laptop = await signedIn('rita@example.com');
    const phone = await signedIn('rita@example.com');

    const ask = (email: string) =>
      new ConsoleClient(t.app).request({
        method: 'POST',
        url: '/api/auth/request-password-reset',
        payload: { email },
      });
    const known = await ask('rita@example.com');
    const unknown = await ask('nobody-here@example.com');
    expect(known.statusCode, known.body).toBe(200);
    expect(unknown.statusCode).toBe(known.statusCode);
    expect(unknown.body).toBe(known.body);

    const email = await smtp.waitFor((e) => e.to.includes('rita@example.com'), 'the reset email');
    expect(email.subject).toBe('Reset your Confidant password');
    const token = linkIn(email.text, 'reset-password');
    // Stored only hashed (Better Auth's verification table), and nowhere else.
    expect(await findInEveryColumn(su, token)).toEqual([]);
    expect(smtp.received.some((e) => e.to.includes('nobody-here@example.com'))).toBe(false);

    const tooShort = await new ConsoleClient(t.app).request({
      method: 'POST',
      url: '/api/auth/reset-password',
      payload: { token, newPassword: 'short' },
    });
    expect(tooShort.statusCode).toBe(400);
    const reset = await new ConsoleClient(t.app).request({
      method: 'POST',
      url: '/api/auth/reset-password',
      payload: { token, newPassword },
    });
    expect(reset.statusCode, reset.body).toBe(200);

    for (const client of [laptop, phone])
      expect((await client.request({ method: 'GET', url: '/v1/me' })).statusCode).toBe(401);
    expect((await new ConsoleClient(t.app).signIn('rita@example.com', password)).statusCode).toBe(401);
    expect((await new ConsoleClient(t.app).signIn('rita@example.com', newPassword)).statusCode).toBe(200);
    const reused = await new ConsoleClient(t.app).request({
      method: 'POST',
      url: '/api/auth/reset-password',
      payload: { token, newPassword: 'yet another long password' },
    });
    expect(reused.statusCode).toBe(400);

    const actions = await until(async () => {
      const found = await auditActions(su, userId);
      return found.includes('user.password_reset') ? found : undefined;
    }, 'the audit entries');
    expect(actions).toEqual(expect.arrayContaining(['user.password_reset_requested', 'user.password_reset']));
  });
});

describe('email account flows in the dev outbox (no SMTP)', () => {
  let t: TestApp;
  let su: SuperuserSql;
  const lines: string[] = [];

  beforeAll(async () => {
    t = await createTestApp({
      env: { PUBLIC_URL: CONSOLE_ORIGIN, LOG_LEVEL: 'info' },
      logStream: { write: (line) => lines.push(line) },
    });
    su = await openSuperuserSql(t.database);
  });
  afterAll(async () => {
    await su?.close();
    await t?.close();
  });

  it('lets the first person sign up and own a new organization, then closes sign-up', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/v1/auth/sign-up' })).json()).toEqual({
      mode: 'first_run',
    });
    const unnamed = await new ConsoleClient(t.app).signUp('first@example.com', password, 'First');
    expect(unnamed.statusCode).toBe(400);
    expect(unnamed.json()).toMatchObject({ authCode: 'ORGANIZATION_NAME_REQUIRED' });

    const first = new ConsoleClient(t.app);
    const up = await first.request({
      method: 'POST',
      url: '/api/auth/sign-up/email',
      payload: { email: 'first@example.com', password, name: 'Fay First', organizationName: 'First Co' },
    });
    expect(up.statusCode, up.body).toBe(200);
    const me = (await first.request({ method: 'GET', url: '/v1/me' })).json();
    expect(me.memberships).toEqual([{ orgId: expect.any(String), orgName: 'First Co', role: 'owner' }]);

    expect((await t.app.inject({ method: 'GET', url: '/v1/auth/sign-up' })).json()).toEqual({
      mode: 'closed',
    });
    const second = await new ConsoleClient(t.app).request({
      method: 'POST',
      url: '/api/auth/sign-up/email',
      payload: { email: 'second@example.com', password, name: 'Second', organizationName: 'Mine' },
    });
    expect(second.statusCode).toBe(403);
  });

  it('keeps the invitation sealed: admins read it in the outbox until it is used, the table never holds the token', async () => {
    const fay = new ConsoleClient(t.app);
    expect((await fay.signIn('first@example.com', password)).statusCode).toBe(200);
    const orgId = (await fay.request({ method: 'GET', url: '/v1/me' })).json().memberships[0].orgId as string;
    const created = await fay.inOrg(orgId, {
      method: 'POST',
      url: '/v1/invitations',
      payload: { email: 'gus@example.com', role: 'admin' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const { token } = created.json() as { token: string };

    const outbox = async () =>
      (await fay.inOrg(orgId, { method: 'GET', url: '/v1/notifications/outbox' })).json().messages as {
        kind: string;
        to: string;
        text: string;
        status: string;
      }[];
    const [message] = await until(async () => {
      const messages = await outbox();
      return messages[0]?.status === 'sent' ? messages : undefined;
    }, 'the invitation in the outbox');
    expect(message).toMatchObject({ kind: 'invitation', to: 'gus@example.com' });
    expect(linkIn(message!.text, 'accept-invitation')).toBe(token);
    // Sealed at rest: the token is nowhere in the database.
    const [row] = await su.query<{ body: string; sealed_body: string }>(
      "select body, sealed_body from notifications where kind = 'invitation'",
    );
    expect(row!.body).toBe('');
    expect(row!.sealed_body).toMatch(/^ev1\./);
    expect(await findInEveryColumn(su, token)).toEqual([]);

    const gus = new ConsoleClient(t.app);
    const up = await gus.request({
      method: 'POST',
      url: '/api/auth/sign-up/email',
      payload: { email: 'gus@example.com', password, name: 'Gus', invitationToken: token },
    });
    expect(up.statusCode, up.body).toBe(200);
    // Used: the sealed text is dropped, the outbox says so.
    const [after] = await outbox();
    expect(after!.text).toContain('no longer kept');
    expect(await su.query('select 1 from notifications where sealed_body is not null')).toEqual([]);
  });

  it('drops a sealed invitation when it is revoked, and when it expires (the sweep)', async () => {
    const fay = new ConsoleClient(t.app);
    expect((await fay.signIn('first@example.com', password)).statusCode).toBe(200);
    const orgId = (await fay.request({ method: 'GET', url: '/v1/me' })).json().memberships[0].orgId as string;
    const invite = async (email: string) => {
      const res = await fay.inOrg(orgId, {
        method: 'POST',
        url: '/v1/invitations',
        payload: { email, role: 'agent' },
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as { id: string; emailDelivery: string };
    };
    const sealedFor = async (email: string) =>
      (
        await su.query<{ sealed: boolean }>(
          "select sealed_body is not null as sealed from notifications where kind = 'invitation' and recipient = $1",
          [email],
        )
      )[0]?.sealed;

    const revoked = await invite('rex@example.com');
    expect(revoked.emailDelivery).toBe('outbox');
    expect(await sealedFor('rex@example.com')).toBe(true);
    const revoke = await fay.inOrg(orgId, { method: 'DELETE', url: `/v1/invitations/${revoked.id}` });
    expect(revoke.statusCode, revoke.body).toBe(200);
    expect(await sealedFor('rex@example.com')).toBe(false);

    await invite('eve@example.com');
    expect(await sealedFor('eve@example.com')).toBe(true);
    await su.query(
      "update notifications set sealed_until = now() - interval '1 second' where recipient = 'eve@example.com'",
    );
    await sweepNotifications({ database: t.database, jobs: t.jobs });
    expect(await sealedFor('eve@example.com')).toBe(false);
  });

  it('writes a reset email where only the operator can read it, never in the org outbox', async () => {
    const fay = new ConsoleClient(t.app);
    expect((await fay.signIn('first@example.com', password)).statusCode).toBe(200);
    const orgId = (await fay.request({ method: 'GET', url: '/v1/me' })).json().memberships[0].orgId as string;

    const gus = new ConsoleClient(t.app);
    const asked = await gus.request({
      method: 'POST',
      url: '/api/auth/request-password-reset',
      payload: { email: 'first@example.com' },
    });
    expect(asked.statusCode, asked.body).toBe(200);

    const line = await until(
      async () => lines.find((l) => l.includes('password reset email for user')),
      'the log line',
    );
    const { file, userId } = JSON.parse(line) as { file: string; userId: string };
    expect(line).not.toContain('first@example.com');
    expect(file.startsWith(devOutboxDir(t.config))).toBe(true);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const token = linkIn(await readFile(file, 'utf8'), 'reset-password');

    // The admin's outbox (another person reading it) has no reset email.
    const outbox = (await fay.inOrg(orgId, { method: 'GET', url: '/v1/notifications/outbox' })).json();
    expect(JSON.stringify(outbox)).not.toContain('reset');
    expect(await findInEveryColumn(su, token)).toEqual([]);

    const reset = await gus.request({
      method: 'POST',
      url: '/api/auth/reset-password',
      payload: { token, newPassword },
    });
    expect(reset.statusCode, reset.body).toBe(200);
    expect((await fay.request({ method: 'GET', url: '/v1/me' })).statusCode).toBe(401);
    expect((await new ConsoleClient(t.app).signIn('first@example.com', newPassword)).statusCode).toBe(200);
    // The spent link's file is gone.
    await expect(stat(file)).rejects.toThrow();
    expect(userId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
