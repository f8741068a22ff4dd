import { z } from 'zod';
import type { AppDeps } from '../../../deps.js';
import { withTenant } from '../../../platform/db/tenancy.js';
import { errorResponses, idParams, nonBlank } from '../../../platform/http/schemas.js';
import type { ZodApp } from '../../../platform/http/types.js';
import { actorOf, requireRole } from '../../auth/principal.js';
import { liftLegalHold, placeLegalHold } from './legal-hold.js';

const holdSchema = z.object({ since: z.string(), reason: z.string() }).meta({
  id: 'LegalHold',
  description: 'A legal hold: the conversation is kept out of the retention purge',
});

/**
 * Admin only: a hold overrides the organization's retention policy (it can keep a transcript
 * past the period the org promised its visitors), which is the same decision as setting that
 * policy. Operators (agent role) can ask an admin.
 */
export async function legalHoldRoutes(app: ZodApp, deps: AppDeps) {
  app.post(
    '/v1/conversations/:id/hold',
    {
      schema: {
        tags: ['privacy', 'inbox'],
        summary: 'Place a legal hold: the conversation is never purged while it holds',
        description:
          'Admin role. The reason is stored with the conversation for your team; the audit log records only who held which conversation.',
        params: idParams,
        body: z.strictObject({ reason: nonBlank(500) }),
        response: { 200: holdSchema, ...errorResponses },
      },
    },
    async (request) => {
      const p = requireRole(request, 'admin');
      const hold = await withTenant(deps.database, [p.orgId], (tx) =>
        placeLegalHold(tx, deps.keyring, p.orgId, request.params.id, actorOf(p), request.body.reason),
      );
      return hold!;
    },
  );

  app.delete(
    '/v1/conversations/:id/hold',
    {
      schema: {
        tags: ['privacy', 'inbox'],
        summary: 'Lift a legal hold (the retention purge applies again)',
        params: idParams,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const p = requireRole(request, 'admin');
      await withTenant(deps.database, [p.orgId], (tx) =>
        liftLegalHold(tx, deps.keyring, p.orgId, request.params.id, actorOf(p)),
      );
      return reply.status(204).send(null);
    },
  );
}
