import { z } from 'zod';
import type { AppDeps } from '../../deps.js';
import { answerModes, persistenceModes } from '../../platform/db/schema/index.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { errorResponses, idParams, nonBlank, safeString } from '../../platform/http/schemas.js';
import type { ZodApp } from '../../platform/http/types.js';
import { actorOf, requireRole } from '../auth/principal.js';
import { businessHoursSchema } from './business-hours.js';
import { agentView, createAgent, deleteAgent, getAgentRow, listAgents, updateAgent } from './service.js';

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

const agentFields = {
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
  businessHours: businessHoursSchema
    .nullable()
    .describe(
      'Weekly opening hours in an IANA time zone; outside them the widget offers the offline flow instead of promising a person. null: whenever an operator is present',
    ),
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
  businessHours: agentFields.businessHours.optional(),
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
    businessHours: agentFields.businessHours.optional(),
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
    businessHours: businessHoursSchema.nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Agent' });

export async function agentRoutes(app: ZodApp, deps: AppDeps) {
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
      return { agents: await tenant(p.orgId, (tx) => listAgents(tx, p.orgId)) };
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
      await tenant(p.orgId, (tx) => deleteAgent(tx, deps.keyring, p.orgId, actorOf(p), request.params.id));
      return reply.status(204).send(null);
    },
  );
}
