import { z } from 'zod';
import type { AppDeps } from '../../deps.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { errorResponses } from '../../platform/http/schemas.js';
import type { ZodApp } from '../../platform/http/types.js';
import { requireRole } from '../auth/principal.js';
import { dailyActivity } from './daily-activity.js';

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
}
