import multipart from '@fastify/multipart';
import { z } from 'zod';
import type { AppDeps } from '../../deps.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { AppError } from '../../platform/errors.js';
import { errorResponses, idParams, problemSchema } from '../../platform/http/schemas.js';
import type { ZodApp } from '../../platform/http/types.js';
import { errorForLog } from '../../platform/logger.js';
import { actorOf, requireRole } from '../auth/principal.js';
import { ACCEPTED_AUDIO } from './audio-file.js';
import { byteRange } from './byte-range.js';
import { cancelCallProcessing, enqueueCallProcessing } from './jobs/process-call-job.js';
import { requestReprocess } from './reprocess.js';
import { createRubric, deleteRubric, getRubric, listRubrics, updateRubric } from './rubrics.js';
import {
  callChangesBody,
  callDetailSchema,
  callPageSchema,
  callSettingsBody,
  callSettingsSchema,
  callSummarySchema,
  listCallsQuery,
  reprocessBody,
  rubricInputSchema,
  rubricPatchSchema,
  rubricSchema,
} from './schemas.js';
import { createCall, deleteCall, getCall, listCalls, readCallAudio, updateCall } from './service.js';
import { readCallSettings, SERVER_MAX_BYTES, saveCallSettings } from './settings.js';
import { readCallUpload } from './upload.js';

/**
 * Call analysis API (packages/contract/src/calls-api.ts). Roles: agents and above upload and
 * read calls; admins edit rubrics and settings and delete calls. Another org's call or rubric is
 * a 404 (tenant transactions see only the caller's org). The team dashboard and per-rep coaching
 * routes live in dashboard/ (registered by the same plugin when present).
 */
const tags = ['calls'];
const uploadErrors = { ...errorResponses, 413: problemSchema, 415: problemSchema };

export async function callRoutes(app: ZodApp, deps: AppDeps) {
  // Multipart parsing exists only for the upload route's scope.
  await app.register(async (scope: ZodApp) => {
    await scope.register(multipart, {
      limits: {
        fileSize: SERVER_MAX_BYTES,
        files: 1,
        fields: 10,
        parts: 11,
        fieldSize: 1024,
        fieldNameSize: 100,
        headerPairs: 50,
      },
    });
    registerUpload(scope, deps);
  });
  registerCallRoutes(app, deps);
  registerRubricRoutes(app, deps);
}

function registerUpload(app: ZodApp, deps: AppDeps) {
  app.post(
    '/v1/calls',
    {
      bodyLimit: SERVER_MAX_BYTES + 64 * 1024,
      schema: {
        tags,
        summary: 'Upload a call recording for analysis',
        description: `Send \`multipart/form-data\` with the recording in the field \`file\` (${ACCEPTED_AUDIO}; the type is sniffed from the bytes, never the name) and optionally \`title\`, \`repName\`, \`rubricId\`, \`language\` (e.g. "en"), \`customerEmail\` and \`customerPhone\` (stored as keyed hashes and encrypted values, so the customer's data-subject requests find the call). Refused at once, with nothing stored: another type (415), larger or longer than the org's limits (413), a duration that cannot be read (400), an unknown rubric (400). The audio is stored encrypted; the call is processed in the background: poll \`GET /v1/calls/{id}\` for \`status\` and \`progress\`.`,
        // Multipart only: the parsed body is null; the handler reads the parts.
        body: z.null().optional(),
        response: { 202: callSummarySchema, ...uploadErrors },
      },
    },
    async (request, reply) => {
      const p = requireRole(request, 'agent');
      if (!request.isMultipart()) {
        throw new AppError(
          'unsupported_media_type',
          'Upload the recording as multipart/form-data in a field named "file"',
        );
      }
      const input = await readCallUpload(request, SERVER_MAX_BYTES);
      const created = await createCall(deps, p.orgId, actorOf(p), input);
      await enqueueCallProcessing(deps, p.orgId, created.id);
      return reply.status(202).send(created);
    },
  );
}

function registerCallRoutes(app: ZodApp, deps: AppDeps) {
  const tenant = <T>(orgId: string, fn: Parameters<typeof withTenant<T>>[2]) =>
    withTenant(deps.database, [orgId], fn);

  app.get(
    '/v1/calls',
    {
      schema: {
        tags,
        summary: 'List calls, newest first, with filters',
        querystring: listCallsQuery,
        response: { 200: callPageSchema, ...errorResponses },
      },
    },
    async (request) => {
      const p = requireRole(request, 'agent');
      return tenant(p.orgId, (tx) => listCalls(tx, p.orgId, request.query));
    },
  );

  app.get(
    '/v1/calls/settings',
    {
      schema: {
        tags,
        summary: 'Call analysis settings: models, default rubric, upload limits',
        response: { 200: callSettingsSchema, ...errorResponses },
      },
    },
    async (request) => {
      const p = requireRole(request, 'agent');
      return tenant(p.orgId, (tx) => readCallSettings(tx, p.orgId));
    },
  );

  app.put(
    '/v1/calls/settings',
    {
      schema: {
        tags,
        summary: 'Set the call analysis settings',
        description:
          '`transcription`: a transcription model of one of the org’s providers (without it calls cannot be processed); `scoring`: a chat model for rubric scoring and coaching (without it, local metrics only); `defaultRubricId`: the rubric of uploads that name none (null: the newest); `maxBytes` and `maxDurationSeconds`: upload limits, within the server’s caps.',
        body: callSettingsBody,
        response: { 200: callSettingsSchema, ...errorResponses },
      },
    },
    async (request) => {
      const p = requireRole(request, 'admin');
      return tenant(p.orgId, (tx) => saveCallSettings(tx, deps.keyring, p.orgId, actorOf(p), request.body));
    },
  );

  app.get(
    '/v1/calls/:id',
    {
      schema: {
        tags,
        summary: 'A call: status, transcript, metrics, scores with evidence, coaching',
        params: idParams,
        response: { 200: callDetailSchema, ...errorResponses },
      },
    },
    async (request) => {
      const p = requireRole(request, 'agent');
      return tenant(p.orgId, (tx) => getCall(tx, deps.keyring, p.orgId, request.params.id));
    },
  );

  app.patch(
    '/v1/calls/:id',
    {
      schema: {
        tags,
        summary: 'Change a call’s title, rep or which speaker is the rep',
        description:
          'A new `repSpeaker` recomputes the local metrics (and the coaching, when a scoring model is set).',
        params: idParams,
        body: callChangesBody,
        response: { 200: callDetailSchema, ...errorResponses },
      },
    },
    async (request) => {
      const p = requireRole(request, 'agent');
      const { id } = request.params;
      const { repSpeakerChanged } = await tenant(p.orgId, (tx) =>
        updateCall(tx, deps.keyring, p.orgId, actorOf(p), id, request.body),
      );
      if (repSpeakerChanged) await requestReprocess(deps, p.orgId, id, { metricsOnly: true });
      return tenant(p.orgId, (tx) => getCall(tx, deps.keyring, p.orgId, id));
    },
  );

  app.get(
    '/v1/calls/:id/audio',
    {
      schema: {
        tags,
        summary: 'The call’s recording (decrypted), with Range support for seeking',
        params: idParams,
        response: { 200: z.any(), 206: z.any(), 416: problemSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const p = requireRole(request, 'agent');
      const { bytes, mediaType } = await readCallAudio(deps, p.orgId, request.params.id);
      reply
        .header('content-type', mediaType)
        .header('accept-ranges', 'bytes')
        .header('cache-control', 'private, no-store');
      const range = byteRange(request.headers.range, bytes.length);
      if (range === 'unsatisfiable') {
        return reply
          .status(416)
          .header('content-range', `bytes */${bytes.length}`)
          .header('content-type', 'application/problem+json')
          .send({
            type: 'about:blank',
            title: 'Range not satisfiable',
            status: 416,
            detail: `The recording is ${bytes.length} bytes`,
            code: 'range_not_satisfiable',
          });
      }
      if (range) {
        return reply
          .status(206)
          .header('content-range', `bytes ${range.start}-${range.end}/${bytes.length}`)
          .send(bytes.subarray(range.start, range.end + 1));
      }
      return reply.send(bytes);
    },
  );

  app.post(
    '/v1/calls/:id/reprocess',
    {
      schema: {
        tags,
        summary: 'Process a call again (scoring redone; the transcript is kept when there is one)',
        description:
          'Optional `rubricId` scores it against another rubric. A call whose transcription failed is transcribed again.',
        params: idParams,
        body: reprocessBody,
        response: { 202: callSummarySchema, 409: problemSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const p = requireRole(request, 'agent');
      const summary = await requestReprocess(deps, p.orgId, request.params.id, {
        actor: actorOf(p),
        ...(request.body?.rubricId ? { rubricId: request.body.rubricId } : {}),
      });
      return reply.status(202).send(summary);
    },
  );

  app.delete(
    '/v1/calls/:id',
    {
      schema: {
        tags,
        summary: 'Delete a call: its audio, transcript, scores, metrics and coaching',
        params: idParams,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const p = requireRole(request, 'admin');
      await deleteCall(deps, p.orgId, actorOf(p), request.params.id);
      await cancelCallProcessing(deps, p.orgId, request.params.id).catch((error: unknown) =>
        request.log.warn({ err: errorForLog(error) }, 'could not cancel the call processing job'),
      );
      return reply.status(204).send(null);
    },
  );
}

function registerRubricRoutes(app: ZodApp, deps: AppDeps) {
  const tenant = <T>(orgId: string, fn: Parameters<typeof withTenant<T>>[2]) =>
    withTenant(deps.database, [orgId], fn);
  const rubricTags = ['calls'];

  app.get(
    '/v1/rubrics',
    {
      schema: {
        tags: rubricTags,
        summary: 'List the org’s rubrics, newest first',
        response: { 200: z.object({ rubrics: z.array(rubricSchema) }), ...errorResponses },
      },
    },
    async (request) => {
      const p = requireRole(request, 'agent');
      return { rubrics: await tenant(p.orgId, (tx) => listRubrics(tx, p.orgId)) };
    },
  );

  app.post(
    '/v1/rubrics',
    {
      schema: {
        tags: rubricTags,
        summary: 'Create a rubric',
        description:
          'Criteria with descriptions and weights (default 1), scored on `scale` (default 1–5). Criterion ids are generated unless given; keep them when editing so scores stay comparable.',
        body: rubricInputSchema,
        response: { 201: rubricSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const p = requireRole(request, 'admin');
      const created = await tenant(p.orgId, (tx) =>
        createRubric(tx, deps.keyring, p.orgId, actorOf(p), request.body),
      );
      return reply.status(201).send(created);
    },
  );

  app.get(
    '/v1/rubrics/:id',
    {
      schema: {
        tags: rubricTags,
        summary: 'A rubric',
        params: idParams,
        response: { 200: rubricSchema, ...errorResponses },
      },
    },
    async (request) => {
      const p = requireRole(request, 'agent');
      return tenant(p.orgId, (tx) => getRubric(tx, p.orgId, request.params.id));
    },
  );

  app.patch(
    '/v1/rubrics/:id',
    {
      schema: {
        tags: rubricTags,
        summary: 'Change a rubric',
        params: idParams,
        body: rubricPatchSchema,
        response: { 200: rubricSchema, ...errorResponses },
      },
    },
    async (request) => {
      const p = requireRole(request, 'admin');
      return tenant(p.orgId, (tx) =>
        updateRubric(tx, deps.keyring, p.orgId, actorOf(p), request.params.id, request.body),
      );
    },
  );

  app.delete(
    '/v1/rubrics/:id',
    {
      schema: {
        tags: rubricTags,
        summary: 'Delete a rubric (scores made with it are kept)',
        params: idParams,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const p = requireRole(request, 'admin');
      await tenant(p.orgId, (tx) => deleteRubric(tx, deps.keyring, p.orgId, actorOf(p), request.params.id));
      return reply.status(204).send(null);
    },
  );
}
