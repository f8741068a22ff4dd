import { z } from 'zod';
import type { AppDeps } from '../../deps.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { errorResponses, idParams } from '../../platform/http/schemas.js';
import type { ZodApp } from '../../platform/http/types.js';
import { recordAudit } from '../audit/service.js';
import { actorOf, requireRole } from '../auth/principal.js';
import { buildIncidentReport, reportMarkdown } from './incident-report.js';
import {
  createIncidentBody,
  incidentView,
  platformIncidentBody,
  updateIncidentBody,
} from './incident-schemas.js';
import { createIncident, getIncident, listIncidents, updateIncident } from './incident-store.js';
import { registerPlatformIncident } from './platform-incident.js';

/**
 * The incident register. Admins and owners only, reading included: an entry describes what leaked
 * and how, which is need-to-know (agents and viewers do not see it).
 */
export async function incidentRoutes(app: ZodApp, deps: AppDeps) {
  app.get(
    '/v1/incidents',
    {
      schema: {
        tags: ['privacy', 'incidents'],
        summary: 'The incident register (personal-data breaches), newest awareness first',
        response: { 200: z.object({ incidents: z.array(incidentView) }), ...errorResponses },
      },
    },
    async (request) => {
      const p = requireRole(request, 'admin');
      return { incidents: await withTenant(deps.database, [p.orgId], (tx) => listIncidents(tx, p.orgId)) };
    },
  );

  app.post(
    '/v1/incidents',
    {
      schema: {
        tags: ['privacy', 'incidents'],
        summary: 'Register an incident',
        description:
          'The 72-hour deadline to notify the supervisory authority runs from `awareAt`; owners and admins are reminded at 24, 48 and 66 hours and when it is overdue, until `authorityNotifiedAt` is set or the status is `not_notifiable` (which needs `notNotifiableReason`). Audited (ids only).',
        body: createIncidentBody,
        response: { 201: incidentView, ...errorResponses },
      },
    },
    async (request, reply) => {
      const p = requireRole(request, 'admin');
      const created = await withTenant(deps.database, [p.orgId], (tx) =>
        createIncident(tx, deps.keyring, p.orgId, actorOf(p), request.body),
      );
      return reply.status(201).send(created);
    },
  );

  app.get(
    '/v1/incidents/:id',
    {
      schema: {
        tags: ['privacy', 'incidents'],
        summary: 'One incident, with its deadline and the reminders sent',
        params: idParams,
        response: { 200: incidentView, ...errorResponses },
      },
    },
    async (request) => {
      const p = requireRole(request, 'admin');
      return withTenant(deps.database, [p.orgId], (tx) => getIncident(tx, p.orgId, request.params.id));
    },
  );

  app.patch(
    '/v1/incidents/:id',
    {
      schema: {
        tags: ['privacy', 'incidents'],
        summary: 'Update an incident (status, measures, notification times …)',
        description:
          'Send only the fields that change; null clears an optional one. Status `notified` without `authorityNotifiedAt` records now. Audited with the names of the changed fields, never their values.',
        params: idParams,
        body: updateIncidentBody,
        response: { 200: incidentView, ...errorResponses },
      },
    },
    async (request) => {
      const p = requireRole(request, 'admin');
      return withTenant(deps.database, [p.orgId], (tx) =>
        updateIncident(tx, deps.keyring, p.orgId, actorOf(p), request.params.id, request.body),
      );
    },
  );

  app.get(
    '/v1/incidents/:id/report',
    {
      schema: {
        tags: ['privacy', 'incidents'],
        summary: 'The report for the supervisory authority (GDPR Art. 33(3)), as JSON or Markdown',
        description:
          'Nature, categories and approximate numbers of subjects and records, contact point (the incident’s, else the owners’ emails), likely consequences, measures, the timeline with the 72-hour deadline and, when late, the reasons for the delay. `format=md` downloads a file.',
        params: idParams,
        querystring: z.strictObject({ format: z.enum(['json', 'md']).default('json') }),
        response: { 200: z.any(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const p = requireRole(request, 'admin');
      const report = await withTenant(deps.database, [p.orgId], async (tx) => {
        const r = await buildIncidentReport(tx, p.orgId, request.params.id);
        await recordAudit(tx, deps.keyring, p.orgId, actorOf(p), {
          action: 'incident.report_exported',
          targetType: 'incident',
          targetId: r.incidentId,
          metadata: { format: request.query.format },
        });
        return r;
      });
      reply.header('cache-control', 'no-store');
      if (request.query.format === 'json') return report;
      return reply
        .header('content-type', 'text/markdown; charset=utf-8')
        .header('content-disposition', `attachment; filename="incident-${report.incidentId}.md"`)
        .send(reportMarkdown(report));
    },
  );

  app.post(
    '/v1/platform/incidents',
    {
      schema: {
        tags: ['incidents', 'organizations'],
        summary: 'Register one incident in several organizations and notify their owners (platform admins)',
        description:
          'Creates the incident in each listed organization’s register (sharing a `platformIncidentId`) and emails their owners, in one transaction. Each organization then manages its own copy.',
        body: platformIncidentBody,
        response: {
          201: z.object({
            platformIncidentId: z.string(),
            incidents: z.array(z.object({ orgId: z.string(), id: z.string() })),
          }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const p = requireRole(request, 'admin');
      const result = await registerPlatformIncident(deps, p, actorOf(p), request.body);
      return reply.status(201).send(result);
    },
  );
}
