import { z } from 'zod';
import type { AppDeps } from '../../../deps.js';
import { withTenant } from '../../../platform/db/tenancy.js';
import { AppError } from '../../../platform/errors.js';
import { errorResponses, idParams } from '../../../platform/http/schemas.js';
import type { ZodApp } from '../../../platform/http/types.js';
import { actorOf, requireRole } from '../../auth/principal.js';
import { getOrganization } from '../../orgs/service.js';
import { expiringCategories, MAX_DAYS, MIN_DAYS } from './categories.js';
import { purgeOrganization } from './purge.js';
import { PURGE_RETENTION } from './purge-job.js';
import { readCapsSetBy, readRetention, setRetentionCaps, setRetentionRules } from './retention-policy.js';

const category = z.enum(expiringCategories);
const days = z
  .number()
  .int('must be a whole number of days')
  .min(MIN_DAYS, `must be at least ${MIN_DAYS} day`)
  .max(MAX_DAYS, `must be at most ${MAX_DAYS} days`);

const ruleView = z
  .object({
    category,
    days: z
      .number()
      .int()
      .nullable()
      .describe('The period the organization chose (or the default); null = keep'),
    isDefault: z.boolean(),
    defaultDays: z.number().int(),
    keepAllowed: z.boolean().describe('Whether null (keep) is accepted for this category'),
    maxDays: z.number().int().nullable().describe('The lowest limit set by the reseller or the platform'),
    effectiveDays: z.number().int().nullable().describe('What the purge enforces: min(days, maxDays)'),
    label: z.string(),
    description: z.string(),
  })
  .meta({ id: 'RetentionRule' });
const retentionView = z.object({ rules: z.array(ruleView) }).meta({ id: 'Retention' });

const uniqueCategories = <T extends { category: string }>(list: T[]) =>
  new Set(list.map((r) => r.category)).size === list.length;

const countsSchema = z.record(z.string(), z.number().int());
const limitsView = z.object({
  limits: z.array(z.object({ category, maxDays: z.number().int().nullable() })),
});

const RETENTION_DESCRIPTION =
  'Retention categories that expire: conversation transcripts (with their messages, notes, live events, read markers and action call logs), visitor contact details, the notification outbox, model-call records and finished background jobs. The product writes no log files: logs go to stdout and their retention is the operator’s. Periods are 1–3650 days; null (keep) is accepted only for model-call records, which hold no personal data. A reseller or the platform may cap a client’s periods (PUT /v1/orgs/{id}/retention-limits); the purge enforces min(rule, cap).';

export async function retentionRoutes(app: ZodApp, deps: AppDeps) {
  app.get(
    '/v1/privacy/retention',
    {
      schema: {
        tags: ['privacy'],
        summary: 'Retention periods per category',
        description: RETENTION_DESCRIPTION,
        response: { 200: retentionView, ...errorResponses },
      },
    },
    async (request) => {
      const p = requireRole(request, 'admin');
      return { rules: await withTenant(deps.database, [p.orgId], (tx) => readRetention(tx, p.orgId)) };
    },
  );

  app.put(
    '/v1/privacy/retention',
    {
      schema: {
        tags: ['privacy'],
        summary: 'Set retention periods (categories not named keep theirs)',
        description: RETENTION_DESCRIPTION,
        body: z.strictObject({
          rules: z
            .array(z.strictObject({ category, days: days.nullable() }))
            .min(1, 'name at least one category')
            .max(expiringCategories.length)
            .refine(uniqueCategories, 'each category at most once'),
        }),
        response: { 200: retentionView, ...errorResponses },
      },
    },
    async (request) => {
      const p = requireRole(request, 'admin');
      const rules = await withTenant(deps.database, [p.orgId], (tx) =>
        setRetentionRules(tx, deps.keyring, p.orgId, actorOf(p), request.body.rules),
      );
      return { rules };
    },
  );

  app.post(
    '/v1/privacy/retention/run',
    {
      schema: {
        tags: ['privacy'],
        summary: 'Run the retention purge now (or preview it with dryRun=true)',
        description:
          'Queues a purge of this organization (202, with a run id; counts per table go to the audit log). With `dryRun=true` nothing changes: the answer (200) lists how many rows per table a run would delete now.',
        querystring: z.strictObject({ dryRun: z.stringbool().default(false) }),
        response: {
          200: z.object({ dryRun: z.literal(true), counts: countsSchema }),
          202: z.object({ runId: z.string(), status: z.literal('queued') }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const p = requireRole(request, 'admin');
      if (request.query.dryRun) {
        const result = await purgeOrganization(deps, p.orgId, { dryRun: true });
        return reply.status(200).send({ dryRun: true as const, counts: result.counts });
      }
      const runId = await deps.jobs.send(PURGE_RETENTION, { orgId: p.orgId });
      if (!runId) throw new AppError('conflict', 'A purge of this organization is already queued');
      return reply.status(202).send({ runId, status: 'queued' as const });
    },
  );

  app.get(
    '/v1/privacy/retention/runs/:id',
    {
      schema: {
        tags: ['privacy'],
        summary: 'The state of a purge run (counts per table are in the audit log)',
        params: idParams,
        response: {
          200: z.object({ runId: z.string(), state: z.string() }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const p = requireRole(request, 'admin');
      const jobs = await deps.jobs.findJobs(PURGE_RETENTION, { orgId: p.orgId });
      const job = jobs.find((j) => j.id === request.params.id);
      if (!job) throw new AppError('not_found', 'Purge run not found');
      return { runId: job.id, state: job.state };
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
    '/v1/orgs/:id/retention-limits',
    {
      schema: {
        tags: ['privacy', 'organizations'],
        summary: 'The retention limits you set for a client organization',
        params: idParams,
        response: { 200: limitsView, ...errorResponses },
      },
    },
    async (request) => {
      const p = await requireParent(request, request.params.id);
      const limits = await withTenant(deps.database, [request.params.id], (tx) =>
        readCapsSetBy(tx, request.params.id, p.orgId),
      );
      return { limits };
    },
  );

  app.put(
    '/v1/orgs/:id/retention-limits',
    {
      schema: {
        tags: ['privacy', 'organizations'],
        summary: 'Set maximum retention periods for a client organization (reseller or platform)',
        description:
          'A reseller caps its clients, the platform any organization. The client’s effective period becomes min(its rule, every cap); the client can no longer choose a longer period or "keep". `maxDays: null` removes your limit.',
        params: idParams,
        body: z.strictObject({
          limits: z
            .array(z.strictObject({ category, maxDays: days.nullable() }))
            .min(1, 'name at least one category')
            .max(expiringCategories.length)
            .refine(uniqueCategories, 'each category at most once'),
        }),
        response: { 200: limitsView, ...errorResponses },
      },
    },
    async (request) => {
      const p = await requireParent(request, request.params.id);
      const limits = await withTenant(deps.database, [request.params.id], (tx) =>
        setRetentionCaps(tx, deps.keyring, request.params.id, p.orgId, actorOf(p), request.body.limits),
      );
      return { limits };
    },
  );
}
