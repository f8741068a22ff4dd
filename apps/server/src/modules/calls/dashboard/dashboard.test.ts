import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredCriterionScore } from '../../../platform/db/schema/index.js';
import { testDatabaseKinds } from '../../../platform/db/test-database.js';
import { createTestApp, type TestApp } from '../../../testing/test-app.js';
import { isoWeekStart } from './iso-week.js';
import { recurring } from './rep-coaching.js';
import { seedAnalysedCall } from './testing/seed-analysed-call.js';

/**
 * The calls dashboard and rep coaching over real HTTP and a real database, with several reps
 * and calls over two ISO weeks; every expected number is computed by hand in the comments.
 */
const RUBRIC = '11111111-1111-4111-8111-111111111111';
const OTHER_RUBRIC = '22222222-2222-4222-8222-222222222222';
const crit = (criterionId: string, name: string, score: number): StoredCriterionScore => ({
  criterionId,
  name,
  score,
  min: 1,
  max: 5,
  weight: 1,
});
const discoveryCall = (total: number, d: number, r: number) => ({
  rubricId: RUBRIC,
  rubricName: 'Discovery call',
  total,
  criteria: [crit('d', 'Discovery', d), crit('r', 'Rapport', r)],
});

describe.each(testDatabaseKinds)('calls dashboard and rep coaching on %s', (kind) => {
  let t: TestApp;
  let a: { orgId: string; apiKey: string };
  let b: { orgId: string; apiKey: string };
  let viewerKey: string;
  const ids: Record<string, string> = {};

  const get = (apiKey: string, url: string) =>
    t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${apiKey}` } });

  beforeAll(async () => {
    t = await createTestApp({ kind });
    a = await t.createOrg('Calls A');
    b = await t.createOrg('Calls B');
    const key = await t.app.inject({
      method: 'POST',
      url: '/v1/api-keys',
      headers: { authorization: `Bearer ${a.apiKey}` },
      payload: { name: 'viewer', role: 'viewer' },
    });
    viewerKey = key.json().key;
    const seed = (name: string, call: Parameters<typeof seedAnalysedCall>[3]) =>
      seedAnalysedCall(t.database, t.keyring, a.orgId, call).then((id) => {
        ids[name] = id;
      });
    // Week of Monday 2026-11-02.
    await seed('alice1', {
      title: 'Alice intro',
      repName: 'Alice',
      createdAt: '2026-11-03T10:00:00Z',
      score: discoveryCall(80, 5, 4),
      repTalkShare: 0.4,
      coaching: {
        wentWell: ['You asked 5 questions to understand the customer.'],
        tryNext: ['Agree on a next step.'],
      },
    });
    await seed('bob1', {
      title: 'Bob intro',
      repName: 'Bob',
      createdAt: '2026-11-04T10:00:00Z',
      score: discoveryCall(40, 2, 3),
      repTalkShare: 0.8,
      coaching: { wentWell: [], tryNext: ['Let the customer talk more: you spoke 80% of the time.'] },
    });
    await seed('dave', {
      title: 'Dave demo',
      repName: 'Dave',
      createdAt: '2026-11-06T10:00:00Z',
      score: {
        rubricId: OTHER_RUBRIC,
        rubricName: 'Demo',
        total: 50,
        criteria: [{ criterionId: 'z', name: 'Demo flow', score: 2, min: 1, max: 3, weight: 1 }],
      },
      repTalkShare: 0.6,
    });
    // Week of Monday 2026-11-09.
    await seed('alice2', {
      title: 'Alice follow-up',
      repName: 'Alice',
      createdAt: '2026-11-10T10:00:00Z',
      score: discoveryCall(60, 4, 3),
      repTalkShare: 0.5,
      coaching: {
        wentWell: ['You asked 7 questions to understand the customer.'],
        tryNext: ['Agree on a next step!', 'Slow down.'],
      },
    });
    await seed('bob2', {
      title: 'Bob follow-up',
      repName: 'Bob',
      createdAt: '2026-11-11T10:00:00Z',
      score: discoveryCall(50, 3, 3),
      repTalkShare: 0.7,
      coaching: { wentWell: [], tryNext: ['Let the customer talk more: you spoke 70% of the time.'] },
    });
    await seed('anonymous', {
      title: 'No rep',
      repName: null,
      createdAt: '2026-11-12T10:00:00Z',
      score: discoveryCall(70, 4, 4),
    });
    // Outside the period, and not processed yet.
    await seed('bobOld', {
      title: 'Bob old',
      repName: 'Bob',
      createdAt: '2026-10-01T10:00:00Z',
      score: discoveryCall(10, 1, 1),
    });
    await seed('carol', {
      title: 'Carol queued',
      repName: 'Carol',
      createdAt: '2026-11-05T10:00:00Z',
      status: 'queued',
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('averages per criterion and per rep per ISO week', async () => {
    const res = await get(a.apiKey, '/v1/calls/dashboard?from=2026-11-01&to=2026-11-15');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      from: '2026-11-01',
      to: '2026-11-15',
      // Alice ×2, Bob ×2, Dave, no rep (Bob's October call and Carol's queued call are not counted).
      calls: 6,
      // (80 + 60 + 40 + 50 + 70 + 50) / 6
      averageScore: 58.33,
      perCriterion: [
        {
          criterionId: 'd',
          name: 'Discovery',
          // (4 + 3 + 4 + 2 + 5) / 5
          average: 3.6,
          weeks: [
            { week: '2026-11-02', average: 3.5, calls: 2 },
            { week: '2026-11-09', average: 3.67, calls: 3 },
          ],
        },
        {
          criterionId: 'r',
          name: 'Rapport',
          average: 3.4,
          weeks: [
            { week: '2026-11-02', average: 3.5, calls: 2 },
            { week: '2026-11-09', average: 3.33, calls: 3 },
          ],
        },
        {
          criterionId: 'z',
          name: 'Demo flow',
          average: 2,
          weeks: [{ week: '2026-11-02', average: 2, calls: 1 }],
        },
      ],
      perRep: [
        {
          repName: 'Alice',
          calls: 2,
          averageScore: 70,
          talkShare: 0.45,
          weeks: [
            { week: '2026-11-02', average: 80, calls: 1 },
            { week: '2026-11-09', average: 60, calls: 1 },
          ],
        },
        {
          repName: 'Bob',
          calls: 2,
          averageScore: 45,
          talkShare: 0.75,
          weeks: [
            { week: '2026-11-02', average: 40, calls: 1 },
            { week: '2026-11-09', average: 50, calls: 1 },
          ],
        },
        {
          repName: 'Dave',
          calls: 1,
          averageScore: 50,
          talkShare: 0.6,
          weeks: [{ week: '2026-11-02', average: 50, calls: 1 }],
        },
      ],
    });
  });

  it('counts only calls scored with the rubric asked for', async () => {
    const res = await get(a.apiKey, `/v1/calls/dashboard?from=2026-11-01&to=2026-11-15&rubricId=${RUBRIC}`);
    const body = res.json();
    expect(body.calls).toBe(5);
    expect(body.averageScore).toBe(60);
    expect(body.perCriterion.map((c: { criterionId: string }) => c.criterionId)).toEqual(['d', 'r']);
    expect(body.perRep.map((r: { repName: string }) => r.repName)).toEqual(['Alice', 'Bob']);
  });

  it('includes the whole `to` day and excludes the day before `from`', async () => {
    const res = await get(a.apiKey, '/v1/calls/dashboard?from=2026-11-04&to=2026-11-10');
    // Bob 11-04, Dave 11-06, Alice 11-10
    expect(res.json().calls).toBe(3);
  });

  it('coaches a rep against the team from scores and recurring coaching points', async () => {
    const res = await get(a.apiKey, '/v1/calls/reps/Alice/coaching');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      repName: 'Alice',
      calls: 2,
      averageScore: 70,
      // Team: the calls since Alice's oldest (11-03): Alice ×2, Bob ×2, Dave, no rep.
      criteria: [
        { criterionId: 'd', name: 'Discovery', average: 4.5, teamAverage: 3.6 },
        { criterionId: 'r', name: 'Rapport', average: 3.5, teamAverage: 3.4 },
      ],
      // Discovery at (4.5 − 1) / 4 = 88% and above the team; the questions point recurs (5 and 7).
      strengths: [
        'Discovery: 4.5 of 5 on average (team 3.6)',
        'You asked 7 questions to understand the customer.',
      ],
      // Nothing weak by score; "Agree on a next step" recurs, "Slow down" does not.
      focusAreas: ['Agree on a next step!'],
      recent: [
        { callId: ids.alice2, title: 'Alice follow-up', score: 60, createdAt: '2026-11-10T10:00:00.000Z' },
        { callId: ids.alice1, title: 'Alice intro', score: 80, createdAt: '2026-11-03T10:00:00.000Z' },
      ],
    });
  });

  it('names weak criteria first in a struggling rep’s focus areas', async () => {
    const res = await get(a.apiKey, '/v1/calls/reps/Bob/coaching');
    const body = res.json();
    // Bob: 11-11, 11-04 and 10-01; team since 10-01 is every processed call with rubric scores.
    expect(body.calls).toBe(3);
    // (50 + 40 + 10) / 3
    expect(body.averageScore).toBe(33.33);
    expect(body.criteria).toEqual([
      // (3 + 2 + 1) / 3 against (4 + 3 + 4 + 2 + 5 + 1) / 6
      { criterionId: 'd', name: 'Discovery', average: 2, teamAverage: 3.17 },
      { criterionId: 'r', name: 'Rapport', average: 2.33, teamAverage: 3 },
    ]);
    expect(body.strengths).toEqual([]);
    expect(body.focusAreas).toEqual([
      'Discovery: 2 of 5 on average (team 3.17)',
      'Rapport: 2.33 of 5 on average (team 3)',
      'Let the customer talk more: you spoke 70% of the time.',
    ]);
  });

  it('knows a rep with no processed calls, and 404s a rep with none at all', async () => {
    const carol = await get(a.apiKey, '/v1/calls/reps/Carol/coaching');
    expect(carol.statusCode).toBe(200);
    expect(carol.json()).toMatchObject({ calls: 0, averageScore: null, criteria: [], recent: [] });
    expect((await get(a.apiKey, '/v1/calls/reps/Nobody/coaching')).statusCode).toBe(404);
    expect(
      (await get(a.apiKey, `/v1/calls/reps/${encodeURIComponent('Alice ')}/coaching`)).json().repName,
    ).toBe('Alice');
  });

  it('is tenant-scoped: org B sees none of org A’s calls or reps', async () => {
    const dashboard = await get(b.apiKey, '/v1/calls/dashboard?from=2026-11-01&to=2026-11-15');
    expect(dashboard.statusCode).toBe(200);
    expect(dashboard.json()).toMatchObject({ calls: 0, averageScore: null, perCriterion: [], perRep: [] });
    expect((await get(b.apiKey, '/v1/calls/reps/Alice/coaching')).statusCode).toBe(404);
  });

  it('needs the agent role and refuses bad periods with 400', async () => {
    expect((await get(viewerKey, '/v1/calls/dashboard')).statusCode).toBe(403);
    expect((await get(viewerKey, '/v1/calls/reps/Alice/coaching')).statusCode).toBe(403);
    for (const query of [
      'from=2026-11-15&to=2026-11-01',
      'from=2025-01-01&to=2026-11-01',
      'from=yesterday',
      'rubricId=not-a-uuid',
      'unknown=1',
    ]) {
      const res = await get(a.apiKey, `/v1/calls/dashboard?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    // Without a period: the 12 weeks up to today.
    const recent = (await get(a.apiKey, '/v1/calls/dashboard')).json();
    expect(Date.parse(recent.to) - Date.parse(recent.from)).toBe(83 * 86_400_000);
  });
});

describe('dashboard helpers', () => {
  it('keys weeks by their Monday (UTC)', () => {
    expect(isoWeekStart(new Date('2026-11-02T00:00:00Z'))).toBe('2026-11-02');
    expect(isoWeekStart(new Date('2026-11-08T23:59:59Z'))).toBe('2026-11-02');
    expect(isoWeekStart(new Date('2027-01-01T12:00:00Z'))).toBe('2026-12-28');
  });

  it('groups recurring points ignoring numbers and punctuation, once per call', () => {
    expect(
      recurring([
        ['You spoke 72% of the time.', 'You spoke 72% of the time.'],
        ['Slow down'],
        ['you spoke 60 % of the time!'],
      ]),
    ).toEqual(['You spoke 72% of the time.']);
  });
});
