import { z } from 'zod';
import type { AppDeps } from '../../deps.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { errorResponses, nonBlank } from '../../platform/http/schemas.js';
import type { ZodApp } from '../../platform/http/types.js';
import { checkTenantUrl } from '../../platform/net/check-tenant-url.js';
import { actorOf, requireRole } from '../auth/principal.js';
import { deleteModelProvider, getModelProvider, saveModelProvider } from './service.js';

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

export const modelProviderSchema = z
  .object({
    baseUrl: z.string(),
    model: z.string(),
    hasApiKey: z.boolean().describe('Whether an API key is stored; the key itself is never returned'),
    updatedAt: z.string(),
  })
  .meta({ id: 'ModelProvider' });

/** The org's own OpenAI-compatible model endpoint. The API key is write-only. */
export async function modelProviderRoutes(app: ZodApp, deps: AppDeps) {
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
