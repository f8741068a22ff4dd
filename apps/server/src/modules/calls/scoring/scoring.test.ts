import type { CallSegment, Rubric } from '@confidant/contract';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { modelCalls } from '../../../platform/db/schema/index.js';
import { withTenant } from '../../../platform/db/tenancy.js';
import { createTestApp, type TestApp } from '../../../testing/test-app.js';
import { createProvider } from '../../model-providers/service.js';
import type { ModelDeps } from '../../models/resolve-provider.js';
import {
  type FakeStructuredOpenAi,
  startFakeStructuredOpenAi,
} from '../../models/testing/fake-structured-openai.js';
import { computeCallMetrics } from '../metrics/index.js';
import { coachCall } from './coach-call.js';
import { scoreCall, weightedTotal } from './score-call.js';
import { verifyEvidence } from './verify-evidence.js';

/**
 * Scoring and coaching against a real local server speaking OpenAI chat completions with
 * response_format json_schema, through the org's own provider (resolved as for chat answers,
 * over the guarded fetch): what the provider receives is redacted, the model's placeholders are
 * restored, evidence is verified against the stored transcript, scores are clamped, and every
 * call is metered with its cost.
 */
const CUSTOMER = 'Margaret Thompson';
const PHONE = '+44 20 7946 0958';

const segments: CallSegment[] = [
  {
    index: 0,
    start: 0,
    end: 4.5,
    speaker: 'A',
    text: 'Hi, this is the sales team. Thanks for taking the call.',
  },
  {
    index: 1,
    start: 5,
    end: 9,
    speaker: 'B',
    text: `Hello, I'm ${CUSTOMER}. Call me back on ${PHONE} if we drop.`,
  },
  { index: 2, start: 9.5, end: 13, speaker: 'A', text: 'How many agents are on your team today?' },
  { index: 3, start: 13.5, end: 17, speaker: 'B', text: 'About twelve, and we are growing quickly.' },
  {
    index: 4,
    start: 17.5,
    end: 24,
    speaker: 'A',
    text: 'Great. Our pro plan fits teams of that size, and it costs forty dollars per agent.',
  },
];

const rubric: Rubric = {
  id: 'rubric-1',
  name: 'Discovery call',
  description: 'A first sales call',
  scale: { min: 1, max: 5 },
  criteria: [
    { id: 'discovery', name: 'Discovery', description: 'Asks about the customer’s needs', weight: 2 },
    { id: 'rapport', name: 'Rapport', description: 'Builds a personal connection', weight: 1 },
    { id: 'next-steps', name: 'Next steps', description: 'Agrees on what happens next', weight: 1 },
  ],
  createdAt: '2026-11-01T00:00:00.000Z',
  updatedAt: '2026-11-01T00:00:00.000Z',
};

describe('call scoring and coaching with structured output', () => {
  let t: TestApp;
  let fake: FakeStructuredOpenAi;
  let orgId: string;
  let providerId: string;
  let deps: ModelDeps;

  beforeAll(async () => {
    fake = await startFakeStructuredOpenAi({ object: {} });
    t = await createTestApp({ kind: 'pglite' });
    ({ orgId } = await t.createOrg('Scoring org'));
    deps = {
      config: t.config,
      database: t.database,
      keyring: t.keyring,
      net: { allowPrivateNetworks: true },
    };
    const provider = await withTenant(t.database, [orgId], (tx) =>
      createProvider(
        tx,
        t.keyring,
        orgId,
        { type: 'system', id: null },
        {
          kind: 'openai-compatible',
          name: 'Local',
          baseUrl: fake.baseUrl,
          models: [{ id: 'gpt-4o-mini', type: 'chat' }],
          apiKey: 'sk-local',
          maxRetries: 1,
        },
      ),
    );
    providerId = provider.id;
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });
  beforeEach(() => {
    fake.requests.length = 0;
    fake.queue.length = 0;
  });

  const model = () => ({ providerId, model: 'gpt-4o-mini' });
  const rows = (purpose: string) =>
    withTenant(t.database, [orgId], (tx) =>
      tx
        .select()
        .from(modelCalls)
        .where(and(eq(modelCalls.orgId, orgId), eq(modelCalls.purpose, purpose))),
    );

  it('sends a redacted transcript, restores placeholders, verifies evidence, clamps scores and meters the call', async () => {
    fake.reply = {
      usage: { prompt_tokens: 2000, completion_tokens: 300 },
      object: {
        criteria: [
          {
            criterionId: 'discovery',
            score: 4,
            rationale: 'Asked about team size.',
            evidence: [
              // Right segment, different case and punctuation: kept with the transcript's own words.
              { segmentIndex: 2, quote: 'how many agents are on your team' },
              // Wrong index: re-pointed to segment 3.
              { segmentIndex: 0, quote: 'About twelve' },
              // Fabricated: dropped.
              { segmentIndex: 2, quote: 'What is your budget for this quarter?' },
            ],
          },
          {
            criterionId: 'rapport',
            // Out of the 1..5 scale: clamped to 5.
            score: 9,
            rationale: '[PERSON_1] introduced herself warmly.',
            // The model quotes the placeholders it saw; they come back as the real values.
            evidence: [{ segmentIndex: 1, quote: "I'm [PERSON_1]. Call me back on [PHONE_1]" }],
          },
          { criterionId: 'next-steps', score: -3, rationale: 'No next step agreed.', evidence: [] },
        ],
      },
    };
    const score = await scoreCall({
      deps,
      orgId,
      model: model(),
      rubric,
      segments,
      repSpeaker: 'A',
      signal: new AbortController().signal,
      now: new Date('2026-11-30T10:00:00.000Z'),
    });

    // What the provider received: the structured-output request, with no personal data.
    expect(fake.requests).toHaveLength(1);
    const request = fake.requests[0]!;
    expect(request.raw).not.toContain('Margaret');
    expect(request.raw).not.toContain('Thompson');
    expect(request.raw).not.toContain('7946');
    expect(request.raw).toContain('[PERSON_1]');
    expect(request.raw).toContain('[PHONE_1]');
    expect(request.body.response_format).toMatchObject({ type: 'json_schema' });
    expect(request.raw).toContain('[2] (00:09) A: How many agents are on your team today?');

    expect(score).toEqual({
      rubricId: 'rubric-1',
      rubricName: 'Discovery call',
      // (2·(4−1)/4 + 1·1 + 1·0) / 4 = 2.5 / 4
      total: 62.5,
      criteria: [
        {
          criterionId: 'discovery',
          name: 'Discovery',
          score: 4,
          min: 1,
          max: 5,
          weight: 2,
          rationale: 'Asked about team size.',
          evidence: [
            { quote: 'How many agents are on your team', segmentIndex: 2, start: 9.5, end: 13 },
            { quote: 'About twelve', segmentIndex: 3, start: 13.5, end: 17 },
          ],
        },
        {
          criterionId: 'rapport',
          name: 'Rapport',
          score: 5,
          min: 1,
          max: 5,
          weight: 1,
          rationale: `${CUSTOMER} introduced herself warmly.`,
          evidence: [
            { quote: `I'm ${CUSTOMER}. Call me back on ${PHONE}`, segmentIndex: 1, start: 5, end: 9 },
          ],
        },
        {
          criterionId: 'next-steps',
          name: 'Next steps',
          score: 1,
          min: 1,
          max: 5,
          weight: 1,
          rationale: 'No next step agreed.',
          evidence: [],
        },
      ],
      providerId,
      model: 'gpt-4o-mini',
      scoredAt: '2026-11-30T10:00:00.000Z',
    });

    const [row] = await rows('call_scoring');
    expect(row).toMatchObject({
      outcome: 'ok',
      providerId,
      providerKind: 'openai-compatible',
      model: 'gpt-4o-mini',
      inputTokens: 2000,
      outputTokens: 300,
    });
    expect(row!.redactions).toBeGreaterThanOrEqual(2);
    // gpt-4o-mini: 2000 × 0.15 / 1e6 + 300 × 0.6 / 1e6
    expect(row!.costUsd).toBeCloseTo(0.00048, 8);
  });

  it('retries an answer that is not valid JSON within the provider’s retries, metering both attempts', async () => {
    const before = (await rows('call_scoring')).length;
    fake.queue.push({ raw: 'Sure! Here are the scores: discovery 4' });
    fake.reply = {
      object: { criteria: [{ criterionId: 'discovery', score: 3, rationale: 'Some.', evidence: [] }] },
    };
    const score = await scoreCall({
      deps,
      orgId,
      model: model(),
      rubric,
      segments,
      repSpeaker: 'A',
      signal: new AbortController().signal,
    });
    // Only the criterion scored counts: (3−1)/4.
    expect(score.criteria.map((c) => c.criterionId)).toEqual(['discovery']);
    expect(score.total).toBe(50);
    const after = await rows('call_scoring');
    expect(after.length - before).toBe(2);
    expect(after.map((r) => r.outcome).sort()).toContain('error');
  });

  it('refuses when the provider keeps failing', async () => {
    fake.queue.push({ status: 500 }, { status: 500 });
    await expect(
      scoreCall({
        deps,
        orgId,
        model: model(),
        rubric,
        segments,
        repSpeaker: 'A',
        signal: new AbortController().signal,
      }),
    ).rejects.toMatchObject({ code: 'unavailable' });
  });

  it('gives up on a provider that sends nothing within its first-token deadline, metering each attempt as a timeout', async () => {
    const provider = await withTenant(t.database, [orgId], (tx) =>
      createProvider(
        tx,
        t.keyring,
        orgId,
        { type: 'system', id: null },
        {
          kind: 'openai-compatible',
          name: 'Slow',
          baseUrl: fake.baseUrl,
          models: [{ id: 'slow-model', type: 'chat' }],
          timeoutMs: 300,
          maxRetries: 1,
        },
      ),
    );
    fake.queue.push({ hang: true }, { hang: true });
    await expect(
      scoreCall({
        deps,
        orgId,
        model: { providerId: provider.id, model: 'slow-model' },
        rubric,
        segments,
        repSpeaker: 'A',
        signal: new AbortController().signal,
      }),
    ).rejects.toMatchObject({ code: 'unavailable' });
    expect(fake.requests).toHaveLength(2);
    const attempts = await withTenant(t.database, [orgId], (tx) =>
      tx
        .select()
        .from(modelCalls)
        .where(and(eq(modelCalls.orgId, orgId), eq(modelCalls.model, 'slow-model'))),
    );
    expect(attempts.map((r) => r.outcome)).toEqual(['timeout', 'timeout']);
  });

  it('stops when the caller aborts, metered as aborted', async () => {
    fake.queue.push({ hang: true });
    const controller = new AbortController();
    const scoring = scoreCall({
      deps,
      orgId,
      model: model(),
      rubric,
      segments,
      repSpeaker: 'A',
      signal: controller.signal,
    });
    while (fake.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    controller.abort(new Error('call deleted'));
    await expect(scoring).rejects.toThrow('call deleted');
    const outcomes = (await rows('call_scoring')).map((r) => r.outcome);
    expect(outcomes).toContain('aborted');
  });

  it('refuses a model that no longer exists', async () => {
    await expect(
      scoreCall({
        deps,
        orgId,
        model: { providerId: '00000000-0000-4000-8000-000000000000', model: 'gpt-4o-mini' },
        rubric,
        segments,
        repSpeaker: 'A',
        signal: new AbortController().signal,
      }),
    ).rejects.toMatchObject({ code: 'unavailable' });
  });

  it('coaches from metrics and scores, restores placeholders and fills a short answer from the metrics', async () => {
    fake.reply = {
      object: {
        wentWell: ['You greeted [PERSON_1] by name.', ' You greeted [PERSON_1] by name. ', ''],
        tryNext: ['Agree on a next step before hanging up.'],
      },
    };
    const metrics = computeCallMetrics(segments, 'A');
    const coaching = await coachCall({
      deps,
      orgId,
      model: model(),
      segments,
      repSpeaker: 'A',
      metrics,
      score: null,
      signal: new AbortController().signal,
    });
    const request = fake.requests[0]!;
    expect(request.raw).not.toContain('Margaret');
    expect(request.raw).toContain('Rep talk share');
    // Rep A: 4.5 + 3.5 + 6.5 = 14.5 s of 22 s → 66% (> 65%), one question.
    expect(coaching).toEqual({
      wentWell: [`You greeted ${CUSTOMER} by name.`, 'You let the customer finish before speaking.'],
      tryNext: [
        'Agree on a next step before hanging up.',
        'Let the customer talk more: you spoke 66% of the time.',
      ],
    });
    expect(await rows('call_coaching')).toHaveLength(1);
  });
});

describe('evidence verification and totals (no model)', () => {
  it('matches on word boundaries only and drops empty quotes', () => {
    const evidence = verifyEvidence(
      [
        { segmentIndex: 2, quote: 'any agents' }, // "many agents" is not "any agents"
        { segmentIndex: 2, quote: ' ... ' },
        { segmentIndex: 4, quote: 'forty  DOLLARS per agent!' },
        { segmentIndex: 4, quote: 'forty dollars per agent' }, // the same again: kept once
      ],
      segments,
    );
    expect(evidence).toEqual([{ quote: 'forty dollars per agent', segmentIndex: 4, start: 17.5, end: 24 }]);
  });

  it('weights normalised scores', () => {
    expect(
      weightedTotal([
        { score: 5, min: 1, max: 5, weight: 1 },
        { score: 1, min: 1, max: 5, weight: 3 },
      ]),
    ).toBe(25);
    expect(weightedTotal([])).toBe(0);
  });
});
