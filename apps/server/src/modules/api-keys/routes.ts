import { z } from 'zod';
import type { AppDeps } from '../../deps.js';
import { roles } from '../../platform/db/schema/index.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { AppError } from '../../platform/errors.js';
import { errorResponses, idParams, nonBlank } from '../../platform/http/schemas.js';
import type { ZodApp } from '../../platform/http/types.js';
import { actorOf, requireRole, roleAtLeast } from '../auth/principal.js';
import { issueApiKey, listApiKeys, revokeApiKey } from './service.js';

const keySchema = z.object({
  id: z.uuid(),
  name: z.string(),
  prefix: z.string(),
  role: z.enum(roles),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});

export async function apiKeyRoutes(app: ZodApp, deps: AppDeps) {
  app.post(
    '/v1/api-keys',
    {
      schema: {
        tags: ['api keys'],
        summary: 'Issue an API key (shown once)',
        body: z.strictObject({ name: nonBlank(100), role: z.enum(roles).default('admin') }),
        response: { 201: keySchema.extend({ key: z.string() }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const principal = requireRole(request, 'admin');
      if (!roleAtLeast(principal.role, request.body.role)) {
        throw new AppError('forbidden', 'You cannot issue a key with a higher role than your own');
      }
      const issued = await withTenant(deps.database, [principal.orgId], (tx) =>
        issueApiKey(tx, deps.keyring, principal.orgId, actorOf(principal), request.body),
      );
      return reply.status(201).send(issued);
    },
  );

  app.get(
    '/v1/api-keys',
    {
      schema: {
        tags: ['api keys'],
        summary: 'List API keys (prefixes only)',
        response: { 200: z.object({ keys: z.array(keySchema) }), ...errorResponses },
      },
    },
    async (request) => {
      const principal = requireRole(request, 'admin');
      return {
        keys: await withTenant(deps.database, [principal.orgId], (tx) => listApiKeys(tx, principal.orgId)),
      };
    },
  );

  app.delete(
    '/v1/api-keys/:id',
    {
      schema: {
        tags: ['api keys'],
        summary: 'Revoke an API key',
        params: idParams,
        response: { 200: keySchema, ...errorResponses },
      },
    },
    async (request) => {
      const principal = requireRole(request, 'admin');
      return withTenant(deps.database, [principal.orgId], (tx) =>
        revokeApiKey(
          tx,
          deps.keyring,
          principal.orgId,
          { actor: actorOf(principal), role: principal.role },
          request.params.id,
        ),
      );
    },
  );
}
