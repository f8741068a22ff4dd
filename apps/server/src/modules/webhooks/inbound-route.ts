import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../../deps.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { AppError, notFound } from '../../platform/errors.js';
import { problemSchema, safeString } from '../../platform/http/schemas.js';
import type { ZodApp } from '../../platform/http/types.js';
import { loadInboundHook, parsePublicId, runInboundAction, verifyInbound } from './inbound-hooks.js';

/**
 * `POST /v1/hooks/{publicId}`: public (no org credential; the signature is the credential). The
 * body is kept as the exact text received, because the signature covers those bytes; it is
 * parsed only after the signature verifies (inbound-hooks.ts).
 */
const MAX_BODY_BYTES = 64 * 1024;

export async function inboundHookRoute(app: FastifyInstance, deps: AppDeps) {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: MAX_BODY_BYTES }, (_request, body, done) =>
    done(null, body),
  );
  const zodApp = app as unknown as ZodApp;
  zodApp.post(
    '/v1/hooks/:publicId',
    {
      schema: {
        tags: ['webhooks'],
        security: [],
        summary: 'Inbound hook: post an operator message into a conversation, or close it',
        description:
          'Signed with Standard Webhooks (the hook’s `whsec_` secret), timestamp within five minutes, each `webhook-id` accepted once. Refusals change nothing: 401 (missing, stale or bad signature), 404 (unknown hook or conversation), 409 (replayed id, or closed conversation), 400 (not an action).',
        params: z.strictObject({ publicId: safeString().max(100) }),
        response: {
          200: z.object({ ok: z.literal(true), messageId: z.string().optional(), changed: z.boolean() }),
          400: problemSchema,
          401: problemSchema,
          404: problemSchema,
          409: problemSchema,
        },
      },
    },
    async (request) => {
      const ids = parsePublicId(request.params.publicId);
      if (!ids) throw notFound('Inbound hook');
      const raw = typeof request.body === 'string' ? request.body : '';
      const header = (name: string) => {
        const v = request.headers[name];
        return typeof v === 'string' ? v : undefined;
      };
      const headers = {
        id: header('webhook-id'),
        timestamp: header('webhook-timestamp'),
        signature: header('webhook-signature'),
      };
      const result = await withTenant(deps.database, [ids.orgId], async (tx) => {
        const hook = await loadInboundHook(tx, ids.orgId, ids.hookId).catch(() => null);
        if (!hook?.enabled) throw notFound('Inbound hook');
        const action = verifyInbound(deps.keyring, hook, raw, headers);
        if (!headers.id) throw new AppError('unauthorized', 'Missing webhook-id');
        return runInboundAction(tx, deps, hook, headers.id, action);
      });
      return { ok: true as const, ...result };
    },
  );
}
