import { z } from 'zod';
import type { AppDeps } from '../../deps.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { AppError } from '../../platform/errors.js';
import { errorResponses, idParams } from '../../platform/http/schemas.js';
import type { ZodApp } from '../../platform/http/types.js';
import { actorOf, requireRole } from '../auth/principal.js';
import { resumePausedCalls } from '../calls/jobs/process-call-job.js';
import { getOrganization } from '../orgs/service.js';
import { dailyActivity } from './daily-activity.js';
import { monthUsage } from './model-quota.js';
import { priceTable } from './prices.js';
import { forgetQuota } from './quota-watch.js';
import { satisfactionReport } from './satisfaction.js';
import { readLimits, readLimitsSetBy, setLimits } from './usage-limits.js';
import { usageReport } from './usage-report.js';

const daySchema = z
  .object({
    day: z.string(),
    conversations: z.number().int(),
    handoffs: z.number().int(),
    resolvedWithoutPerson: z.number().int(),
    medianFirstResponseSeconds: z.number().nullable(),
    tokensIn: z.number().int(),
    tokensOut: z.number().int(),
  })
  .meta({ id: 'DailyActivity' });

/** The longest window one usage query may cover. */
const MAX_RANGE_DAYS = 366;
const DAY_MS = 86_400_000;

const measures = z.object({
  tokensIn: z.number().int(),
  tokensOut: z.number().int(),
  cachedTokensIn: z.number().int(),
  costUsd: z
    .number()
    .nullable()
    .describe(
      'USD from the price table; null ("unknown") only when tokens were used and none was priced; 0 with no calls',
    ),
  unpricedTokens: z.number().int().describe('Tokens of calls to models missing from the price table'),
  audioSeconds: z.number().describe('Seconds of audio transcribed (transcription models)'),
  characters: z.number().int().describe('Characters spoken (speech models)'),
  unpricedAudioSeconds: z.number().describe('Of audioSeconds, those of models missing from the price table'),
  unpricedCharacters: z
    .number()
    .int()
    .describe('Of characters, those of models missing from the price table'),
  messages: z.number().int().nullable().describe('null when grouped by model or provider'),
  conversations: z.number().int().nullable(),
  answers: z
    .object({ model: z.number().int(), extractive: z.number().int(), handoff: z.number().int() })
    .nullable(),
});
const usageView = z
  .object({
    from: z.string(),
    to: z.string(),
    groupBy: z.enum(['day', 'agent', 'model', 'provider']),
    totals: measures,
    series: z.array(measures.extend({ key: z.string().nullable(), label: z.string() })),
  })
  .meta({ id: 'Usage' });

const limitsShape = {
  monthlyMessages: z.number().int().positive().nullable(),
  monthlyTokens: z.number().int().positive().max(2_000_000_000).nullable(),
  monthlyCostUsd: z.number().positive().max(10_000_000).nullable(),
};
const limitsSchema = z.object(limitsShape).meta({ id: 'UsageLimits' });
const limitsBody = z.strictObject({
  monthlyMessages: limitsShape.monthlyMessages.optional(),
  monthlyTokens: limitsShape.monthlyTokens.optional(),
  monthlyCostUsd: limitsShape.monthlyCostUsd.optional(),
});
const limitsView = z
  .object({
    own: limitsSchema.describe('Set by your admins'),
    caps: limitsSchema.describe('The lowest limits set by your reseller or the platform'),
    effective: limitsSchema.describe('What is enforced: the minimum of both'),
    month: z.object({
      month: z.string(),
      used: z.object({ messages: z.number().int(), tokens: z.number().int(), costUsd: z.number() }),
      limits: limitsSchema,
      percent: z.number().nullable().describe('Highest share of any limit, in percent; null: no limit'),
    }),
  })
  .meta({ id: 'UsageLimitsView' });

/** Defaults: up to today, 30 days. */
function usageRange(q: { from?: string | undefined; to?: string | undefined }) {
  const to = q.to ?? new Date().toISOString().slice(0, 10);
  const from = q.from ?? new Date(Date.parse(to) - 29 * DAY_MS).toISOString().slice(0, 10);
  return { from, to };
}

const fullLimits = (body: z.infer<typeof limitsBody>) => ({
  monthlyMessages: body.monthlyMessages ?? null,
  monthlyTokens: body.monthlyTokens ?? null,
  monthlyCostUsd: body.monthlyCostUsd ?? null,
});

export async function usageRoutes(app: ZodApp, deps: AppDeps) {
  app.get(
    '/v1/usage/daily',
    {
      schema: {
        tags: ['usage'],
        summary:
          'Daily activity (UTC days): conversations, handoffs, resolved without a person, operator first response, tokens',
        querystring: z.strictObject({ days: z.coerce.number().int().min(1).max(366).default(30) }),
        response: { 200: z.object({ days: z.array(daySchema) }), ...errorResponses },
      },
    },
    async (request) => {
      const p = requireRole(request, 'viewer');
      return {
        days: await withTenant(deps.database, [p.orgId], (tx) =>
          dailyActivity(tx, p.orgId, request.query.days),
        ),
      };
    },
  );

  app.get(
    '/v1/usage',
    {
      schema: {
        tags: ['usage'],
        summary: 'Usage over UTC days [from, to]: tokens, cost, messages, conversations, answers by mode',
        description: `Totals and a series grouped by day (every day present), agent, model or provider. Defaults: the last 30 days, by day. At most ${MAX_RANGE_DAYS} days.`,
        querystring: z
          .strictObject({
            from: z.iso.date().optional(),
            to: z.iso.date().optional(),
            groupBy: z.enum(['day', 'agent', 'model', 'provider']).default('day'),
          })
          .superRefine((q, ctx) => {
            const { from, to } = usageRange(q);
            const days = (Date.parse(to) - Date.parse(from)) / DAY_MS + 1;
            if (days < 1)
              ctx.addIssue({ code: 'custom', message: '`from` must not be after `to`', path: ['from'] });
            if (days > MAX_RANGE_DAYS)
              ctx.addIssue({ code: 'custom', message: `at most ${MAX_RANGE_DAYS} days`, path: ['from'] });
          }),
        response: { 200: usageView, ...errorResponses },
      },
    },
    async (request) => {
      const p = requireRole(request, 'viewer');
      const range = usageRange(request.query);
      return withTenant(deps.database, [p.orgId], (tx) =>
        usageReport(tx, p.orgId, range, request.query.groupBy),
      );
    },
  );

  app.get(
    '/v1/usage/satisfaction',
    {
      schema: {
        tags: ['usage'],
        summary: 'Customer satisfaction over UTC days [from, to]: ratings count, average and distribution',
        description:
          'From the ratings visitors gave closed conversations (1–5), live and rolled up by the retention purge. Counts only, never comments. Defaults: the last 30 days.',
        querystring: z
          .strictObject({
            from: z.iso.date().optional(),
            to: z.iso.date().optional(),
            agentId: z.uuid().optional(),
          })
          .superRefine((q, ctx) => {
            const { from, to } = usageRange(q);
            const days = (Date.parse(to) - Date.parse(from)) / DAY_MS + 1;
            if (days < 1)
              ctx.addIssue({ code: 'custom', message: '`from` must not be after `to`', path: ['from'] });
            if (days > MAX_RANGE_DAYS)
              ctx.addIssue({ code: 'custom', message: `at most ${MAX_RANGE_DAYS} days`, path: ['from'] });
          }),
        response: {
          200: z
            .object({
              from: z.string(),
              to: z.string(),
              count: z.number().int(),
              average: z.number().nullable(),
              distribution: z
                .tuple([
                  z.number().int(),
                  z.number().int(),
                  z.number().int(),
                  z.number().int(),
                  z.number().int(),
                ])
                .describe('How many ratings gave 1, 2, 3, 4 and 5'),
            })
            .meta({ id: 'Satisfaction' }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const p = requireRole(request, 'viewer');
      const range = usageRange(request.query);
      return withTenant(deps.database, [p.orgId], (tx) =>
        satisfactionReport(tx, p.orgId, range, request.query.agentId),
      );
    },
  );

  app.get(
    '/v1/usage/prices',
    {
      schema: {
        tags: ['usage'],
        summary:
          'The model price table costs are computed from (USD per million tokens, per audio minute, per million characters)',
        description:
          'Shipped with the product and dated (`pricesAsOf`); the operator may override or extend it with a JSON file named by CONFIDANT_PRICES_FILE.',
        response: {
          200: z.object({
            pricesAsOf: z.string(),
            models: z.record(
              z.string(),
              z.object({
                provider: z.string(),
                input: z.number().optional().describe('USD per million input tokens'),
                output: z.number().optional().describe('USD per million output tokens'),
                cachedInput: z.number().optional(),
                audioMinute: z.number().optional().describe('Transcription: USD per minute of audio'),
                characters: z.number().optional().describe('Speech: USD per million characters'),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      requireRole(request, 'viewer');
      return priceTable();
    },
  );

  const readView = (orgId: string) =>
    withTenant(deps.database, [orgId], async (tx) => ({
      ...(await readLimits(tx, orgId)),
      month: await monthUsage(tx, orgId),
    }));

  app.get(
    '/v1/usage/limits',
    {
      schema: {
        tags: ['usage'],
        summary: "Monthly usage limits and this month's usage against them",
        response: { 200: limitsView, ...errorResponses },
      },
    },
    async (request) => {
      const p = requireRole(request, 'viewer');
      return readView(p.orgId);
    },
  );

  app.put(
    '/v1/usage/limits',
    {
      schema: {
        tags: ['usage'],
        summary: 'Set monthly usage limits (admin)',
        description:
          'Replaces your limits; an omitted or null measure has no limit from you. Your reseller or the platform may cap them lower (the minimum is enforced). At 80% and 100% of a limit the admins are notified once a month; past 100% agents answer without the model, explicit model calls answer 429 `quota_exceeded`, voice messages are refused (429) and call analysis pauses until the limits allow (saving new limits resumes paused calls).',
        body: limitsBody,
        response: { 200: limitsView, ...errorResponses },
      },
    },
    async (request) => {
      const p = requireRole(request, 'admin');
      await withTenant(deps.database, [p.orgId], (tx) =>
        setLimits(tx, deps.keyring, p.orgId, p.orgId, actorOf(p), fullLimits(request.body)),
      );
      // After the commit: the next message checks against the new limits, and calls paused by
      // the old ones are queued again (a job that still finds the org past a limit re-pauses).
      forgetQuota(p.orgId);
      await resumePausedCalls(deps, p.orgId);
      return readView(p.orgId);
    },
  );

  /** Only the org's reseller (its parent) or the platform may cap a client org. */
  const requireParent = async (request: Parameters<typeof requireRole>[0], orgId: string) => {
    const p = requireRole(request, 'admin');
    const org = await getOrganization(deps.database, orgId).catch(() => null);
    const allowed =
      org &&
      org.id !== p.orgId &&
      (p.orgKind === 'platform' || (p.orgKind === 'reseller' && org.parentId === p.orgId));
    if (!allowed) throw new AppError('not_found', 'Organization not found');
    return p;
  };

  app.get(
    '/v1/orgs/:id/usage-limits',
    {
      schema: {
        tags: ['usage', 'organizations'],
        summary: 'The usage limits you set for a client organization',
        params: idParams,
        response: { 200: limitsSchema, ...errorResponses },
      },
    },
    async (request) => {
      const p = await requireParent(request, request.params.id);
      return withTenant(deps.database, [request.params.id], (tx) =>
        readLimitsSetBy(tx, request.params.id, p.orgId),
      );
    },
  );

  app.put(
    '/v1/orgs/:id/usage-limits',
    {
      schema: {
        tags: ['usage', 'organizations'],
        summary: 'Cap the monthly usage of a client organization (reseller or platform)',
        description:
          'The client’s effective limit becomes the minimum of its own and every cap. Null removes yours.',
        params: idParams,
        body: limitsBody,
        response: { 200: limitsSchema, ...errorResponses },
      },
    },
    async (request) => {
      const p = await requireParent(request, request.params.id);
      const orgId = request.params.id;
      const saved = await withTenant(deps.database, [orgId], async (tx) => {
        await setLimits(tx, deps.keyring, orgId, p.orgId, actorOf(p), fullLimits(request.body));
        return readLimitsSetBy(tx, orgId, p.orgId);
      });
      forgetQuota(orgId);
      await resumePausedCalls(deps, orgId);
      return saved;
    },
  );
}
