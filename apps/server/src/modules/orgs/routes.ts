import { z } from 'zod';
import type { AppDeps } from '../../deps.js';
import { orgKinds } from '../../platform/db/schema/index.js';
import { AppError } from '../../platform/errors.js';
import { errorResponses, idParams, nonBlank } from '../../platform/http/schemas.js';
import type { ZodApp } from '../../platform/http/types.js';
import { actorOf, requireRole } from '../auth/principal.js';
import { restoreOrg, scheduleOrgDeletion } from './deletion/schedule-org-deletion.js';
import { createOrganization, getOrganization, kindForChild, listVisibleOrganizations } from './service.js';

const orgSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  kind: z.enum(orgKinds),
  parentId: z.uuid().nullable(),
  createdAt: z.string(),
  deletionScheduledAt: z
    .string()
    .nullable()
    .describe('Set while the organization is scheduled for deletion (everything else is refused)'),
  hardDeleteAfter: z
    .string()
    .nullable()
    .describe('When the organization is erased for good unless restored before'),
});

const deletionSchema = z.object({ deletionScheduledAt: z.string(), hardDeleteAfter: z.string() });

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
      // Its status (and deletion dates) stay readable while it is scheduled for deletion.
      config: { allowedWhileOrgDeleted: true },
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

  app.delete(
    '/v1/orgs/:id',
    {
      // Idempotent while scheduled (answers with the existing schedule).
      config: { allowedWhileOrgDeleted: true },
      schema: {
        tags: ['organizations'],
        summary: 'Delete an organization (owner, or its reseller / the platform)',
        description:
          'Schedules the deletion: from now on the org’s API keys, widget and console are refused with an `org_deleted` problem; an owner (or its reseller / the platform) can restore it until `hardDeleteAfter` (30 days), after which a job erases every row, file and queued job of the org. A reseller that still has live client organizations is refused (409). Idempotent.',
        params: idParams,
        response: { 202: deletionSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const principal = requireRole(request, 'viewer');
      const schedule = await scheduleOrgDeletion(deps.database, deps.keyring, principal, request.params.id);
      return reply.status(202).send(schedule);
    },
  );

  app.post(
    '/v1/orgs/:id/restore',
    {
      config: { allowedWhileOrgDeleted: true },
      schema: {
        tags: ['organizations'],
        summary: 'Restore an organization scheduled for deletion (within 30 days)',
        params: idParams,
        response: { 200: orgSchema, ...errorResponses },
      },
    },
    async (request) => {
      const principal = requireRole(request, 'viewer');
      await restoreOrg(deps.database, deps.keyring, principal, request.params.id);
      return getOrganization(deps.database, request.params.id);
    },
  );
}
