import { z } from 'zod';
import type { AppDeps } from '../../deps.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { errorResponses, idParams, problemSchema } from '../../platform/http/schemas.js';
import type { ZodApp } from '../../platform/http/types.js';
import { checkTenantUrl } from '../../platform/net/check-tenant-url.js';
import { actorOf, requireRole } from '../auth/principal.js';
import { queueAttempts } from './deliveries.js';
import {
  createEndpoint,
  createTestDelivery,
  deleteEndpoint,
  deliveryViewOf,
  endpointView,
  listDeliveries,
  listEndpoints,
  loadEndpoint,
  retryDelivery,
  rotateSecret,
  updateEndpoint,
} from './endpoint-store.js';
import {
  createInboundHook,
  deleteInboundHook,
  inboundHookViewOf,
  listInboundHooks,
  loadInboundHook,
  updateInboundHook,
} from './inbound-hooks.js';
import {
  createInboundHookBody,
  createWebhookBody,
  deliveriesQuery,
  deliveryParams,
  deliveryView,
  inboundHookView,
  inboundHookWithSecret,
  updateInboundHookBody,
  updateWebhookBody,
  webhookView,
  webhookWithSecret,
} from './schemas.js';

/**
 * Webhooks, both ways (admins and owners only: endpoints receive the org's events, inbound hooks
 * act on its conversations). Secrets are returned once, at creation and rotation. A URL that
 * resolves to a private address is refused at save (400) and again at every delivery.
 */
const tags = ['webhooks'];
const withConflict = { ...errorResponses, 409: problemSchema };

export async function webhookRoutes(app: ZodApp, deps: AppDeps) {
  const tenant = <T>(orgId: string, fn: Parameters<typeof withTenant<T>>[2]) =>
    withTenant(deps.database, [orgId], fn);

  app.get(
    '/v1/webhooks',
    {
      schema: {
        tags,
        summary: 'Outgoing webhook endpoints',
        response: { 200: z.object({ webhooks: z.array(webhookView) }), ...errorResponses },
      },
    },
    async (request) => {
      const p = requireRole(request, 'admin');
      return { webhooks: await tenant(p.orgId, (tx) => listEndpoints(tx, p.orgId)) };
    },
  );

  app.post(
    '/v1/webhooks',
    {
      schema: {
        tags,
        summary: 'Add an endpoint (its signing secret is returned once)',
        description:
          'Events are signed with Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`). Payloads hold ids and types; `includeContent` adds message text to `message.created`. Audited (ids only).',
        body: createWebhookBody,
        response: { 201: webhookWithSecret, ...errorResponses },
      },
    },
    async (request, reply) => {
      const p = requireRole(request, 'admin');
      await checkTenantUrl(request.body.url, 'url', deps.net);
      const created = await tenant(p.orgId, (tx) =>
        createEndpoint(tx, deps.keyring, p.orgId, actorOf(p), request.body),
      );
      return reply.status(201).send(created);
    },
  );

  app.get(
    '/v1/webhooks/:id',
    {
      schema: {
        tags,
        summary: 'One endpoint',
        params: idParams,
        response: { 200: webhookView, ...errorResponses },
      },
    },
    async (request) => {
      const p = requireRole(request, 'admin');
      return endpointView(await tenant(p.orgId, (tx) => loadEndpoint(tx, p.orgId, request.params.id)));
    },
  );

  app.patch(
    '/v1/webhooks/:id',
    {
      schema: {
        tags,
        summary: 'Change an endpoint (URL, events, content, enabled)',
        description:
          'Enabling again clears a disabled state (410 or five days of failures). Audited with field names only.',
        params: idParams,
        body: updateWebhookBody,
        response: { 200: webhookView, ...errorResponses },
      },
    },
    async (request) => {
      const p = requireRole(request, 'admin');
      if (request.body.url !== undefined) await checkTenantUrl(request.body.url, 'url', deps.net);
      return tenant(p.orgId, (tx) =>
        updateEndpoint(tx, deps.keyring, p.orgId, actorOf(p), request.params.id, request.body),
      );
    },
  );

  app.delete(
    '/v1/webhooks/:id',
    {
      schema: {
        tags,
        summary: 'Remove an endpoint and its delivery log',
        params: idParams,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const p = requireRole(request, 'admin');
      await tenant(p.orgId, (tx) => deleteEndpoint(tx, deps.keyring, p.orgId, actorOf(p), request.params.id));
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/v1/webhooks/:id/rotate-secret',
    {
      schema: {
        tags,
        summary: 'Rotate the signing secret (the new one is returned once)',
        description:
          'For 24 hours deliveries carry two signatures (new and previous secret), so receivers can switch without a gap.',
        params: idParams,
        response: {
          200: z.object({ secret: z.string(), previousSecretExpiresAt: z.string() }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const p = requireRole(request, 'admin');
      return tenant(p.orgId, (tx) => rotateSecret(tx, deps.keyring, p.orgId, actorOf(p), request.params.id));
    },
  );

  app.post(
    '/v1/webhooks/:id/test',
    {
      schema: {
        tags,
        summary: 'Send a test event (`webhook.test`) now',
        params: idParams,
        response: { 202: deliveryView, ...withConflict },
      },
    },
    async (request, reply) => {
      const p = requireRole(request, 'admin');
      const row = await tenant(p.orgId, (tx) => createTestDelivery(tx, p.orgId, request.params.id));
      await queueAttempts(deps.jobs, [{ orgId: p.orgId, id: row.id, attempts: row.attempts }]);
      return reply.status(202).send(deliveryViewOf(row));
    },
  );

  app.get(
    '/v1/webhooks/:id/deliveries',
    {
      schema: {
        tags,
        summary: 'The delivery log, newest first',
        description:
          'Status code, duration, attempts, next attempt and an error class; never response bodies.',
        params: idParams,
        querystring: deliveriesQuery,
        response: { 200: z.object({ deliveries: z.array(deliveryView) }), ...errorResponses },
      },
    },
    async (request) => {
      const p = requireRole(request, 'admin');
      return {
        deliveries: await tenant(p.orgId, (tx) =>
          listDeliveries(tx, p.orgId, request.params.id, request.query),
        ),
      };
    },
  );

  app.post(
    '/v1/webhooks/:id/deliveries/:deliveryId/retry',
    {
      schema: {
        tags,
        summary: 'Retry a delivery now',
        params: deliveryParams,
        response: { 202: deliveryView, ...withConflict },
      },
    },
    async (request, reply) => {
      const p = requireRole(request, 'admin');
      const row = await tenant(p.orgId, (tx) =>
        retryDelivery(tx, p.orgId, request.params.id, request.params.deliveryId),
      );
      await queueAttempts(deps.jobs, [{ orgId: p.orgId, id: row.id, attempts: row.attempts }]);
      return reply.status(202).send(deliveryViewOf(row));
    },
  );

  const hookView = (row: Parameters<typeof inboundHookViewOf>[0]) =>
    inboundHookViewOf(row, deps.config.publicUrl);

  app.get(
    '/v1/inbound-hooks',
    {
      schema: {
        tags,
        summary: 'Inbound hooks',
        response: { 200: z.object({ hooks: z.array(inboundHookView) }), ...errorResponses },
      },
    },
    async (request) => {
      const p = requireRole(request, 'admin');
      return { hooks: (await tenant(p.orgId, (tx) => listInboundHooks(tx, p.orgId))).map(hookView) };
    },
  );

  app.post(
    '/v1/inbound-hooks',
    {
      schema: {
        tags,
        summary: 'Create an inbound hook (its secret is returned once)',
        description:
          'Integrations `POST` to its `path` with a Standard Webhooks signature: `{ "type": "conversation.message", "conversationId", "text", "authorName"? }` or `{ "type": "conversation.close", "conversationId" }`.',
        body: createInboundHookBody,
        response: { 201: inboundHookWithSecret, ...errorResponses },
      },
    },
    async (request, reply) => {
      const p = requireRole(request, 'admin');
      const { row, secret } = await tenant(p.orgId, (tx) =>
        createInboundHook(tx, deps.keyring, p.orgId, actorOf(p), request.body),
      );
      return reply.status(201).send({ ...hookView(row), secret });
    },
  );

  app.get(
    '/v1/inbound-hooks/:id',
    {
      schema: {
        tags,
        summary: 'One inbound hook',
        params: idParams,
        response: { 200: inboundHookView, ...errorResponses },
      },
    },
    async (request) => {
      const p = requireRole(request, 'admin');
      return hookView(await tenant(p.orgId, (tx) => loadInboundHook(tx, p.orgId, request.params.id)));
    },
  );

  app.patch(
    '/v1/inbound-hooks/:id',
    {
      schema: {
        tags,
        summary: 'Rename, enable or disable an inbound hook',
        params: idParams,
        body: updateInboundHookBody,
        response: { 200: inboundHookView, ...errorResponses },
      },
    },
    async (request) => {
      const p = requireRole(request, 'admin');
      return hookView(
        await tenant(p.orgId, (tx) =>
          updateInboundHook(tx, deps.keyring, p.orgId, actorOf(p), request.params.id, request.body),
        ),
      );
    },
  );

  app.delete(
    '/v1/inbound-hooks/:id',
    {
      schema: {
        tags,
        summary: 'Delete an inbound hook',
        params: idParams,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const p = requireRole(request, 'admin');
      await tenant(p.orgId, (tx) =>
        deleteInboundHook(tx, deps.keyring, p.orgId, actorOf(p), request.params.id),
      );
      return reply.status(204).send(null);
    },
  );
}
