import { z } from 'zod';
import type { AppDeps } from '../../../deps.js';
import { withTenant } from '../../../platform/db/tenancy.js';
import { errorResponses, idParams } from '../../../platform/http/schemas.js';
import type { ZodApp } from '../../../platform/http/types.js';
import { recordAudit } from '../../audit/service.js';
import { actorOf, requireRole } from '../../auth/principal.js';
import { getOrganization } from '../../orgs/service.js';
import { buildRecords } from './build-records.js';
import { buildPrivacyNotice } from './privacy-notice.js';
import { recordsMarkdown } from './records-markdown.js';
import { listSubprocessors } from './subprocessors.js';

const subprocessorSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: z.enum([
      'model_provider',
      'embedding_provider',
      'email',
      'object_storage',
      'chat_notifications',
      'webhook',
    ]),
    configuredBy: z.enum(['organization', 'operator']),
    purpose: z.string(),
    host: z.string().nullable().describe('Host (and port) only; never a path, query or credential'),
    region: z.string().nullable().describe('As configured; null = unknown'),
    dataCategories: z.array(z.string()),
    since: z.string().nullable().describe('When the organization configured it, if known'),
  })
  .meta({ id: 'Subprocessor' });

/** `records-of-processing-<org name as a slug>-<YYYY-MM-DD>.md`: only [a-z0-9-], safe in a header. */
const fileName = (orgName: string, at: string) => {
  const slug = orgName
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return `records-of-processing-${slug || 'organization'}-${at.slice(0, 10)}.md`;
};

/**
 * Records of processing (admins): `GET /v1/privacy/records` (JSON, or `?format=md` as a
 * download, audited as `privacy.records_exported`), `GET /v1/privacy/subprocessors`, and the
 * per-agent notice `GET /v1/agents/{id}/privacy-notice`. All generated per request.
 */
export async function processingRecordsRoutes(app: ZodApp, deps: AppDeps) {
  app.get(
    '/v1/privacy/records',
    {
      schema: {
        tags: ['privacy'],
        summary: 'Records of processing activities (GDPR Art. 30), generated from the live configuration',
        description:
          'Built on every request from the data map (purposes, data categories, subjects, retention category per column) and the live configuration: retention periods in force, recipients and sub-processors actually enabled (model providers, the operator’s model and embedding model, SMTP host, S3, Slack), transfers where regions are known, and the technical measures in force. Never contains a credential. `format=md` answers a Markdown document as a download and records `privacy.records_exported` in the audit log.',
        querystring: z.strictObject({ format: z.enum(['json', 'md']).default('json') }),
        response: { 200: z.any().describe('ProcessingRecords (JSON) or text/markdown'), ...errorResponses },
      },
    },
    async (request, reply) => {
      const p = requireRole(request, 'admin');
      const org = await getOrganization(deps.database, p.orgId);
      const records = await withTenant(deps.database, [p.orgId], async (tx) => {
        const built = await buildRecords(tx, deps, org);
        if (request.query.format === 'md') {
          await recordAudit(tx, deps.keyring, p.orgId, actorOf(p), {
            action: 'privacy.records_exported',
            targetType: 'organization',
            targetId: p.orgId,
          });
        }
        return built;
      });
      reply.header('cache-control', 'no-store');
      if (request.query.format === 'md') {
        return reply
          .header('content-type', 'text/markdown; charset=utf-8')
          .header('content-disposition', `attachment; filename="${fileName(org.name, records.generatedAt)}"`)
          .send(recordsMarkdown(records));
      }
      return records;
    },
  );

  app.get(
    '/v1/privacy/subprocessors',
    {
      schema: {
        tags: ['privacy'],
        summary: 'Sub-processors and recipients actually enabled for the organization',
        querystring: z.strictObject({}),
        response: {
          200: z.object({ generatedAt: z.string(), subprocessors: z.array(subprocessorSchema) }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const p = requireRole(request, 'admin');
      const subprocessors = await withTenant(deps.database, [p.orgId], (tx) =>
        listSubprocessors(tx, deps, p.orgId),
      );
      reply.header('cache-control', 'no-store');
      return { generatedAt: new Date().toISOString(), subprocessors };
    },
  );

  app.get(
    '/v1/agents/:id/privacy-notice',
    {
      schema: {
        tags: ['agents', 'privacy'],
        summary: 'A privacy-notice snippet for this agent, to paste into your own policy',
        description:
          'Factual English paragraphs from the agent’s real settings: retention in force, model provider(s) and their regions (or none for extractive agents), ephemeral mode, hand-off to people, and the visitor’s rights. Without `format`: JSON { agentId, paragraphs, markdown, html }; `format=md` or `format=html` answers the text alone.',
        params: idParams,
        querystring: z.strictObject({ format: z.enum(['md', 'html']).optional() }),
        response: {
          200: z.any().describe('PrivacyNotice (JSON), text/markdown or text/html'),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const p = requireRole(request, 'admin');
      const org = await getOrganization(deps.database, p.orgId);
      const notice = await withTenant(deps.database, [p.orgId], (tx) =>
        buildPrivacyNotice(tx, deps, org, request.params.id),
      );
      reply.header('cache-control', 'no-store');
      if (request.query.format === 'md')
        return reply.header('content-type', 'text/markdown; charset=utf-8').send(notice.markdown);
      if (request.query.format === 'html')
        // A fragment to copy, not a page to run: nothing in it may execute if opened directly.
        return reply
          .header('content-type', 'text/html; charset=utf-8')
          .header('content-security-policy', "default-src 'none'; sandbox")
          .send(notice.html);
      return notice;
    },
  );
}
