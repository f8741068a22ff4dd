import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { AppDeps } from '../../deps.js';
import { actionMethods, conversations } from '../../platform/db/schema/index.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { AppError, notFound } from '../../platform/errors.js';
import { errorResponses, idParams, safeString } from '../../platform/http/schemas.js';
import type { ZodApp } from '../../platform/http/types.js';
import { checkTenantUrl } from '../../platform/net/check-tenant-url.js';
import { actorOf, requireRole } from '../auth/principal.js';
import { listCalls } from './action-log.js';
import { approveCall, listPending, rejectCall } from './approvals.js';
import { checkArguments, parametersSchema } from './parameter-schema.js';
import { runAction } from './run-action.js';
import {
  type ActionInput,
  actionView,
  createAction,
  deleteAction,
  getActionRow,
  listActions,
  updateAction,
} from './service.js';
import { RESERVED_TOOL_NAMES } from './tools-for-agent.js';
import { templateBaseUrl, templateProblem } from './url-template.js';

const actionParams = z.strictObject({
  id: z.uuid({ message: 'must be a UUID' }),
  actionId: z.uuid({ message: 'must be a UUID' }),
});

/** Names a transport computes or that would change what the request is: never set by an action. */
const RESERVED_HEADERS = [
  'host',
  'content-length',
  'connection',
  'transfer-encoding',
  'keep-alive',
  'upgrade',
];
const headerSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/, 'must be an HTTP header name')
    .refine((n) => !RESERVED_HEADERS.includes(n.toLowerCase()), 'is set by the server itself'),
  // Write-only; never trimmed (used byte for byte). Omitted on PATCH: the stored value is kept.
  value: z
    .string()
    .min(1, 'must not be empty')
    .max(4000)
    .refine((v) => !/[\r\n\0]/.test(v), 'must be on one line')
    .optional(),
});

const fields = {
  name: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,63}$/, 'must be lower-case letters, digits and _, starting with a letter')
    .refine(
      (n) => !(RESERVED_TOOL_NAMES as readonly string[]).includes(n),
      'is reserved for the agent itself',
    ),
  description: safeString().max(1000),
  method: z.enum(actionMethods),
  urlTemplate: safeString().max(2000),
  parameters: parametersSchema,
  headers: z
    .array(headerSchema)
    .max(20)
    .refine(
      (h) => new Set(h.map((x) => x.name.toLowerCase())).size === h.length,
      'each header name may appear once',
    ),
  requiresApproval: z.boolean(),
  enabled: z.boolean(),
  timeoutMs: z.number().int().min(100).max(30_000),
  maxResponseBytes: z.number().int().min(1024).max(1_048_576),
};

const createBody = z.strictObject({
  name: fields.name,
  description: fields.description.default(''),
  method: fields.method,
  urlTemplate: fields.urlTemplate,
  parameters: fields.parameters.default({ type: 'object', properties: {} }),
  headers: fields.headers.default([]),
  requiresApproval: fields.requiresApproval.default(false),
  enabled: fields.enabled.default(true),
  timeoutMs: fields.timeoutMs.default(5000),
  maxResponseBytes: fields.maxResponseBytes.default(65_536),
});
const patchBody = z.strictObject(
  Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v.optional()])) as {
    [K in keyof typeof fields]: z.ZodOptional<(typeof fields)[K]>;
  },
);

const parameterSchema = z.object({
  type: z.enum(['string', 'number', 'integer', 'boolean']),
  description: z.string().optional(),
  enum: z.array(z.union([z.string(), z.number()])).optional(),
  sensitive: z.boolean().optional(),
});
export const actionSchema = z
  .object({
    id: z.string(),
    agentId: z.string(),
    name: z.string(),
    description: z.string(),
    method: z.enum(actionMethods),
    urlTemplate: z.string(),
    parameters: z.object({
      type: z.literal('object'),
      properties: z.record(z.string(), parameterSchema),
      required: z.array(z.string()).optional(),
    }),
    headers: z
      .array(z.object({ name: z.string(), hasValue: z.boolean() }))
      .describe('Header names only: values are write-only'),
    requiresApproval: z.boolean(),
    enabled: z.boolean(),
    timeoutMs: z.number().int(),
    maxResponseBytes: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'AgentAction' });

const outcomes = [
  'ok',
  'http_error',
  'timeout',
  'too_large',
  'refused',
  'failed',
  'rejected',
  'pending_approval',
] as const;
export const callSchema = z
  .object({
    id: z.string(),
    actionId: z.string(),
    agentId: z.string(),
    actionName: z.string(),
    conversationId: z.string().nullable(),
    source: z.enum(['model', 'test']),
    outcome: z.enum(outcomes),
    httpStatus: z.number().int().nullable(),
    durationMs: z.number().int().nullable(),
    responseBytes: z.number().int().nullable(),
    parameters: z.record(z.string(), z.unknown()).describe('Sensitive parameters read "[redacted]"'),
    decidedById: z.string().nullable(),
    decidedAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'ActionCall' });

const testResultSchema = z
  .object({
    callId: z.string(),
    outcome: z.enum(outcomes),
    httpStatus: z.number().int().nullable(),
    durationMs: z.number().int(),
    contentType: z.string().nullable(),
    response: z.unknown().describe('Parsed JSON or text; shown to the admin, not stored'),
    error: z.string().nullable(),
  })
  .meta({ id: 'ActionTestResult' });

/**
 * A URL template is checked before anything is stored: its shape (url-template.ts), then the
 * address its host resolves to now (the outbound guard; the guard applies again at every call).
 */
async function checkUrlTemplate(deps: AppDeps, urlTemplate: string, parameterNames: string[]) {
  const problem = templateProblem(urlTemplate, parameterNames);
  if (problem) {
    throw new AppError('validation_failed', `urlTemplate ${problem}`, [
      { path: 'body.urlTemplate', message: problem },
    ]);
  }
  await checkTenantUrl(templateBaseUrl(urlTemplate).href, 'urlTemplate', deps.net);
}

/**
 * Agents' HTTP actions (admins), their test runs and call log, and operators' approvals of the
 * calls that need one. Header values are write-only.
 */
export async function actionRoutes(app: ZodApp, deps: AppDeps) {
  const tags = ['actions'];

  app.get(
    '/v1/agents/:id/actions',
    {
      schema: {
        tags,
        summary: "List an agent's HTTP actions",
        params: idParams,
        response: { 200: z.object({ actions: z.array(actionSchema) }), ...errorResponses },
      },
    },
    async (request) => {
      const p = requireRole(request, 'admin');
      return {
        actions: await withTenant(deps.database, [p.orgId], (tx) =>
          listActions(tx, p.orgId, request.params.id),
        ),
      };
    },
  );

  app.post(
    '/v1/agents/:id/actions',
    {
      schema: {
        tags,
        summary: 'Add an HTTP action the agent’s model may call',
        description:
          'A tool `name`, a `description` for the model, the HTTP `method`, a `urlTemplate` whose `{placeholders}` are parameters (URL-encoded; other parameters go in the query for GET/DELETE, in a JSON body otherwise), `parameters` as a JSON Schema object (string/number/integer/boolean, enum, required; `sensitive: true` keeps a value out of the call log), `headers` whose values are stored encrypted and never returned, `requiresApproval`, `enabled`, `timeoutMs` (≤ 30000) and `maxResponseBytes`. The URL must resolve to public addresses (private networks only when the operator allows them), checked now and at every call.',
        params: idParams,
        body: createBody,
        response: { 201: actionSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const p = requireRole(request, 'admin');
      const body = request.body as ActionInput;
      await checkUrlTemplate(deps, body.urlTemplate, Object.keys(body.parameters.properties));
      const created = await withTenant(deps.database, [p.orgId], (tx) =>
        createAction(tx, deps.keyring, p.orgId, actorOf(p), request.params.id, body),
      );
      return reply.status(201).send(created);
    },
  );

  app.get(
    '/v1/agents/:id/actions/:actionId',
    {
      schema: {
        tags,
        summary: 'Get an action',
        params: actionParams,
        response: { 200: actionSchema, ...errorResponses },
      },
    },
    async (request) => {
      const p = requireRole(request, 'admin');
      const { id, actionId } = request.params;
      return withTenant(deps.database, [p.orgId], async (tx) =>
        actionView(await getActionRow(tx, p.orgId, id, actionId)),
      );
    },
  );

  app.patch(
    '/v1/agents/:id/actions/:actionId',
    {
      schema: {
        tags,
        summary: 'Change an action',
        description:
          'Fields omitted are kept. `headers` replaces the list; a header sent without `value` keeps its stored value.',
        params: actionParams,
        body: patchBody,
        response: { 200: actionSchema, ...errorResponses },
      },
    },
    async (request) => {
      const p = requireRole(request, 'admin');
      const { id, actionId } = request.params;
      const body = request.body as Partial<ActionInput>;
      if (body.urlTemplate !== undefined || body.parameters !== undefined) {
        const current = await withTenant(deps.database, [p.orgId], (tx) =>
          getActionRow(tx, p.orgId, id, actionId),
        );
        await checkUrlTemplate(
          deps,
          body.urlTemplate ?? current.urlTemplate,
          Object.keys((body.parameters ?? current.parameters).properties),
        );
      }
      return withTenant(deps.database, [p.orgId], (tx) =>
        updateAction(tx, deps.keyring, p.orgId, actorOf(p), id, actionId, body),
      );
    },
  );

  app.delete(
    '/v1/agents/:id/actions/:actionId',
    {
      schema: {
        tags,
        summary: 'Remove an action, its stored headers and its call log',
        params: actionParams,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const p = requireRole(request, 'admin');
      const { id, actionId } = request.params;
      await withTenant(deps.database, [p.orgId], (tx) =>
        deleteAction(tx, deps.keyring, p.orgId, actorOf(p), id, actionId),
      );
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/v1/agents/:id/actions/:actionId/test',
    {
      schema: {
        tags,
        summary: 'Run an action now with the given parameters (admins)',
        description:
          'Goes through the same executor as the model’s calls (address guard, timeout, size limit) and is logged like them (source `test`), approval or not. The response is returned to the caller only, never stored.',
        params: actionParams,
        body: z.strictObject({ parameters: z.record(z.string(), z.unknown()).default({}) }),
        response: { 200: testResultSchema, 422: errorResponses[400], ...errorResponses },
      },
    },
    async (request) => {
      const p = requireRole(request, 'admin');
      const { id, actionId } = request.params;
      const action = await withTenant(deps.database, [p.orgId], (tx) =>
        getActionRow(tx, p.orgId, id, actionId),
      );
      const checked = checkArguments(action.parameters, request.body.parameters);
      if (!checked.ok) {
        throw new AppError(
          'validation_failed',
          `parameters: ${checked.errors.join('; ')}`,
          checked.errors.map((message) => ({ path: 'body.parameters', message })),
        );
      }
      const result = await runAction(
        { ...deps, log: request.log },
        { action, args: request.body.parameters, conversationId: null, source: 'test' },
      );
      // The address guard refused the URL now (DNS changed since it was saved): a 4xx that says
      // why, as at save time. The call is logged (outcome refused) all the same.
      if (result.outcome === 'refused') {
        throw new AppError('unprocessable', `urlTemplate cannot be called now: ${result.error}`, [
          { path: 'urlTemplate', message: result.error ?? 'refused' },
        ]);
      }
      return {
        callId: result.callId,
        outcome: result.outcome,
        httpStatus: result.httpStatus,
        durationMs: result.durationMs,
        contentType: result.contentType,
        response: result.response,
        error: result.error,
      };
    },
  );

  app.get(
    '/v1/agents/:id/actions/:actionId/calls',
    {
      schema: {
        tags,
        summary: "An action's call log, newest first",
        description:
          'Time, duration, outcome, HTTP status, response size and parameters with sensitive ones read "[redacted]". Never header values or response bodies.',
        params: actionParams,
        querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
        response: { 200: z.object({ calls: z.array(callSchema) }), ...errorResponses },
      },
    },
    async (request) => {
      const p = requireRole(request, 'admin');
      const { id, actionId } = request.params;
      return withTenant(deps.database, [p.orgId], async (tx) => {
        await getActionRow(tx, p.orgId, id, actionId);
        return { calls: await listCalls(tx, p.orgId, actionId, request.query.limit) };
      });
    },
  );

  app.get(
    '/v1/action-approvals',
    {
      schema: {
        tags,
        summary: 'Action calls waiting for an operator’s approval, oldest first',
        response: { 200: z.object({ calls: z.array(callSchema) }), ...errorResponses },
      },
    },
    async (request) => {
      const p = requireRole(request, 'agent');
      return { calls: await withTenant(deps.database, [p.orgId], (tx) => listPending(tx, p.orgId)) };
    },
  );

  app.get(
    '/v1/conversations/:id/action-approvals',
    {
      schema: {
        tags,
        summary: 'A conversation’s action calls waiting for approval',
        params: idParams,
        response: { 200: z.object({ calls: z.array(callSchema) }), ...errorResponses },
      },
    },
    async (request) => {
      const p = requireRole(request, 'agent');
      return withTenant(deps.database, [p.orgId], async (tx) => {
        const [conversation] = await tx
          .select({ id: conversations.id })
          .from(conversations)
          .where(and(eq(conversations.orgId, p.orgId), eq(conversations.id, request.params.id)));
        if (!conversation) throw notFound('Conversation');
        return { calls: await listPending(tx, p.orgId, request.params.id) };
      });
    },
  );

  for (const decision of ['approve', 'reject'] as const) {
    app.post(
      `/v1/action-calls/:id/${decision}`,
      {
        schema: {
          tags,
          summary:
            decision === 'approve'
              ? 'Approve a pending action call: it runs now and the visitor is told the outcome'
              : 'Reject a pending action call: the visitor is told it was declined',
          params: idParams,
          response: { 200: callSchema, 409: errorResponses[400], ...errorResponses },
        },
      },
      async (request) => {
        const p = requireRole(request, 'agent');
        const userId = p.type === 'user' ? p.userId : null;
        const decide = decision === 'approve' ? approveCall : rejectCall;
        return decide(deps, p.orgId, actorOf(p), userId, request.params.id);
      },
    );
  }
}
