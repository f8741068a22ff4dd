import { z } from 'zod';
import type { AppDeps } from '../../deps.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { errorResponses } from '../../platform/http/schemas.js';
import type { ZodApp } from '../../platform/http/types.js';
import { requireRole } from '../auth/principal.js';
import { checkpointRoutes } from './checkpoint-routes.js';
import { listAuditEntries } from './list-entries.js';
import { verifyChain } from './verify-chain.js';

const entrySchema = z
  .object({
    seq: z.number().int(),
    at: z.string(),
    actorType: z.string(),
    actorId: z.string().nullable(),
    action: z.string(),
    targetType: z.string().nullable(),
    targetId: z.string().nullable(),
    metadata: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
    hash: z.string(),
  })
  .meta({ id: 'AuditEntry' });

/**
 * The audit log, read by admins (the console's Audit log page): entries with filters, and the
 * chain's verification — recomputed now, with the master keyring, exactly as
 * `confidant audit verify` does.
 */
export async function auditRoutes(app: ZodApp, deps: AppDeps) {
  app.get(
    '/v1/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'Audit log entries, newest first (filters: action or "prefix.", actor id)',
        querystring: z.strictObject({
          cursor: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
          action: z
            .string()
            .regex(
              /^[a-z_]+(\.[a-z_]+)*\.?$/,
              'must be an action such as api_key.created, or a prefix such as api_key.',
            )
            .max(100)
            .optional(),
          actor: z
            .string()
            .regex(/^[A-Za-z0-9_:-]{1,100}$/, 'must be an actor id (a key, user or conversation id)')
            .optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
        response: {
          200: z.object({ entries: z.array(entrySchema), nextCursor: z.number().int().nullable() }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const p = requireRole(request, 'admin');
      return withTenant(deps.database, [p.orgId], (tx) => listAuditEntries(tx, p.orgId, request.query));
    },
  );

  app.get(
    '/v1/audit/verify',
    {
      schema: {
        tags: ['audit'],
        summary: "Recompute the organization's audit chain now and report the first bad entry, if any",
        response: {
          200: z.object({
            verified: z.boolean(),
            entries: z.number().int(),
            problem: z
              .object({ seq: z.number().int(), kind: z.enum(['broken', 'key_missing']), reason: z.string() })
              .nullable(),
            checkedAt: z.string(),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const p = requireRole(request, 'admin');
      const { entries, problem } = await withTenant(deps.database, [p.orgId], (tx) =>
        verifyChain(tx, deps.keyring, p.orgId),
      );
      return {
        verified: problem === null,
        entries,
        problem: problem ? { seq: problem.seq, kind: problem.kind, reason: problem.reason } : null,
        checkedAt: new Date().toISOString(),
      };
    },
  );
  await checkpointRoutes(app, deps);
}
