import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { AppDeps } from '../../../deps.js';
import {
  privacyRequestStatuses,
  privacyRequestTypes,
  subjectKinds,
} from '../../../platform/db/schema/index.js';
import { withTenant } from '../../../platform/db/tenancy.js';
import { errorResponses, idParams, nonBlank, problemSchema } from '../../../platform/http/schemas.js';
import type { ZodApp } from '../../../platform/http/types.js';
import { recordAudit } from '../../audit/service.js';
import { actorOf, requireRole } from '../../auth/principal.js';
import { readExportFile } from './export-file.js';
import { PRIVACY_REQUEST } from './run-request-job.js';
import {
  createPrivacyRequest,
  downloadableExport,
  getPrivacyRequest,
  listPrivacyRequests,
  requestJson,
} from './service.js';
import { subjectOf, subjectSchema } from './subject.js';

const requestSchema = z.object({
  id: z.uuid(),
  type: z.enum(privacyRequestTypes),
  subject: z.object({ kind: z.enum(subjectKinds), masked: z.string() }),
  note: z.string().nullable(),
  status: z.enum(privacyRequestStatuses),
  progress: z.number().int(),
  counts: z.record(z.string(), z.number()),
  errorCode: z.string().nullable(),
  createdAt: z.string(),
  dueAt: z.string(),
  completedAt: z.string().nullable(),
  download: z.object({ url: z.string(), expiresAt: z.string() }).nullable(),
});

/**
 * Data-subject requests (admin): `POST /v1/privacy/requests` → 202 and a durable job;
 * `GET /v1/privacy/requests[/{id}]` → status, progress, per-table counts, due date;
 * `GET /v1/privacy/requests/{id}/download` → the export zip (while it has not expired).
 */
export async function privacyRequestRoutes(app: ZodApp, deps: AppDeps) {
  app.post(
    '/v1/privacy/requests',
    {
      schema: {
        tags: ['privacy'],
        summary: 'Start a data-subject export or erasure',
        description:
          'subject: exactly one of email, phone, userId (the id given to Confidant.identify) or conversationId. Erasure is irreversible. → 202 { id, status }; follow with GET.',
        body: z.strictObject({
          type: z.enum(privacyRequestTypes),
          subject: subjectSchema,
          note: nonBlank(500).optional(),
        }),
        response: {
          202: z.object({ id: z.uuid(), status: z.enum(privacyRequestStatuses) }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const principal = requireRole(request, 'admin');
      const id = randomUUID();
      const row = await withTenant(deps.database, [principal.orgId], (tx) =>
        createPrivacyRequest(tx, deps.keyring, principal.orgId, actorOf(principal), {
          id,
          type: request.body.type,
          subject: subjectOf(request.body.subject),
          note: request.body.note,
        }),
      );
      await deps.jobs.send(PRIVACY_REQUEST, { orgId: principal.orgId, requestId: id });
      return reply.status(202).send({ id: row.id, status: row.status });
    },
  );

  app.get(
    '/v1/privacy/requests',
    {
      schema: {
        tags: ['privacy'],
        summary: 'List data-subject requests (newest first)',
        response: { 200: z.object({ requests: z.array(requestSchema) }), ...errorResponses },
      },
    },
    async (request) => {
      const principal = requireRole(request, 'admin');
      const rows = await withTenant(deps.database, [principal.orgId], (tx) =>
        listPrivacyRequests(tx, principal.orgId),
      );
      return { requests: rows.map((r) => requestJson(r)) };
    },
  );

  app.get(
    '/v1/privacy/requests/:id',
    {
      schema: {
        tags: ['privacy'],
        summary: 'A data-subject request: status, progress, per-table counts, due date, download',
        params: idParams,
        response: { 200: requestSchema, ...errorResponses },
      },
    },
    async (request) => {
      const principal = requireRole(request, 'admin');
      const row = await withTenant(deps.database, [principal.orgId], (tx) =>
        getPrivacyRequest(tx, principal.orgId, request.params.id),
      );
      return requestJson(row);
    },
  );

  app.get(
    '/v1/privacy/requests/:id/download',
    {
      schema: {
        tags: ['privacy'],
        summary: 'Download a finished export (zip: subject.json and one CSV per data category)',
        params: idParams,
        response: { 200: z.any(), 409: problemSchema, 410: problemSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const principal = requireRole(request, 'admin');
      const orgId = principal.orgId;
      const stored = await withTenant(deps.database, [orgId], async (tx) => {
        const row = await getPrivacyRequest(tx, orgId, request.params.id);
        const file = downloadableExport(row);
        await recordAudit(tx, deps.keyring, orgId, actorOf(principal), {
          action: 'privacy.export_downloaded',
          targetType: 'privacy_request',
          targetId: row.id,
        });
        return file;
      });
      const zip = await readExportFile(deps, orgId, request.params.id, stored);
      return reply
        .header('content-type', 'application/zip')
        .header('content-disposition', `attachment; filename="privacy-export-${request.params.id}.zip"`)
        .header('cache-control', 'no-store')
        .send(zip);
    },
  );
}
