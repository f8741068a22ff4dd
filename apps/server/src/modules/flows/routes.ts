import { z } from 'zod';
import type { AppDeps } from '../../deps.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { errorResponses, idParams } from '../../platform/http/schemas.js';
import type { ZodApp } from '../../platform/http/types.js';
import { getAgentRow } from '../agents/service.js';
import { actorOf, requireRole } from '../auth/principal.js';
import { flowBodySchema } from './flow-schema.js';
import { readFlow, saveFlow } from './service.js';

/** GET|PUT /v1/agents/{id}/flow: the steps the widget runs before the chat. */
const flowSchema = z
  .object({
    steps: z.array(z.record(z.string(), z.unknown())),
    version: z
      .number()
      .int()
      .describe('Grows on every save; recorded with each consent as the notice version'),
    updatedAt: z.string().nullable(),
  })
  .meta({ id: 'AgentFlow' });

export async function flowRoutes(app: ZodApp, deps: AppDeps) {
  app.get(
    '/v1/agents/:id/flow',
    {
      schema: {
        tags: ['agents'],
        summary: "An agent's flow (steps run by the widget before the chat)",
        params: idParams,
        response: { 200: flowSchema, ...errorResponses },
      },
    },
    async (request) => {
      const p = requireRole(request, 'viewer');
      return withTenant(deps.database, [p.orgId], async (tx) => {
        await getAgentRow(tx, p.orgId, request.params.id);
        return readFlow(tx, p.orgId, request.params.id);
      });
    },
  );

  app.put(
    '/v1/agents/:id/flow',
    {
      schema: {
        tags: ['agents'],
        summary: "Replace an agent's flow",
        description:
          'Steps: message { text, next? }, buttons { text, buttons: [{ label, next }] }, form { title, fields: [{ key, kind, label, purpose, required, options? }], consentText?, next? }, handoff { text }, ai { text }. The first step starts the flow; a step without next goes on to the following one. Step ids unique, every next names a step, every step reachable. An empty list removes the flow.',
        params: idParams,
        body: flowBodySchema,
        response: { 200: flowSchema, ...errorResponses },
      },
    },
    async (request) => {
      const p = requireRole(request, 'admin');
      return withTenant(deps.database, [p.orgId], (tx) =>
        saveFlow(tx, deps.keyring, p.orgId, actorOf(p), request.params.id, request.body),
      );
    },
  );
}
