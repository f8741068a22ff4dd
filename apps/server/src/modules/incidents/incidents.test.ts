import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKinds } from '../../platform/db/test-database.js';
import { openSuperuserSql, type SuperuserSql } from '../../testing/superuser-sql.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { createUserWithMembership } from '../auth/service.js';
import { deadlineOf, isOverdue, reachedReminderMarks } from './deadline.js';
import { sendIncidentReminders } from './jobs/send-reminders.js';

const HOUR = 3_600_000;

/**
 * The incident register over real HTTP on a real database. Reminders are driven by a test clock:
 * the job takes `now`, so 24, 48, 66 and 72+ hours pass without waiting.
 */
describe('incident deadline (pure)', () => {
  const awareAt = new Date('2026-03-01T10:00:00Z');
  const open = { awareAt, status: 'open' as const, authorityNotifiedAt: null };
  it('is 72 hours after awareness; overdue only past it while a notification is owed', () => {
    expect(deadlineOf(awareAt).toISOString()).toBe('2026-03-04T10:00:00.000Z');
    expect(isOverdue(open, new Date('2026-03-04T10:00:00Z'))).toBe(false);
    expect(isOverdue(open, new Date('2026-03-04T10:00:01Z'))).toBe(true);
    const notified = { ...open, authorityNotifiedAt: new Date('2026-03-05T00:00:00Z') };
    expect(isOverdue(notified, new Date('2026-03-06T00:00:00Z'))).toBe(false);
    expect(isOverdue({ ...open, status: 'not_notifiable' }, new Date('2026-03-06T00:00:00Z'))).toBe(false);
  });
  it('reaches the reminder marks at 24, 48, 66 hours and 72 once overdue', () => {
    const at = (h: number) => new Date(awareAt.getTime() + h * HOUR);
    expect(reachedReminderMarks(open, at(23.99))).toEqual([]);
    expect(reachedReminderMarks(open, at(24))).toEqual([24]);
    expect(reachedReminderMarks(open, at(65))).toEqual([24, 48]);
    expect(reachedReminderMarks(open, at(72))).toEqual([24, 48, 66]);
    expect(reachedReminderMarks(open, at(72.01))).toEqual([24, 48, 66, 72]);
    expect(reachedReminderMarks({ ...open, status: 'not_notifiable' }, at(100))).toEqual([]);
  });
});

describe.each(testDatabaseKinds)('incident register on %s', (kind) => {
  let t: TestApp;
  let org: { orgId: string; apiKey: string };
  let other: { orgId: string; apiKey: string };
  let viewerKey: string;
  const call = (key: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
    t.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${key}` },
      ...(payload ? { payload } : {}),
    });
  const as = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
    call(org.apiKey, method, url, payload);
  const outbox = async (o = org) =>
    (
      (await call(o.apiKey, 'GET', '/v1/notifications/outbox?limit=100')).json().messages as {
        kind: string;
        to: string;
        subject: string;
        text: string;
      }[]
    ).filter((m) => m.kind.startsWith('incident_'));
  const audit = async (o = org) =>
    (
      (await call(o.apiKey, 'GET', '/v1/audit?limit=100&action=incident.')).json().entries as {
        action: string;
        targetId: string | null;
        metadata: Record<string, unknown>;
      }[]
    ).reverse();
  // Counted behind the app's back (no tenant scope, no RLS): every org's rows.
  let superuser: SuperuserSql;
  const incidentRows = async () =>
    (await superuser.query<{ n: number }>('select count(*)::int as n from incidents'))[0]!.n;

  // Awareness an hour before the real now (the API refuses a future awareAt); the test clock runs from it.
  const awareAt = new Date(Math.floor(Date.now() / 1000) * 1000 - HOUR);
  const after = (hours: number) => new Date(awareAt.getTime() + hours * HOUR);
  const base = {
    title: 'Misdirected export',
    description: 'A CSV of contact requests was emailed to the wrong customer.',
    awareAt: awareAt.toISOString(),
    dataCategories: ['user.contact.email', 'user.contact.name'],
    subjectsAffected: 120,
    recordsAffected: 130,
    consequences: 'Recipients could contact the people listed.',
    measures: 'Recipient asked to delete; confirmed in writing.',
  };

  beforeAll(async () => {
    t = await createTestApp({ kind });
    superuser = await openSuperuserSql(t.database);
    org = await t.createOrg('Lumen');
    other = await t.createOrg('Other');
    for (const [email, role] of [
      ['owner@lumen.test', 'owner'],
      ['admin@lumen.test', 'admin'],
      ['agent@lumen.test', 'agent'],
    ] as const)
      await createUserWithMembership(t, {
        email,
        password: 'correct horse battery staple',
        name: role,
        orgId: org.orgId,
        role,
      });
    await createUserWithMembership(t, {
      email: 'owner@other.test',
      password: 'correct horse battery staple',
      name: 'Other owner',
      orgId: other.orgId,
      role: 'owner',
    });
    viewerKey = (await as('POST', '/v1/api-keys', { name: 'viewer', role: 'viewer' })).json().key;
  });
  afterAll(async () => {
    await superuser?.close();
    await t?.close();
  });

  let id: string;

  it('creates, reads, lists and patches an incident with its 72-hour deadline; audited with ids and field names', async () => {
    const created = await as('POST', '/v1/incidents', base);
    expect(created.statusCode, created.body).toBe(201);
    const incident = created.json();
    id = incident.id;
    expect(incident).toMatchObject({
      ...base,
      status: 'open',
      occurredAt: null,
      authorityNotifiedAt: null,
      deadlineAt: after(72).toISOString(),
      notificationPending: true,
      overdue: false,
      remindersSent: [],
    });
    expect((await as('GET', `/v1/incidents/${id}`)).json()).toEqual(incident);
    expect((await as('GET', '/v1/incidents')).json().incidents.map((i: { id: string }) => i.id)).toEqual([
      id,
    ]);

    const patched = await as('PATCH', `/v1/incidents/${id}`, {
      status: 'contained',
      measures: 'Recipient deleted the file; exports now need a second person.',
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({ status: 'contained', overdue: false });

    const entries = await audit();
    expect(entries.map((e) => [e.action, e.targetId])).toEqual([
      ['incident.created', id],
      ['incident.updated', id],
    ]);
    expect(entries[1]!.metadata).toEqual({ fields: 'measures,status', status: 'contained' });
    // Ids and field names only: none of the incident's words are in the audit log.
    expect(JSON.stringify(entries)).not.toMatch(/CSV|Recipient|Misdirected/);
  });

  it('refuses bad input with a 400 problem and changes nothing', async () => {
    const before = await incidentRows();
    const snapshot = (await as('GET', `/v1/incidents/${id}`)).json();
    const auditBefore = (await audit()).length;
    const bad: [string, 'POST' | 'PATCH', object][] = [
      ['/v1/incidents', 'POST', { ...base, title: '  ' }],
      ['/v1/incidents', 'POST', { ...base, awareAt: 'yesterday' }],
      ['/v1/incidents', 'POST', { ...base, awareAt: after(24 * 30).toISOString() }],
      ['/v1/incidents', 'POST', { ...base, occurredAt: after(1).toISOString() }],
      ['/v1/incidents', 'POST', { ...base, dataCategories: ['passwords'] }],
      ['/v1/incidents', 'POST', { ...base, dataCategories: ['user.device', 'user.device'] }],
      ['/v1/incidents', 'POST', { ...base, subjectsAffected: -1 }],
      ['/v1/incidents', 'POST', { ...base, surprise: true }],
      ['/v1/incidents', 'POST', { ...base, status: 'not_notifiable' }],
      [`/v1/incidents/${id}`, 'PATCH', { status: 'not_notifiable' }],
      [`/v1/incidents/${id}`, 'PATCH', { status: 'lost' }],
      [`/v1/incidents/${id}`, 'PATCH', {}],
      [`/v1/incidents/${id}`, 'PATCH', { authorityNotifiedAt: after(-5).toISOString() }],
      [`/v1/incidents/${id}`, 'PATCH', { subjectsAffected: 1.5 }],
    ];
    for (const [url, method, payload] of bad) {
      const res = await as(method, url, payload);
      expect(res.statusCode, `${method} ${JSON.stringify(payload)} → ${res.body}`).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    expect((await as('GET', '/v1/incidents/not-a-uuid')).statusCode).toBe(400);
    expect((await as('GET', '/v1/incidents/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    expect(await incidentRows()).toBe(before);
    expect((await as('GET', `/v1/incidents/${id}`)).json()).toEqual(snapshot);
    expect((await audit()).length).toBe(auditBefore);
  });

  it('is for admins and owners only', async () => {
    expect((await call(viewerKey, 'GET', '/v1/incidents')).statusCode).toBe(403);
    expect((await call(viewerKey, 'GET', `/v1/incidents/${id}`)).statusCode).toBe(403);
    expect((await call(viewerKey, 'POST', '/v1/incidents', base)).statusCode).toBe(403);
    expect(
      (await call(viewerKey, 'POST', '/v1/platform/incidents', { ...base, orgIds: [org.orgId] })).statusCode,
    ).toBe(403);
    // An org admin is not the platform.
    expect((await as('POST', '/v1/platform/incidents', { ...base, orgIds: [other.orgId] })).statusCode).toBe(
      403,
    );
  });

  it('reminds owners and admins at 24, 48 and 66 hours and once when overdue, each exactly once', async () => {
    const deps = { database: t.database, keyring: t.keyring };
    const subjectsAt = async () => (await outbox()).filter((m) => m.kind === 'incident_reminder');
    expect(await sendIncidentReminders(deps, after(23.9))).toBe(0);
    expect(await subjectsAt()).toEqual([]);

    const steps: [number, RegExp][] = [
      [24, /48 hours left/],
      [48, /24 hours left/],
      [66, /6 hours left/],
      [72.1, /^Overdue/],
    ];
    let expected = 0;
    for (const [hours, subject] of steps) {
      expect(await sendIncidentReminders(deps, after(hours))).toBe(1);
      // Running again (a rerun, another process) sends nothing more.
      expect(await sendIncidentReminders(deps, after(hours))).toBe(0);
      expected += 2;
      const mails = await subjectsAt();
      expect(mails).toHaveLength(expected);
      const latest = mails.slice(0, 2);
      expect(latest.map((m) => m.to).sort()).toEqual(['admin@lumen.test', 'owner@lumen.test']);
      for (const m of latest) expect(m.subject).toMatch(subject);
    }
    // The agent never got one; the text names the title, never the description.
    expect((await subjectsAt()).some((m) => m.to === 'agent@lumen.test')).toBe(false);
    expect(JSON.stringify(await subjectsAt())).not.toContain('CSV of contact requests');
    expect(await sendIncidentReminders(deps, after(200))).toBe(0);

    const view = (await as('GET', `/v1/incidents/${id}`)).json();
    expect(view).toMatchObject({ remindersSent: [24, 48, 66, 72], notificationPending: true });
    // The real clock is an hour after awareness: not overdue by it. The job's clock decided above.
    const entries = (await audit()).filter(
      (e) => e.action.startsWith('incident.reminder') || e.action === 'incident.overdue',
    );
    expect(entries.map((e) => [e.action, e.metadata.hours, e.metadata.notified])).toEqual([
      ['incident.reminder_sent', 24, 2],
      ['incident.reminder_sent', 48, 2],
      ['incident.reminder_sent', 66, 2],
      ['incident.overdue', 72, 2],
    ]);
  });

  it('sends only the latest reached reminder for an incident registered late, and none once notified', async () => {
    const deps = { database: t.database, keyring: t.keyring };
    const late = (await as('POST', '/v1/incidents', { ...base, title: 'Late one' })).json();
    const before = (await outbox()).length;
    expect(await sendIncidentReminders(deps, after(70))).toBe(1);
    const mails = (await outbox()).slice(0, (await outbox()).length - before);
    expect(mails.map((m) => m.subject)).toEqual([
      expect.stringContaining('6 hours left'),
      expect.stringContaining('6 hours left'),
    ]);
    expect((await as('GET', `/v1/incidents/${late.id}`)).json().remindersSent).toEqual([24, 48, 66]);

    const notified = await as('PATCH', `/v1/incidents/${late.id}`, { status: 'notified' });
    expect(notified.json()).toMatchObject({ status: 'notified', notificationPending: false, overdue: false });
    expect(notified.json().authorityNotifiedAt).not.toBeNull();
    expect(await sendIncidentReminders(deps, after(100))).toBe(0);

    const ruledOut = (
      await as('POST', '/v1/incidents', {
        ...base,
        title: 'Encrypted laptop lost',
        status: 'not_notifiable',
        notNotifiableReason: 'Full-disk encryption; key not compromised.',
      })
    ).json();
    expect(ruledOut).toMatchObject({ notificationPending: false, overdue: false });
    expect(await sendIncidentReminders(deps, after(100))).toBe(0);
  });

  it('exports the Art. 33(3) report as JSON and Markdown', async () => {
    const json = await as('GET', `/v1/incidents/${id}/report`);
    expect(json.statusCode, json.body).toBe(200);
    expect(json.json()).toMatchObject({
      organization: 'Lumen',
      incidentId: id,
      nature: base.description,
      dataCategories: base.dataCategories,
      approximateSubjects: 120,
      approximateRecords: 130,
      contactPoint: { kind: 'owners', emails: ['owner@lumen.test'] },
      likelyConsequences: base.consequences,
      timeline: {
        awareAt: awareAt.toISOString(),
        deadlineAt: after(72).toISOString(),
        authorityNotifiedAt: null,
      },
    });

    // Notified late, with the reasons and a DPO as contact point.
    await as('PATCH', `/v1/incidents/${id}`, {
      authorityNotifiedAt: after(80).toISOString().replace('Z', '+00:00'),
      status: 'notified',
      delayReason: 'The extent was only known after the recipient replied.',
      contactPoint: 'Dana Protection, dpo@lumen.test',
    });
    const md = await as('GET', `/v1/incidents/${id}/report?format=md`);
    expect(md.statusCode).toBe(200);
    expect(md.headers['content-type']).toContain('text/markdown');
    expect(md.headers['content-disposition']).toBe(`attachment; filename="incident-${id}.md"`);
    for (const part of [
      '# Personal data breach report: Misdirected export',
      '## Nature of the breach',
      base.description,
      'Categories of personal data: user.contact.email, user.contact.name',
      'Data subjects concerned: approximately 120',
      'Personal data records concerned: approximately 130',
      'Dana Protection, dpo@lumen.test',
      '## Likely consequences',
      'Measures taken or proposed',
      `Deadline to notify the supervisory authority (72 hours): ${after(72).toISOString()}`,
      `Supervisory authority notified: ${after(80).toISOString()}`,
      '## Reasons for the delay',
      'The extent was only known after the recipient replied.',
    ])
      expect(md.body).toContain(part);
    expect((await as('GET', `/v1/incidents/${id}/report`)).json().timeline.late).toBe(true);
    expect((await as('GET', `/v1/incidents/${id}/report?format=pdf`)).statusCode).toBe(400);
    const exported = (await audit()).filter((e) => e.action === 'incident.report_exported');
    expect(exported.map((e) => e.metadata.format)).toEqual(['json', 'md', 'json']);
  });

  it('lets the platform register one incident in several orgs and notify their owners', async () => {
    const third = await t.createOrg('Third');
    const asPlatform = (payload: object) => call(t.platformKey, 'POST', '/v1/platform/incidents', payload);
    const unknown = await asPlatform({
      ...base,
      orgIds: [org.orgId, '00000000-0000-4000-8000-000000000000'],
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().issues).toEqual([{ path: 'body.orgIds.1', message: 'no such organization' }]);

    const countsBefore = await incidentRows();
    const res = await asPlatform({
      ...base,
      title: 'Hosting provider breach',
      orgIds: [org.orgId, other.orgId, third.orgId],
    });
    expect(res.statusCode, res.body).toBe(201);
    const { platformIncidentId, incidents } = res.json();
    expect(incidents.map((i: { orgId: string }) => i.orgId)).toEqual([org.orgId, other.orgId, third.orgId]);
    expect(await incidentRows()).toBe(countsBefore + 3);

    const inOther = (await call(other.apiKey, 'GET', '/v1/incidents')).json().incidents;
    expect(inOther).toMatchObject([{ title: 'Hosting provider breach', platformIncidentId, status: 'open' }]);
    const registered = (await outbox(other)).filter((m) => m.kind === 'incident_registered');
    expect(registered.map((m) => m.to)).toEqual(['owner@other.test']);
    const lumen = (await outbox()).filter((m) => m.kind === 'incident_registered');
    expect(lumen.map((m) => m.to)).toEqual(['owner@lumen.test']);
    expect((await audit(other)).map((e) => [e.action, e.metadata.platformIncidentId])).toEqual([
      ['incident.created', platformIncidentId],
    ]);
    // Each org sees only its own copy.
    expect((await call(other.apiKey, 'GET', `/v1/incidents/${incidents[0].id}`)).statusCode).toBe(404);
  });
});
