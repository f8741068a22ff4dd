import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKinds } from '../../platform/db/test-database.js';
import { scanForResidue } from '../../testing/residue-scan.js';
import { openSuperuserSql, type SuperuserSql } from '../../testing/superuser-sql.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { sweepHardDeletes } from '../orgs/deletion/hard-delete-sweep.js';
import { createUserWithMembership } from './service.js';
import { CONSOLE_ORIGIN, ConsoleClient } from './test-console-client.js';

/**
 * A console user deleting their own account: password required, refused while they are an
 * org's last owner, every session ended, recoverable by signing in within 30 days, then erased
 * (users, accounts, sessions, memberships…) with audit entries that keep only the user id.
 */
const DAY = 24 * 60 * 60 * 1000;
const password = 'a long enough password';

describe.each(testDatabaseKinds)('account deletion on %s', (kind) => {
  let t: TestApp;
  let su: SuperuserSql;
  let org: { orgId: string; apiKey: string };
  let umaId: string;
  const email = `uma-canary-${kind}@example.com`;

  const signedIn = async () => {
    const c = new ConsoleClient(t.app);
    expect((await c.signIn(email, password)).statusCode).toBe(200);
    return c;
  };
  const deleteMe = (c: ConsoleClient, pw = password) =>
    c.request({ method: 'DELETE', url: '/v1/me', payload: { password: pw } });
  const rowsOf = async (userId: string) => {
    const [row] = await su.query<Record<string, number>>(
      `select (select count(*) from users where id = $1)::int as users,
              (select count(*) from accounts where user_id = $1)::int as accounts,
              (select count(*) from sessions where user_id = $1)::int as sessions,
              (select count(*) from memberships where user_id = $1)::int as memberships,
              (select count(*) from notification_preferences where user_id = $1)::int as prefs`,
      [userId],
    );
    return row;
  };

  beforeAll(async () => {
    t = await createTestApp({ kind, env: { PUBLIC_URL: CONSOLE_ORIGIN } });
    su = await openSuperuserSql(t.database);
    org = await t.createOrg('Umbrella');
    ({ userId: umaId } = await createUserWithMembership(t, {
      email,
      password,
      name: 'Uma Canary',
      orgId: org.orgId,
      role: 'owner',
    }));
  });
  afterAll(async () => {
    await su?.close();
    await t?.close();
  });

  it('needs a session and the password, and refuses the last owner of an org (409 naming it)', async () => {
    const byKey = await t.app.inject({
      method: 'DELETE',
      url: '/v1/me',
      headers: { authorization: `Bearer ${org.apiKey}` },
      payload: { password },
    });
    expect(byKey.statusCode).toBe(403);
    const uma = await signedIn();
    const wrong = await deleteMe(uma, 'not the password at all');
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().detail).toMatch(/password/);
    const alone = await deleteMe(uma);
    expect(alone.statusCode).toBe(409);
    expect(alone.json().detail).toContain('“Umbrella”');
  });

  it('schedules the deletion, ends every session, and lets the person restore it by signing in', async () => {
    await createUserWithMembership(t, {
      email: `other-owner-${kind}@example.com`,
      password,
      name: 'Other owner',
      orgId: org.orgId,
      role: 'owner',
    });
    const uma = await signedIn();
    const second = await signedIn();
    const res = await deleteMe(uma);
    expect(res.statusCode, res.body).toBe(202);
    expect(Date.parse(res.json().hardDeleteAfter) - Date.parse(res.json().deletionScheduledAt)).toBe(
      30 * DAY,
    );
    expect((await second.request({ method: 'GET', url: '/v1/me' })).statusCode).toBe(401);
    expect((await rowsOf(umaId))?.sessions).toBe(0);

    // Signing in during the window: only /v1/me and restoring work.
    const back = await signedIn();
    const me = await back.request({ method: 'GET', url: '/v1/me' });
    expect(me.statusCode).toBe(200);
    expect(me.json().deletionScheduledAt).toBe(res.json().deletionScheduledAt);
    const refused = await back.inOrg(org.orgId, { method: 'GET', url: '/v1/agents' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('account_deleted');
    const restored = await back.request({ method: 'POST', url: '/v1/me/restore' });
    expect(restored.statusCode, restored.body).toBe(200);
    expect(restored.json().deletionScheduledAt).toBeUndefined();
    expect((await back.inOrg(org.orgId, { method: 'GET', url: '/v1/agents' })).statusCode).toBe(200);
    const actions = await su.query<{ action: string; actor_id: string; target_id: string }>(
      `select action, actor_id, target_id from audit_log where org_id = $1 and action like 'user.%'`,
      [org.orgId],
    );
    expect(actions.map((a) => a.action)).toEqual(
      expect.arrayContaining(['user.deletion_scheduled', 'user.restored']),
    );
  });

  it('erases the person after the window; the org and its audit chain keep only the user id', async () => {
    const uma = await signedIn();
    const prefs = await uma.inOrg(org.orgId, {
      method: 'PUT',
      url: '/v1/notifications/preferences',
      payload: { waitingConversation: false },
    });
    expect(prefs.statusCode, prefs.body).toBe(200);
    expect((await deleteMe(uma)).statusCode).toBe(202);
    expect((await sweepHardDeletes(t, new Date(Date.now() + 29 * DAY))).users).toBe(0);
    expect((await sweepHardDeletes(t, new Date(Date.now() + 31 * DAY))).users).toBe(1);
    expect(await rowsOf(umaId)).toEqual({ users: 0, accounts: 0, sessions: 0, memberships: 0, prefs: 0 });
    // Email and name are nowhere; the audit entries name the user by id only.
    expect(
      await scanForResidue({ database: t.database, dataDir: t.config.dataDir }, [email, 'Uma Canary']),
    ).toEqual([]);
    const [erased] = await su.query<{ actor_id: string }>(
      `select actor_id from audit_log where org_id = $1 and action = 'user.hard_deleted'`,
      [org.orgId],
    );
    expect(erased?.actor_id).toBe(umaId);
    expect((await new ConsoleClient(t.app).signIn(email, password)).statusCode).toBe(401);
    // The org goes on with its other owner.
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: '/v1/agents',
          headers: { authorization: `Bearer ${org.apiKey}` },
        })
      ).statusCode,
    ).toBe(200);
  });
});
