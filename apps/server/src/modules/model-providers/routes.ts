import {
  MODEL_PROVIDER_KINDS,
  MODEL_TYPES_BY_KIND,
  type ModelProviderKind,
  PROVIDER_MODEL_TYPES,
} from '@confidant/contract/model-provider-kinds';
import { z } from 'zod';
import type { AppDeps } from '../../deps.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { AppError } from '../../platform/errors.js';
import { errorResponses, idParams, nonBlank } from '../../platform/http/schemas.js';
import type { ZodApp } from '../../platform/http/types.js';
import { checkTenantUrl } from '../../platform/net/check-tenant-url.js';
import { actorOf, requireRole } from '../auth/principal.js';
import { testProviderConnection } from '../models/test-connection.js';
import {
  createProvider,
  deleteModelProvider,
  deleteProvider,
  getModelProvider,
  getProvider,
  listProviders,
  type ProviderInput,
  saveModelProvider,
  updateProvider,
} from './service.js';

const baseUrlSchema = z
  .string()
  .max(2000)
  .refine((value) => {
    try {
      const url = new URL(value);
      // Credentials in the URL would be stored in plain text; they belong in apiKey.
      return (url.protocol === 'https:' || url.protocol === 'http:') && !url.username && !url.password;
    } catch {
      return false;
    }
  }, 'must be an http:// or https:// URL without credentials (put the key in apiKey)');

const putBody = z.strictObject({
  baseUrl: baseUrlSchema,
  model: nonBlank(200),
  // Omitted keeps the stored key; null clears it. Never trimmed: a key is used byte for byte.
  apiKey: z
    .string()
    .min(1, 'must not be empty')
    .max(500, 'must be at most 500 characters')
    .nullable()
    .optional(),
});

const apiKeySchema = z
  .string()
  .min(1, 'must not be empty')
  .max(500, 'must be at most 500 characters')
  .nullable()
  .optional();

const timeoutMsSchema = z
  .number()
  .int()
  .min(1000)
  .max(120_000)
  .describe(
    'Milliseconds one attempt may wait for the first token of an answer (for the whole reply of a connection test); then it counts as a timeout. Default 30000.',
  );
const maxRetriesSchema = z
  .number()
  .int()
  .min(0)
  .max(3)
  .describe(
    'Retries after a network error, HTTP 408/409/429/5xx or a timeout, only before the first token, with a short backoff (a Retry-After up to 3 s is honoured; longer: no retry). Each attempt is metered. Default 1.',
  );

const providerFields = {
  kind: z.enum(MODEL_PROVIDER_KINDS),
  name: nonBlank(100),
  /** Absent or null: the kind's public endpoint. */
  baseUrl: baseUrlSchema.nullable().optional(),
  region: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as eu-central-1')
    .nullable()
    .optional(),
  models: z
    .array(z.strictObject({ id: nonBlank(200), type: z.enum(PROVIDER_MODEL_TYPES) }))
    .max(50)
    .default([]),
  timeoutMs: timeoutMsSchema.default(30_000),
  maxRetries: maxRetriesSchema.default(1),
  // Omitted keeps the stored key; null clears it. Never trimmed: a key is used byte for byte.
  apiKey: apiKeySchema,
};

const providerBody = z.strictObject(providerFields);
const providerPatch = z.strictObject({
  kind: providerFields.kind.optional(),
  name: providerFields.name.optional(),
  baseUrl: providerFields.baseUrl,
  region: providerFields.region,
  models: z
    .array(z.strictObject({ id: nonBlank(200), type: z.enum(PROVIDER_MODEL_TYPES) }))
    .max(50)
    .optional(),
  timeoutMs: timeoutMsSchema.optional(),
  maxRetries: maxRetriesSchema.optional(),
  apiKey: apiKeySchema,
});

export const providerSchema = z
  .object({
    id: z.string(),
    kind: z.enum(MODEL_PROVIDER_KINDS),
    name: z.string(),
    baseUrl: z.string().nullable(),
    region: z.string().nullable(),
    models: z.array(z.object({ id: z.string(), type: z.enum(PROVIDER_MODEL_TYPES) })),
    timeoutMs: z.number().int(),
    maxRetries: z.number().int(),
    hasApiKey: z.boolean().describe('Whether an API key is stored; the key itself is never returned'),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'ModelProviderEntry' });

/**
 * What a kind cannot do without: an endpoint for the ones with no public default, a region for
 * Bedrock. A 400 whose issue names the body field, so a form can show it there.
 */
function requireConnection(p: {
  kind: ModelProviderKind;
  baseUrl?: string | null;
  region?: string | null;
  models?: readonly { type: string }[];
}): void {
  const missing = (field: string, message: string) =>
    new AppError('validation_failed', `${field}: ${message}`, [{ path: `body.${field}`, message }]);
  // A model type the kind does not offer (transcription at Anthropic…) could never be called.
  const offered: readonly string[] = MODEL_TYPES_BY_KIND[p.kind];
  const wrong = (p.models ?? []).findIndex((m) => !offered.includes(m.type));
  if (wrong >= 0) {
    throw missing(
      `models.${wrong}.type`,
      `providers of kind ${p.kind} offer ${offered.join(', ')} models, not ${p.models![wrong]!.type}`,
    );
  }
  if ((p.kind === 'openai-compatible' || p.kind === 'azure') && !p.baseUrl) {
    throw missing('baseUrl', `required for kind ${p.kind}`);
  }
  if (p.kind === 'amazon-bedrock' && !p.region && !p.baseUrl)
    throw missing('region', 'required for kind amazon-bedrock');
}

export const modelProviderSchema = z
  .object({
    baseUrl: z.string(),
    model: z.string(),
    hasApiKey: z.boolean().describe('Whether an API key is stored; the key itself is never returned'),
    updatedAt: z.string(),
  })
  .meta({ id: 'ModelProvider' });

/**
 * The org's model providers (`/v1/model-providers`, several per org) and the older single
 * OpenAI-compatible endpoint (`/v1/model-provider`, a view onto the org's default — oldest —
 * provider). API keys are write-only.
 */
export async function modelProviderRoutes(app: ZodApp, deps: AppDeps) {
  const tags = ['model providers'];

  app.get(
    '/v1/model-providers',
    {
      schema: {
        tags,
        summary: "List the organization's model providers (oldest first; the first is the default)",
        response: { 200: z.object({ providers: z.array(providerSchema) }), ...errorResponses },
      },
    },
    async (request) => {
      const p = requireRole(request, 'admin');
      return { providers: await withTenant(deps.database, [p.orgId], (tx) => listProviders(tx, p.orgId)) };
    },
  );

  app.post(
    '/v1/model-providers',
    {
      schema: {
        tags,
        summary: 'Add a model provider',
        description:
          'A kind (openai, anthropic, google, xai, perplexity, mistral, azure, amazon-bedrock, openai-compatible, deepgram, elevenlabs), the models used there (chat, embedding, transcription or speech: only the types the kind offers), an endpoint (`baseUrl`, the public one of the kind when omitted; required for openai-compatible and azure), Bedrock’s `region`, and an API key stored encrypted and never returned. `baseUrl` must resolve to public addresses (private networks only when the operator allows them), checked now and at every call.',
        body: providerBody,
        response: { 201: providerSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const p = requireRole(request, 'admin');
      requireConnection(request.body);
      if (request.body.baseUrl) await checkTenantUrl(request.body.baseUrl, 'baseUrl', deps.net);
      const created = await withTenant(deps.database, [p.orgId], (tx) =>
        createProvider(tx, deps.keyring, p.orgId, actorOf(p), request.body as ProviderInput),
      );
      return reply.status(201).send(created);
    },
  );

  app.get(
    '/v1/model-providers/:id',
    {
      schema: {
        tags,
        summary: 'Get a model provider',
        params: idParams,
        response: { 200: providerSchema, ...errorResponses },
      },
    },
    async (request) => {
      const p = requireRole(request, 'admin');
      return withTenant(deps.database, [p.orgId], (tx) => getProvider(tx, p.orgId, request.params.id));
    },
  );

  app.patch(
    '/v1/model-providers/:id',
    {
      schema: {
        tags,
        summary: 'Change a model provider',
        description: 'Fields omitted are kept; `apiKey: null` clears the stored key.',
        params: idParams,
        body: providerPatch,
        response: { 200: providerSchema, ...errorResponses },
      },
    },
    async (request) => {
      const p = requireRole(request, 'admin');
      const body = request.body;
      if (body.baseUrl) await checkTenantUrl(body.baseUrl, 'baseUrl', deps.net);
      return withTenant(deps.database, [p.orgId], async (tx) => {
        const current = await getProvider(tx, p.orgId, request.params.id);
        requireConnection({
          kind: body.kind ?? current.kind,
          baseUrl: body.baseUrl === undefined ? current.baseUrl : body.baseUrl,
          region: body.region === undefined ? current.region : body.region,
          models: body.models ?? current.models,
        });
        return updateProvider(
          tx,
          deps.keyring,
          p.orgId,
          actorOf(p),
          request.params.id,
          body as Partial<ProviderInput>,
        );
      });
    },
  );

  app.post(
    '/v1/model-providers/:id/test',
    {
      schema: {
        tags,
        summary:
          'Test the connection: one tiny call to the first chat model (else transcription, else speech model)',
        description:
          'A chat model is asked for one word; a transcription model transcribes a bundled half-second clip; a speech model speaks one word. Reports whether the provider answered, how long it took and, if not, why in words (refused key, unknown model, address not allowed, timeout). The reply itself is not returned.',
        params: idParams,
        response: {
          200: z.object({
            ok: z.boolean(),
            model: z.string(),
            latencyMs: z.number(),
            error: z.string().nullable(),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const p = requireRole(request, 'admin');
      return testProviderConnection(deps, p.orgId, request.params.id);
    },
  );

  app.delete(
    '/v1/model-providers/:id',
    {
      schema: {
        tags,
        summary: 'Remove a model provider and its stored key',
        params: idParams,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const p = requireRole(request, 'admin');
      await withTenant(deps.database, [p.orgId], (tx) =>
        deleteProvider(tx, deps.keyring, p.orgId, actorOf(p), request.params.id),
      );
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/v1/model-provider',
    {
      schema: {
        tags: ['model provider'],
        summary: "Get the organization's model provider (404 when none is set)",
        response: { 200: modelProviderSchema, ...errorResponses },
      },
    },
    async (request) => {
      const p = requireRole(request, 'admin');
      return withTenant(deps.database, [p.orgId], (tx) => getModelProvider(tx, p.orgId));
    },
  );

  app.put(
    '/v1/model-provider',
    {
      schema: {
        tags: ['model provider'],
        summary: "Set the organization's model provider",
        description:
          'Any OpenAI-compatible endpoint. The API key is stored encrypted and never returned; omit `apiKey` to keep the stored one, send `null` to clear it. `baseUrl` must resolve to public addresses (private networks only when the operator allows them; cloud metadata addresses never), checked now and at every call.',
        body: putBody,
        response: { 200: modelProviderSchema, ...errorResponses },
      },
    },
    async (request) => {
      const p = requireRole(request, 'admin');
      // Before the transaction: DNS may take seconds, and a refused URL stores nothing.
      await checkTenantUrl(request.body.baseUrl, 'baseUrl', deps.net);
      return withTenant(deps.database, [p.orgId], (tx) =>
        saveModelProvider(tx, deps.keyring, p.orgId, actorOf(p), request.body),
      );
    },
  );

  app.delete(
    '/v1/model-provider',
    {
      schema: {
        tags: ['model provider'],
        summary: "Remove the organization's model provider and its stored key",
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const p = requireRole(request, 'admin');
      await withTenant(deps.database, [p.orgId], (tx) =>
        deleteModelProvider(tx, deps.keyring, p.orgId, actorOf(p)),
      );
      return reply.status(204).send(null);
    },
  );
}
