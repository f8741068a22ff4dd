import type { CallDashboard, RepCoaching } from '@confidant/contract';
import type { AppDeps } from '../../../deps.js';
import { withTenant } from '../../../platform/db/tenancy.js';
import { AppError } from '../../../platform/errors.js';
import { errorResponses } from '../../../platform/http/schemas.js';
import type { ZodApp } from '../../../platform/http/types.js';
import { requireRole } from '../../auth/principal.js';
import { loadAnalysedCalls, repExists } from './analysed-calls.js';
import { buildCallDashboard } from './call-dashboard.js';
import { buildRepCoaching, REP_CALLS } from './rep-coaching.js';
import {
  callDashboardSchema,
  DEFAULT_PERIOD_DAYS,
  dashboardQuery,
  repCoachingParams,
  repCoachingQuery,
  repCoachingSchema,
} from './schemas.js';

const DAY_MS = 86_400_000;

/**
 * The calls team dashboard and per-rep coaching: read-only aggregates of processed (`ready`)
 * calls — scores, local metrics and the stored per-call coaching; no model is called. Agents
 * and above (reps read their own coaching).
 */
export async function callDashboardRoutes(app: ZodApp, deps: AppDeps) {
  app.get(
    '/v1/calls/dashboard',
    {
      schema: {
        tags: ['calls'],
        summary: 'Team call scores per criterion and per rep, averaged per ISO week',
        description: `Processed calls created from \`from\` to \`to\` (dates, UTC, both included; default: the ${DEFAULT_PERIOD_DAYS} days up to today). With \`rubricId\`, only calls scored with that rubric, by their latest score for it; otherwise each call's latest score. Weeks are keyed by their Monday.`,
        querystring: dashboardQuery,
        response: { 200: callDashboardSchema, ...errorResponses },
      },
    },
    async (request): Promise<CallDashboard> => {
      const p = requireRole(request, 'agent');
      const q = request.query;
      const to = q.to ?? new Date().toISOString().slice(0, 10);
      const from =
        q.from ?? new Date(Date.parse(to) - (DEFAULT_PERIOD_DAYS - 1) * DAY_MS).toISOString().slice(0, 10);
      const calls = await withTenant(deps.database, [p.orgId], (tx) =>
        loadAnalysedCalls(tx, deps.keyring, p.orgId, {
          from: new Date(`${from}T00:00:00.000Z`),
          to: new Date(Date.parse(`${to}T00:00:00.000Z`) + DAY_MS),
          ...(q.rubricId ? { rubricId: q.rubricId } : {}),
        }),
      );
      return buildCallDashboard(calls, from, to);
    },
  );

  app.get(
    '/v1/calls/reps/:repName/coaching',
    {
      schema: {
        tags: ['calls'],
        summary: 'Coaching for one rep: criteria against the team, recurring strengths and focus areas',
        description: `From the rep's last ${REP_CALLS} processed calls (the name as given at upload, exact match) and the team's calls of the same period. 404 when no call of this org names the rep.`,
        params: repCoachingParams,
        querystring: repCoachingQuery,
        response: { 200: repCoachingSchema, ...errorResponses },
      },
    },
    async (request): Promise<RepCoaching> => {
      const p = requireRole(request, 'agent');
      const { repName } = request.params;
      const rubric = request.query.rubricId ? { rubricId: request.query.rubricId } : {};
      return withTenant(deps.database, [p.orgId], async (tx) => {
        if (!(await repExists(tx, p.orgId, repName))) throw new AppError('not_found', 'No calls of this rep');
        const own = await loadAnalysedCalls(tx, deps.keyring, p.orgId, {
          repName,
          limit: REP_CALLS,
          withCoaching: true,
          ...rubric,
        });
        const oldest = own.at(-1)?.createdAt;
        const team = oldest
          ? await loadAnalysedCalls(tx, deps.keyring, p.orgId, { from: oldest, ...rubric })
          : [];
        return buildRepCoaching(repName, own, team);
      });
    },
  );
}
