import multipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../../deps.js';
import { releaseBlob } from '../../platform/blobs/service.js';
import { answerModes, persistenceModes, widgetPositions } from '../../platform/db/schema/index.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { AppError } from '../../platform/errors.js';
import {
  errorResponses,
  idParams,
  nonBlank,
  problemSchema,
  safeString,
} from '../../platform/http/schemas.js';
import type { ZodApp } from '../../platform/http/types.js';
import { actorOf, requireRole } from '../auth/principal.js';
import { AVATAR_MAX_BYTES, appearanceFields, sniffAvatar } from './appearance.js';
import { businessHoursSchema } from './business-hours.js';
import {
  agentView,
  createAgent,
  deleteAgent,
  getAgentRow,
  listAgentsCached,
  setAgentAvatar,
  updateAgent,
} from './service.js';
import { checkVoiceSettings, voiceSettingsSchema, voiceSettingsViewSchema } from './voice-settings.js';

/** An origin exactly as browsers send it (scheme://host[:port]), or "*" for anywhere. */
const originSchema = z
  .string()
  .max(300)
  .refine((value) => {
    if (value === '*') return true;
    try {
      const url = new URL(value);
      return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
    } catch {
      return false;
    }
  }, 'must be an origin like https://www.example.com (no path or trailing slash), or *');

const modelChoice = z.strictObject({
  providerId: z.uuid({ message: 'must be a UUID' }),
  model: nonBlank(200),
  temperature: z.number().min(0).max(2).optional(),
  maxOutputTokens: z.number().int().min(1).max(64_000).optional(),
});

const agentFields = {
  model: modelChoice
    .nullable()
    .describe(
      "The model that answers in model mode (one of the org's providers); null = the org's default provider",
    ),
  fallbacks: z
    .array(modelChoice)
    .max(5)
    .describe('Tried in order when the model fails; the extractive answerer is always the last resort'),
  name: nonBlank(100),
  instructions: safeString().max(8000),
  greeting: safeString().max(500),
  starters: z.array(nonBlank(120)).max(6),
  allowedOrigins: z.array(originSchema).max(50),
  answerMode: z.enum(answerModes),
  handoffEnabled: z.boolean(),
  persistence: z
    .enum(persistenceModes)
    .describe(
      "Where the widget may keep the conversation in the visitor's browser, only after the first message: none, tab (sessionStorage, default) or device (localStorage, only if the visitor opts in)",
    ),
  storeTranscripts: z
    .boolean()
    .describe(
      'false = ephemeral: message text is held only in server memory while the conversation is open (live takeover works), never stored; only anonymous counts remain. Applies to conversations started after the change',
    ),
  businessHours: businessHoursSchema
    .nullable()
    .describe(
      'Weekly opening hours in an IANA time zone; outside them the widget offers the offline flow instead of promising a person. null: whenever an operator is present',
    ),
  voice: voiceSettingsSchema.describe(
    'Voice in the widget (microphone, spoken answers); off by default. Models must be of the org’s own providers',
  ),
  ...appearanceFields,
};

const createBody = z.strictObject({
  ...agentFields,
  instructions: agentFields.instructions.optional(),
  greeting: agentFields.greeting.optional(),
  starters: agentFields.starters.optional(),
  allowedOrigins: agentFields.allowedOrigins.optional(),
  answerMode: agentFields.answerMode.optional(),
  handoffEnabled: agentFields.handoffEnabled.optional(),
  persistence: agentFields.persistence.optional(),
  storeTranscripts: agentFields.storeTranscripts.optional(),
  businessHours: agentFields.businessHours.optional(),
  accentColor: agentFields.accentColor.optional(),
  position: agentFields.position.optional(),
  launcherLabel: agentFields.launcherLabel.optional(),
  model: agentFields.model.optional(),
  fallbacks: agentFields.fallbacks.optional(),
  voice: agentFields.voice.optional(),
});

const patchBody = z
  .strictObject({
    name: agentFields.name.optional(),
    instructions: agentFields.instructions.optional(),
    greeting: agentFields.greeting.optional(),
    starters: agentFields.starters.optional(),
    allowedOrigins: agentFields.allowedOrigins.optional(),
    answerMode: agentFields.answerMode.optional(),
    handoffEnabled: agentFields.handoffEnabled.optional(),
    persistence: agentFields.persistence.optional(),
    storeTranscripts: agentFields.storeTranscripts.optional(),
    businessHours: agentFields.businessHours.optional(),
    accentColor: agentFields.accentColor.optional(),
    position: agentFields.position.optional(),
    launcherLabel: agentFields.launcherLabel.optional(),
    model: agentFields.model.optional(),
    fallbacks: agentFields.fallbacks.optional(),
    voice: agentFields.voice.optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'send at least one field to change');

export const agentSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    instructions: z.string(),
    greeting: z.string(),
    starters: z.array(z.string()),
    allowedOrigins: z.array(z.string()),
    publishableKey: z.string(),
    answerMode: z.enum(answerModes),
    handoffEnabled: z.boolean(),
    persistence: z.enum(persistenceModes),
    storeTranscripts: z.boolean(),
    businessHours: businessHoursSchema.nullable(),
    accentColor: z.string(),
    position: z.enum(widgetPositions),
    launcherLabel: z.string().nullable(),
    model: modelChoice.nullable(),
    fallbacks: z.array(modelChoice),
    voice: voiceSettingsViewSchema,
    avatarUrl: z.string().nullable().describe('Path of the avatar on this server, or null'),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Agent' });

/**
 * Reads the one image of an avatar upload (multipart field "file"), refusing anything else: a
 * second file or another field (400), more than AVATAR_MAX_BYTES (413, while streaming), bytes
 * that are not PNG, JPEG or WebP whatever the name says (415).
 */
async function readAvatar(request: FastifyRequest): Promise<{ bytes: Uint8Array; mimeType: string }> {
  let bytes: Buffer | undefined;
  try {
    for await (const part of request.parts()) {
      if (part.type !== 'file' || part.fieldname !== 'file' || bytes)
        throw new AppError(
          'bad_request',
          'Send one image in a multipart field named "file", and nothing else',
        );
      bytes = await part.toBuffer();
    }
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE')
      throw new AppError('payload_too_large', `The avatar must be at most ${AVATAR_MAX_BYTES / 1024} KB`);
    if (code === 'FST_FILES_LIMIT' || code === 'FST_FIELDS_LIMIT' || code === 'FST_PARTS_LIMIT')
      throw new AppError('bad_request', 'Send one image in a multipart field named "file", and nothing else');
    if (error instanceof AppError || code?.startsWith('FST_')) throw error;
    throw new AppError('bad_request', 'The multipart/form-data body is malformed');
  }
  if (!bytes || bytes.length === 0)
    throw new AppError('bad_request', 'Send the image in a multipart field named "file"');
  const mimeType = sniffAvatar(bytes);
  if (!mimeType) throw new AppError('unsupported_media_type', 'The avatar must be a PNG, JPEG or WebP image');
  return { bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), mimeType };
}

export async function agentRoutes(app: ZodApp, deps: AppDeps) {
  // Multipart parsing exists only for the avatar route; everything else stays JSON-only.
  await app.register(async (scope: ZodApp) => {
    await scope.register(multipart, {
      limits: { fileSize: AVATAR_MAX_BYTES, files: 1, fields: 0, parts: 2, headerPairs: 20 },
    });
    avatarRoutes(scope, deps);
  });
  const tenant = <T>(orgId: string, fn: Parameters<typeof withTenant<T>>[2]) =>
    withTenant(deps.database, [orgId], fn);

  app.post(
    '/v1/agents',
    {
      schema: {
        tags: ['agents'],
        summary: 'Create an agent',
        body: createBody,
        response: { 201: agentSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const p = requireRole(request, 'admin');
      // Outside the write's transaction: resolving opens its own (one connection on PGlite).
      if (request.body.voice) await checkVoiceSettings(deps, p.orgId, request.body.voice);
      const agent = await tenant(p.orgId, (tx) =>
        createAgent(tx, deps.keyring, p.orgId, actorOf(p), request.body),
      );
      return reply.status(201).send(agent);
    },
  );

  app.get(
    '/v1/agents',
    {
      schema: {
        tags: ['agents'],
        summary: 'List agents',
        response: { 200: z.object({ agents: z.array(agentSchema) }), ...errorResponses },
      },
    },
    async (request) => {
      const p = requireRole(request, 'viewer');
      return { agents: await listAgentsCached(deps.database, p.orgId) };
    },
  );

  app.get(
    '/v1/agents/:id',
    {
      schema: {
        tags: ['agents'],
        summary: 'Get an agent',
        params: idParams,
        response: { 200: agentSchema, ...errorResponses },
      },
    },
    async (request) => {
      const p = requireRole(request, 'viewer');
      return agentView(await tenant(p.orgId, (tx) => getAgentRow(tx, p.orgId, request.params.id)));
    },
  );

  app.patch(
    '/v1/agents/:id',
    {
      schema: {
        tags: ['agents'],
        summary: 'Change an agent',
        params: idParams,
        body: patchBody,
        response: { 200: agentSchema, ...errorResponses },
      },
    },
    async (request) => {
      const p = requireRole(request, 'admin');
      if (request.body.voice) await checkVoiceSettings(deps, p.orgId, request.body.voice);
      return tenant(p.orgId, (tx) =>
        updateAgent(tx, deps.keyring, p.orgId, actorOf(p), request.params.id, request.body),
      );
    },
  );

  app.delete(
    '/v1/agents/:id',
    {
      schema: {
        tags: ['agents'],
        summary: 'Delete an agent and its conversations',
        params: idParams,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const p = requireRole(request, 'admin');
      const { avatarHash } = await tenant(p.orgId, (tx) =>
        deleteAgent(tx, deps.keyring, p.orgId, actorOf(p), request.params.id),
      );
      if (avatarHash) await releaseBlob(deps.database, deps.blobStore, p.orgId, avatarHash);
      return reply.status(204).send(null);
    },
  );
}

function avatarRoutes(app: ZodApp, deps: AppDeps) {
  const avatarErrors = { ...errorResponses, 413: problemSchema, 415: problemSchema };
  /** Drops the previous image once nothing uses it (after the change committed). */
  const release = async (orgId: string, hash: string | null) => {
    if (hash) await releaseBlob(deps.database, deps.blobStore, orgId, hash);
  };

  app.put(
    '/v1/agents/:id/avatar',
    {
      schema: {
        tags: ['agents'],
        summary: 'Set the avatar shown in the widget',
        description:
          'multipart/form-data with one image in the field `file`: PNG, JPEG or WebP (recognised from its bytes, not its name), at most 256 KB. Served to the widget from this server under a content-hashed URL (`avatarUrl`).',
        params: idParams,
        response: { 200: agentSchema, ...avatarErrors },
      },
    },
    async (request) => {
      const p = requireRole(request, 'admin');
      if (!request.isMultipart())
        throw new AppError(
          'unsupported_media_type',
          'Upload the avatar as multipart/form-data (field "file")',
        );
      const image = await readAvatar(request);
      const { agent, previousHash } = await withTenant(deps.database, [p.orgId], (tx) =>
        setAgentAvatar(tx, deps.blobStore, deps.keyring, p.orgId, actorOf(p), request.params.id, image),
      );
      await release(p.orgId, previousHash);
      return agent;
    },
  );

  app.delete(
    '/v1/agents/:id/avatar',
    {
      schema: {
        tags: ['agents'],
        summary: 'Remove the avatar',
        params: idParams,
        response: { 200: agentSchema, ...errorResponses },
      },
    },
    async (request) => {
      const p = requireRole(request, 'admin');
      const { agent, previousHash } = await withTenant(deps.database, [p.orgId], (tx) =>
        setAgentAvatar(tx, deps.blobStore, deps.keyring, p.orgId, actorOf(p), request.params.id, null),
      );
      await release(p.orgId, previousHash);
      return agent;
    },
  );
}
