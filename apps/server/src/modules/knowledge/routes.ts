import multipart from '@fastify/multipart';
import { z } from 'zod';
import type { AppDeps } from '../../deps.js';
import { releaseBlob } from '../../platform/blobs/service.js';
import { sourceStatuses, sourceTypes } from '../../platform/db/schema/index.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { AppError } from '../../platform/errors.js';
import { errorResponses, idParams, nonBlank, problemSchema } from '../../platform/http/schemas.js';
import type { ZodApp } from '../../platform/http/types.js';
import { errorForLog } from '../../platform/logger.js';
import { agentSourceIds } from '../agents/agent-sources.js';
import { getAgentRow } from '../agents/service.js';
import { actorOf, requireRole } from '../auth/principal.js';
import { embedQuery } from './embeddings/index.js';
import { search } from './search/search.js';
import { checkUrlSource, createUrlSource, urlSourceBody } from './sources/crawler/url-source.js';
import { createFileSource } from './sources/file-source.js';
import { cancelSourceIngestion, enqueueSourceIngestion } from './sources/jobs/ingest-source.js';
import { requestReindex } from './sources/pipeline/request-reindex.js';
import { createSource, deleteSource, getSource, listSources } from './sources/service.js';
import {
  qaSourceBody,
  qaSourceFromJson,
  readUploadedFile,
  textSourceBody,
  textSourceFromJson,
} from './sources/upload.js';

export const sourceSchema = z
  .object({
    id: z.uuid(),
    type: z.enum(sourceTypes),
    title: z.string(),
    status: z.enum(sourceStatuses),
    progress: z.object({
      chunksDone: z.number().int(),
      chunksTotal: z.number().int(),
      pagesDone: z.number().int(),
      pagesTotal: z.number().int(),
    }),
    error: z.string().nullable(),
    lastIndexedAt: z.string().nullable(),
    nextRefreshAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    fileName: z.string().optional(),
    url: z.string().optional(),
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
        // title and the CSV column choices (contentColumns may repeat).
        fields: 20,
        parts: 21,
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
          'Send JSON `{ "type": "text", "title", "content" }` (plain text or Markdown), `{ "type": "url", "url", "title"?, "maxPages"?, "maxDepth"?, "sitemapUrl"?, "refreshIntervalHours"? }` (a website: pages of the same site, found through its sitemap and links, within robots.txt and the page and depth limits; re-crawled every `refreshIntervalHours` when set), `{ "type": "qa", "question", "answer" }` (a manual Q&A entry, indexed as one passage titled by the question), or upload a file as `multipart/form-data` in the field `file`: PDF, Word (.docx), HTML, Markdown, plain text, CSV or a JSON FAQ. The format is sniffed from the bytes, not the name. Optional fields: `title` (default: the document’s own title or first H1, else the file name) and, for CSV, `questionColumn` + `answerColumn` (FAQ rows) or `titleColumn` + `contentColumns` (records; repeat the field for several columns); without them, question/answer-like headers are detected, else the first column is the title. Files that are empty (400), too large (413) or of an unsupported type (415) are refused at once; a file that cannot be read (damaged, password-protected, over the page, row or expansion limits) becomes a `failed` source saying why. The source is created `queued` and indexed in the background: poll `GET /v1/knowledge/sources/{id}` for its `status` (`queued`, `processing`, `ready` or `failed` with an `error`) and progress.',
        // Nullish so multipart requests (whose parsed body is null) pass; the handler insists on one.
        body: z.discriminatedUnion('type', [textSourceBody, qaSourceBody, urlSourceBody]).nullish(),
        response: { 201: sourceSchema, ...uploadErrors },
      },
    },
    async (request, reply) => {
      const p = requireRole(request, 'admin');
      let created: Awaited<ReturnType<typeof createSource>>;
      if (request.isMultipart()) {
        const file = await readUploadedFile(request, deps.config.maxUploadBytes);
        created = await createFileSource({ ...deps, blobStore: deps.blobStore! }, p.orgId, actorOf(p), file);
      } else if (request.body?.type === 'url') {
        // A website: limits and the address policy are checked before anything is written.
        const body = request.body;
        await checkUrlSource(body, deps.config, deps.net.resolveHost);
        created = await tenant(p.orgId, (tx) => createUrlSource(tx, deps.keyring, p.orgId, actorOf(p), body));
      } else if (request.body) {
        const body = request.body;
        const input =
          body.type === 'qa' ? qaSourceFromJson(body) : textSourceFromJson(body, deps.config.maxUploadBytes);
        created = await tenant(p.orgId, (tx) => createSource(tx, deps.keyring, p.orgId, actorOf(p), input));
      } else {
        throw new AppError(
          'bad_request',
          'Send JSON { "type": "text", "title", "content" }, { "type": "qa", "question", "answer" } or { "type": "url", "url" }, or a multipart/form-data upload with a "file" field',
        );
      }
      // Indexed by a durable job once the source is committed (jobs/ingest-source.ts).
      await enqueueSourceIngestion(deps, p.orgId, created.id);
      return reply.status(201).send(created);
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
      const { blobHash } = await tenant(p.orgId, (tx) =>
        deleteSource(tx, deps.keyring, p.orgId, actorOf(p), request.params.id),
      );
      // The original file goes too, unless another source of the org uses the same bytes.
      // The source is gone either way; a blob left behind by a storage error is logged, not fatal.
      if (blobHash) {
        await releaseBlob(deps.database, deps.blobStore!, p.orgId, blobHash).catch((error: unknown) =>
          request.log.error({ err: errorForLog(error) }, 'could not release the blob of a deleted source'),
        );
      }
      // A job still waiting for the source is dropped; a running one ends at its next batch.
      await cancelSourceIngestion(deps, p.orgId, request.params.id).catch((error: unknown) =>
        request.log.warn({ err: errorForLog(error) }, 'could not cancel the ingestion job'),
      );
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/v1/knowledge/sources/:id/reindex',
    {
      schema: {
        tags: ['knowledge'],
        summary: 'Re-index a knowledge source',
        description:
          'Reads the source again (the stored text, the original file, or the website) and indexes it as a new version. Search keeps using the current version until the new one is complete, then switches at once. 409 while the source is already queued or being indexed.',
        params: idParams,
        response: { 202: sourceSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const p = requireRole(request, 'admin');
      const source = await tenant(p.orgId, (tx) =>
        requestReindex(tx, deps.keyring, p.orgId, actorOf(p), request.params.id),
      );
      await enqueueSourceIngestion(deps, p.orgId, source.id);
      return reply.status(202).send(source);
    },
  );

  app.post(
    '/v1/knowledge/search',
    {
      schema: {
        tags: ['knowledge'],
        summary: "Search the organization's ready knowledge",
        description:
          "Ranked lexical search that tolerates questions as visitors type them: chunks matching some of the words are ranked, rare words count most. With an embedding model (the organization's own, `PUT /v1/knowledge/embedding-model`, else the server's) and pgvector available (see `GET /readyz`), the lexical and vector rankings are fused (only vectors of that model are compared) (reciprocal rank fusion). `score` is in [0, 1]. `agentId`, when given, must be one of the organization's agents; the search then covers only the sources that agent answers from (`PUT /v1/agents/{id}/sources`).",
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
        search(tx, p.orgId, query, {
          k,
          vector: queryVector,
          ...(sourceIds ? { scope: { sourceIds } } : {}),
          snippets: true,
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
