import { z } from 'zod';
import type { AppDeps } from '../../deps.js';
import { orgKinds } from '../../platform/db/schema/index.js';
import { AppError } from '../../platform/errors.js';
import { errorResponses, idParams, nonBlank } from '../../platform/http/schemas.js';
import type { ZodApp } from '../../platform/http/types.js';
import { actorOf, requireRole } from '../auth/principal.js';
import { createOrganization, getOrganization, kindForChild, listVisibleOrganizations } from './service.js';

const orgSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  kind: z.enum(orgKinds),
  parentId: z.uuid().nullable(),
  createdAt: z.string(),
});

export async function orgRoutes(app: ZodApp, deps: AppDeps) {
  app.post(
    '/v1/orgs',
    {
      schema: {
        tags: ['organizations'],
        summary: 'Create an organization (platform or reseller key)',
        description:
          'A platform key creates direct organizations (or resellers with kind=reseller); a reseller key creates its client organizations. Returns the new org’s first API key (role owner), shown once.',
        body: z.strictObject({ name: nonBlank(200), kind: z.enum(['direct', 'reseller']).optional() }),
        response: { 201: z.object({ orgId: z.uuid(), apiKey: z.string() }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const principal = requireRole(request, 'admin');
      if (principal.orgKind !== 'platform' && principal.orgKind !== 'reseller') {
        throw new AppError('forbidden', 'Only platform and reseller keys can create organizations');
      }
      if (principal.orgKind === 'reseller' && request.body.kind) {
        throw new AppError('forbidden', 'A reseller can only create client organizations');
      }
      const kind = kindForChild(principal.orgKind, request.body.kind);
      const parentId = kind === 'client' ? principal.orgId : null;
      const { org, apiKey } = await createOrganization(
        deps.database,
        deps.keyring,
        { name: request.body.name, kind, parentId },
        actorOf(principal),
      );
      return reply.status(201).send({ orgId: org.id, apiKey });
    },
  );

  app.get(
    '/v1/orgs',
    {
      schema: {
        tags: ['organizations'],
        summary: 'List the organizations this key can see',
        response: { 200: z.object({ orgs: z.array(orgSchema) }), ...errorResponses },
      },
    },
    async (request) => {
      const principal = requireRole(request, 'viewer');
      return { orgs: await listVisibleOrganizations(deps.database, principal.orgId, principal.orgKind) };
    },
  );

  app.get(
    '/v1/orgs/:id',
    {
      schema: {
        tags: ['organizations'],
        summary: 'Get an organization (your own, or a client of yours)',
        params: idParams,
        response: { 200: orgSchema, ...errorResponses },
      },
    },
    async (request) => {
      const principal = requireRole(request, 'viewer');
      const org = await getOrganization(deps.database, request.params.id);
      const visible =
        org.id === principal.orgId || principal.orgKind === 'platform' || org.parentId === principal.orgId;
      if (!visible) throw new AppError('not_found', 'Organization not found');
      return org;
    },
  );
}
