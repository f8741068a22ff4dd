import { z } from 'zod';
import type { AppDeps } from '../../../deps.js';
import { withTenant } from '../../../platform/db/tenancy.js';
import { AppError } from '../../../platform/errors.js';
import { errorResponses, idParams, nonBlank } from '../../../platform/http/schemas.js';
import type { ZodApp } from '../../../platform/http/types.js';
import { actorOf, requireRole } from '../../auth/principal.js';
import { authorizeVisitor } from '../../conversations/visitor-auth.js';
import { recordIdentifyConsent } from '../consent/service.js';
import { hasIdentitySecret, readIdentitySecret, rotateIdentitySecret } from './identity-secret.js';
import { recordIdentity } from './record-identity.js';
import { verifyIdentityHmac } from './verify-identity.js';

/**
 * Admin: `POST /v1/agents/{id}/identity-secret` generates (or rotates) the agent's identity secret
 * and returns it once; `GET` says whether one exists.
 */
export async function identitySecretRoutes(app: ZodApp, deps: AppDeps) {
  app.post(
    '/v1/agents/:id/identity-secret',
    {
      schema: {
        tags: ['agents'],
        summary: 'Generate or rotate the identity secret (shown once)',
        description:
          'The host site signs each user id with hex(HMAC-SHA256(secret, userId)) for Confidant.identify. Generating a new secret invalidates the old one.',
        params: idParams,
        response: { 201: z.object({ secret: z.string(), createdAt: z.string() }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const principal = requireRole(request, 'admin');
      const issued = await withTenant(deps.database, [principal.orgId], (tx) =>
        rotateIdentitySecret(tx, deps.keyring, principal.orgId, request.params.id, actorOf(principal)),
      );
      return reply.status(201).header('cache-control', 'no-store').send(issued);
    },
  );

  app.get(
    '/v1/agents/:id/identity-secret',
    {
      schema: {
        tags: ['agents'],
        summary: 'Whether the agent has an identity secret (never the secret)',
        params: idParams,
        response: { 200: z.object({ configured: z.boolean() }), ...errorResponses },
      },
    },
    async (request) => {
      const principal = requireRole(request, 'admin');
      const configured = await withTenant(deps.database, [principal.orgId], (tx) =>
        hasIdentitySecret(tx, principal.orgId, request.params.id),
      );
      return { configured };
    },
  );
}

const identifyBody = z.strictObject({
  userId: nonBlank(200),
  email: z.email({ message: 'must be an email address' }).max(254).optional(),
  name: nonBlank(200).optional(),
  hmac: z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be the hex HMAC-SHA256 of the user id'),
});

/**
 * Widget: `POST /v1/widget/conversations/{id}/identify` — what Confidant.identify sends once a
 * conversation exists. A wrong (or missing) HMAC is a 403 and nothing is recorded; an agent with
 * no identity secret refuses every identity (403), so a visitor can never claim to be someone.
 */
export async function widgetIdentifyRoute(app: ZodApp, deps: AppDeps) {
  app.post(
    '/v1/widget/conversations/:id/identify',
    {
      schema: {
        tags: ['widget'],
        summary: 'Tell who the visitor is, signed by the host site (Confidant.identify)',
        description:
          'Authorization: Bearer <visitor token>. { userId, email?, name?, hmac } where hmac = hex(HMAC-SHA256(identity secret, userId)) → 204. Wrong hmac → 403, nothing stored.',
        security: [],
        params: z.strictObject({ id: z.uuid({ message: 'must be a UUID' }) }),
        body: identifyBody,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { claims } = await authorizeVisitor(deps, request, request.params.id);
      const { userId, email, name, hmac } = request.body;
      await withTenant(deps.database, [claims.org], async (tx) => {
        const secret = await readIdentitySecret(tx, deps.keyring, claims.org, claims.agent);
        if (!secret) throw new AppError('forbidden', 'This agent does not accept identities');
        if (!verifyIdentityHmac(secret, userId, hmac)) {
          throw new AppError('forbidden', 'The identity signature does not match the user id');
        }
        await recordIdentity(tx, deps.keyring, claims.org, claims.conversation, { userId, email, name });
        await recordIdentifyConsent(tx, {
          orgId: claims.org,
          agentId: claims.agent,
          conversationId: claims.conversation,
        });
      });
      return reply.status(204).send(null);
    },
  );
}
