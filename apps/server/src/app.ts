import { randomUUID } from 'node:crypto';
import helmet from '@fastify/helmet';
import swagger from '@fastify/swagger';
import { sql } from 'drizzle-orm';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from './deps.js';
import { actionRoutes } from './modules/actions/routes.js';
import { agentPreviewRoutes } from './modules/agent-preview/routes.js';
import { agentRoutes } from './modules/agents/routes.js';
import { agentSourceRoutes } from './modules/agents/source-routes.js';
import { playgroundRoutes } from './modules/answers/playground-routes.js';
import { apiKeyRoutes } from './modules/api-keys/routes.js';
import { auditDeniedRequests } from './modules/audit/denied-requests.js';
import { auditRoutes } from './modules/audit/routes.js';
import { createAdminRateLimits } from './modules/auth/admin-rate-limits.js';
import { createAuthenticator } from './modules/auth/authenticate.js';
import { trustedOrigins } from './modules/auth/better-auth.js';
import { registerConsoleAuth } from './modules/auth/routes.js';
import { createSessionResolver } from './modules/auth/session-principal.js';
import { callDashboardRoutes } from './modules/calls/dashboard/index.js';
import { callRoutes } from './modules/calls/index.js';
import { consoleAssetRoutes } from './modules/console-assets/routes.js';
import { widgetRatingRoute } from './modules/conversations/ratings/rating-route.js';
import { widgetRoutes } from './modules/conversations/routes.js';
import { voiceRecordingRoutes } from './modules/conversations/voice/recording-routes.js';
import { widgetContactRoute } from './modules/conversations/widget-contact-route.js';
import { widgetLiveRoutes } from './modules/conversations/widget-live-routes.js';
import { demoRoutes } from './modules/demo/routes.js';
import { flowRoutes } from './modules/flows/routes.js';
import { flowWidgetRoutes } from './modules/flows/widget-routes.js';
import { operatorEventsRoute } from './modules/inbox/events-route.js';
import { inboxRoutes } from './modules/inbox/routes.js';
import { incidentRoutes } from './modules/incidents/routes.js';
import {
  embeddingModelRoutes,
  knowledgeRoutes,
  searchMode,
  synonymRoutes,
} from './modules/knowledge/index.js';
import { memberRoutes } from './modules/members/routes.js';
import { modelProviderRoutes } from './modules/model-providers/routes.js';
import { notificationRoutes } from './modules/notifications/routes.js';
import { orgRoutes } from './modules/orgs/routes.js';
import { capturedDataRoutes } from './modules/privacy/consent/routes.js';
import { processingRecordsRoutes } from './modules/privacy/records/routes.js';
import { redactionTestRoute } from './modules/privacy/redaction/redact-route.js';
import { privacyRequestRoutes } from './modules/privacy/requests/routes.js';
import { legalHoldRoutes } from './modules/privacy/retention/legal-hold-routes.js';
import { retentionRoutes } from './modules/privacy/retention/routes.js';
import { identitySecretRoutes, widgetIdentifyRoute } from './modules/privacy/subjects/identity-routes.js';
import { usageRoutes } from './modules/usage/routes.js';
import { inboundHookRoute } from './modules/webhooks/inbound-route.js';
import { webhookRoutes } from './modules/webhooks/routes.js';
import { widgetAssetRoutes } from './modules/widget-assets/routes.js';
import { detectCapabilities } from './platform/db/capabilities.js';
import { AppError, registerErrorHandling } from './platform/errors.js';
import { registerApiReference } from './platform/http/api-reference.js';
import { answerClientError, answerFrameworkError } from './platform/http/framework-errors.js';
import { registerStrictJsonParser } from './platform/http/json-parser.js';
import { rateLimitContext, registerRateLimiting } from './platform/http/rate-limit.js';
import type { ZodApp } from './platform/http/types.js';

/** Paths under /v1 that do not take an org credential (the widget has its own). */
const publicPrefixes = ['/v1/widget/'];

const REQUEST_ID = /^[A-Za-z0-9._-]{8,128}$/;

/**
 * Builds the HTTP application. Never listens: main.ts does, tests use `app.inject` or listen on
 * port 0 themselves.
 */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { trustProxy } = deps.config;
  const app = Fastify({
    // One logger for requests and jobs; Fastify types its instance as its own base logger.
    loggerInstance: deps.log as FastifyBaseLogger,
    bodyLimit: deps.config.maxBodyBytes,
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    },
    routerOptions: { ignoreTrailingSlash: true },
    // Whether X-Forwarded-For is believed (request.ip); off unless CONFIDANT_TRUST_PROXY says so.
    // A hop count trusts that many proxies in front (what Fastify does with a number at runtime,
    // spelt as a function because its types omit numbers).
    trustProxy:
      typeof trustProxy === 'number' ? (_address: string, hop: number) => hop < trustProxy : trustProxy,
    // Shutdown answers new requests with our own 503 problem (below), not Fastify's plain JSON.
    return503OnClosing: false,
    // Errors before routing (bad URL, oversized headers…) answer with problem+json too.
    frameworkErrors: answerFrameworkError,
    clientErrorHandler: answerClientError,
  }).withTypeProvider<ZodTypeProvider>();

  // Once per database, before serving: enables pgvector where possible (hybrid search needs it).
  await detectCapabilities(deps.database);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(app);
  registerStrictJsonParser(app);
  // Before any route: each surface defines its own limits (see platform/http/rate-limit.ts).
  await registerRateLimiting(app, rateLimitContext(deps));
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', async () => {
    if (closing) throw new AppError('unavailable', 'The server is shutting down; retry in a moment');
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  await app.register(helmet, {
    // JSON APIs need no CSP; HTML pages (demo, docs) set their own.
    contentSecurityPolicy: false,
    // The widget script and widget API are loaded from other sites by design.
    crossOriginResourcePolicy: { policy: 'cross-origin' },
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Confidant API',
        version: '0.1.0',
        description:
          'Privacy-first conversational AI for customer support. Admin routes take `Authorization: Bearer <org API key>`; widget routes take a publishable agent key and a short-lived visitor token.',
      },
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'Organization API key (ck_…)' },
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: 'confidant.session_token',
            description:
              'Console session (sign in at /api/auth/sign-in/email); admin routes also take X-Confidant-Org',
          },
        },
      },
      security: [{ apiKey: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await registerApiReference(app);
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.get(
    '/healthz',
    { schema: { tags: ['health'], security: [], response: { 200: z.object({ status: z.literal('ok') }) } } },
    async () => ({ status: 'ok' as const }),
  );
  app.get(
    '/readyz',
    {
      schema: {
        tags: ['health'],
        security: [],
        response: {
          200: z.object({
            status: z.literal('ok'),
            database: z.string(),
            search: z.enum(['hybrid', 'lexical']),
            /** Why search is lexical only (no embedding model configured, no pgvector). */
            searchReason: z.string().optional(),
          }),
          503: z.object({ status: z.string() }),
        },
      },
    },
    async (_request, reply) => {
      try {
        await deps.database.db.execute(sql`select 1`);
        const search = await searchMode(deps);
        return {
          status: 'ok' as const,
          database: deps.database.kind,
          search: search.mode,
          ...(search.mode === 'lexical' ? { searchReason: search.reason } : {}),
        };
      } catch {
        return reply.status(503).send({ status: 'database unavailable' });
      }
    },
  );

  // Public, outside /v1: the embeddable widget script, the demo store page and the console's files
  // (the console's data comes from /v1 with a session like any other client).
  await widgetAssetRoutes(app);
  await consoleAssetRoutes(app);
  await agentPreviewRoutes(app, deps);
  await demoRoutes(app, deps);

  // Console users: Better Auth at /api/auth/* and the session-only routes (/v1/me, accepting an
  // invitation) live outside the org-auth hook; admin routes accept a session via the resolver.
  await registerConsoleAuth(app, deps, deps.auth);
  const sessionResolver = createSessionResolver(deps.auth, deps.database, trustedOrigins(deps.config));
  const authenticate = createAuthenticator(deps.database, [sessionResolver]);
  const authenticateLimited = createAdminRateLimits(app, deps);
  await app.register(async (admin) => {
    admin.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      if (publicPrefixes.some((p) => request.url.startsWith(p))) return;
      await authenticateLimited(request, reply, authenticate);
    });
    auditDeniedRequests(admin, deps);
    const zodAdmin = admin as unknown as ZodApp;
    await orgRoutes(zodAdmin, deps);
    await apiKeyRoutes(zodAdmin, deps);
    await agentRoutes(zodAdmin, deps);
    await agentSourceRoutes(zodAdmin, deps);
    await actionRoutes(zodAdmin, deps);
    await memberRoutes(zodAdmin, deps);
    await knowledgeRoutes(zodAdmin, deps);
    await synonymRoutes(zodAdmin, deps);
    await embeddingModelRoutes(zodAdmin, deps);
    await playgroundRoutes(zodAdmin, deps);
    await modelProviderRoutes(zodAdmin, deps);
    await inboxRoutes(zodAdmin, deps);
    await auditRoutes(zodAdmin, deps);
    await usageRoutes(zodAdmin, deps);
    await notificationRoutes(zodAdmin, deps);
    await operatorEventsRoute(zodAdmin, deps);
    await retentionRoutes(zodAdmin, deps);
    await legalHoldRoutes(zodAdmin, deps);
    await identitySecretRoutes(zodAdmin, deps);
    await privacyRequestRoutes(zodAdmin, deps);
    await incidentRoutes(zodAdmin, deps);
    await redactionTestRoute(zodAdmin, deps);
    await processingRecordsRoutes(zodAdmin, deps);
    await flowRoutes(zodAdmin, deps);
    await capturedDataRoutes(zodAdmin, deps);
    await voiceRecordingRoutes(zodAdmin, deps);
    await webhookRoutes(zodAdmin, deps);
    await callRoutes(zodAdmin, deps);
    await callDashboardRoutes(zodAdmin, deps);
  });
  // Inbound hooks: public, the Standard Webhooks signature is the credential (raw body kept).
  await app.register(async (hooks) => {
    await inboundHookRoute(hooks, deps);
  });
  // The widget API: publishable agent key + Origin + visitor token; no org credential, no cookies.
  await app.register(async (widget) => {
    await widgetRoutes(widget as unknown as ZodApp, deps);
    await widgetLiveRoutes(widget as unknown as ZodApp, deps);
    await widgetContactRoute(widget as unknown as ZodApp, deps);
    await widgetIdentifyRoute(widget as unknown as ZodApp, deps);
    await flowWidgetRoutes(widget as unknown as ZodApp, deps);
    await widgetRatingRoute(widget as unknown as ZodApp, deps);
  });

  return app;
}
