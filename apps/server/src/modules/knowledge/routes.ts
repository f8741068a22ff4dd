import multipart from '@fastify/multipart';
import { z } from 'zod';
import type { AppDeps } from '../../app.js';
import { sourceStatuses, sourceTypes } from '../../db/schema/index.js';
import { withTenant } from '../../db/tenancy.js';
import { AppError } from '../../errors.js';
import { actorOf, requireRole } from '../../http/principal.js';
import { errorResponses, idParams, nonBlank, problemSchema } from '../../http/schemas.js';
import type { ZodApp } from '../../http/types.js';
import { agentSourceIds } from '../agents/agent-sources.js';
import { getAgentRow } from '../agents/service.js';
import { embedQuery, hybridSearchWithSnippets } from './embeddings/index.js';
import { indexSource } from './index-source.js';
import { createSource, deleteSource, getSource, listSources } from './service.js';
import { readUploadedSource, textSourceBody, textSourceFromJson } from './upload.js';

export const sourceSchema = z
  .object({
    id: z.uuid(),
    type: z.enum(sourceTypes),
    title: z.string(),
    status: z.enum(sourceStatuses),
    progress: z.object({ chunksDone: z.number().int(), chunksTotal: z.number().int() }),
    error: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    fileName: z.string().optional(),
    byteSize: z.number().int(),
  })
  .meta({ id: 'KnowledgeSource' });

const searchBody = z.strictObject({
  query: nonBlank(500),
  k: z.number().int().min(1).max(50).default(5),
  agentId: z.uuid({ message: 'must be a UUID' }).optional(),
});

const searchResult = z
  .object({
    chunkId: z.uuid(),
    sourceId: z.uuid(),
    title: z.string(),
    headingPath: z.string(),
    snippet: z.string(),
    score: z.number(),
  })
  .meta({ id: 'KnowledgeSearchResult' });

const uploadErrors = { ...errorResponses, 413: problemSchema, 415: problemSchema };

export async function knowledgeRoutes(app: ZodApp, deps: AppDeps) {
  // Multipart parsing exists only for these routes; everything else stays JSON-only.
  await app.register(async (scope: ZodApp) => {
    await scope.register(multipart, {
      limits: {
        fileSize: deps.config.maxUploadBytes,
        files: 1,
        fields: 4,
        parts: 5,
        fieldSize: 4096,
        fieldNameSize: 100,
        headerPairs: 50,
      },
    });
    registerKnowledgeRoutes(scope, deps);
  });
}

function registerKnowledgeRoutes(app: ZodApp, deps: AppDeps) {
  const tenant = <T>(orgId: string, fn: Parameters<typeof withTenant<T>>[2]) =>
    withTenant(deps.database, [orgId], fn);

  app.post(
    '/v1/knowledge/sources',
    {
      // JSON content may be escaped (\n, \" …), so the body may be larger than the content limit.
      bodyLimit: deps.config.maxUploadBytes * 2 + 64 * 1024,
      schema: {
        tags: ['knowledge'],
        summary: 'Add a knowledge source',
        description:
          'Send JSON `{ "type": "text", "title", "content" }` (plain text or Markdown), or upload a `.txt`, `.md` or `.markdown` file as `multipart/form-data` in the field `file` with an optional `title` field (default: the first Markdown H1, else the file name). The source is chunked and indexed before the response; its `status` says whether that worked.',
        // Nullish so multipart requests (whose parsed body is null) pass; the handler insists on one.
        body: textSourceBody.nullish(),
        response: { 201: sourceSchema, ...uploadErrors },
      },
    },
    async (request, reply) => {
      const p = requireRole(request, 'admin');
      let input: ReturnType<typeof textSourceFromJson>;
      if (request.isMultipart()) input = await readUploadedSource(request, deps.config.maxUploadBytes);
      else if (request.body) input = textSourceFromJson(request.body, deps.config.maxUploadBytes);
      else {
        throw new AppError(
          'bad_request',
          'Send JSON { "type": "text", "title", "content" } or a multipart/form-data upload with a "file" field',
        );
      }
      const created = await tenant(p.orgId, (tx) => createSource(tx, p.orgId, actorOf(p), input));
      // v0 indexes inline; a durable job will call the same function (see index-source.ts).
      await indexSource(deps.database, p.orgId, created.id, request.log);
      const source = await tenant(p.orgId, (tx) => getSource(tx, p.orgId, created.id));
      return reply.status(201).send(source);
    },
  );

  app.get(
    '/v1/knowledge/sources',
    {
      schema: {
        tags: ['knowledge'],
        summary: 'List knowledge sources, newest first',
        response: { 200: z.object({ sources: z.array(sourceSchema) }), ...errorResponses },
      },
    },
    async (request) => {
      const p = requireRole(request, 'viewer');
      return { sources: await tenant(p.orgId, (tx) => listSources(tx, p.orgId)) };
    },
  );

  app.get(
    '/v1/knowledge/sources/:id',
    {
      schema: {
        tags: ['knowledge'],
        summary: 'Get a knowledge source: status, progress and error',
        params: idParams,
        response: { 200: sourceSchema, ...errorResponses },
      },
    },
    async (request) => {
      const p = requireRole(request, 'viewer');
      return tenant(p.orgId, (tx) => getSource(tx, p.orgId, request.params.id));
    },
  );

  app.delete(
    '/v1/knowledge/sources/:id',
    {
      schema: {
        tags: ['knowledge'],
        summary: 'Delete a knowledge source and all its chunks',
        params: idParams,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const p = requireRole(request, 'admin');
      await tenant(p.orgId, (tx) => deleteSource(tx, p.orgId, actorOf(p), request.params.id));
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/v1/knowledge/search',
    {
      schema: {
        tags: ['knowledge'],
        summary: "Search the organization's ready knowledge",
        description:
          "Ranked lexical search that tolerates questions as visitors type them: chunks matching some of the words are ranked, rare words count most. With an embedding model configured (and pgvector available; see `GET /readyz`), the lexical and vector rankings are fused (reciprocal rank fusion). `score` is in [0, 1]. `agentId`, when given, must be one of the organization's agents; the search then covers only the sources that agent answers from (`PUT /v1/agents/{id}/sources`).",
        body: searchBody,
        response: { 200: z.object({ results: z.array(searchResult) }), ...errorResponses },
      },
    },
    async (request) => {
      const p = requireRole(request, 'viewer');
      const { query, k, agentId } = request.body;
      // With an agent, only its sources are searched (null: all of the org's). Its id must be ours,
      // which is checked before the query is sent to an embedding provider.
      const sourceIds = agentId
        ? await tenant(p.orgId, async (tx) => {
            await getAgentRow(tx, p.orgId, agentId);
            return agentSourceIds(tx, p.orgId, agentId);
          })
        : null;
      // Embedded outside the transaction; null (lexical only) when embeddings are off or fail.
      const queryVector = await embedQuery(deps, p.orgId, query);
      const hits = await tenant(p.orgId, (tx) =>
        hybridSearchWithSnippets(deps, tx, p.orgId, query, k, {
          queryVector,
          ...(sourceIds ? { sourceIds } : {}),
        }),
      );
      return {
        results: hits.map((hit) => ({
          chunkId: hit.chunkId,
          sourceId: hit.sourceId,
          title: hit.title,
          headingPath: hit.headingPath,
          snippet: hit.snippet,
          score: Math.round(hit.score * 10_000) / 10_000,
        })),
      };
    },
  );
}
