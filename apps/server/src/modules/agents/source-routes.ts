import { z } from 'zod';
import type { AppDeps } from '../../deps.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { errorResponses, idParams } from '../../platform/http/schemas.js';
import type { ZodApp } from '../../platform/http/types.js';
import { actorOf, requireRole } from '../auth/principal.js';
import { getAgentSources, setAgentSources } from './agent-sources.js';

/** An agent can be limited to at most this many sources (more is better served by "all"). */
const MAX_AGENT_SOURCES = 1000;

const agentSourcesSchema = z
  .object({
    agentId: z.uuid(),
    sourceIds: z.array(z.uuid()),
    /** True when the list is empty: the agent answers from all of the org's sources. */
    allSources: z.boolean(),
  })
  .meta({ id: 'AgentSources' });

const putBody = z.strictObject({
  sourceIds: z
    .array(z.uuid({ message: 'must be a UUID' }))
    .max(MAX_AGENT_SOURCES, `must list at most ${MAX_AGENT_SOURCES} sources`),
});

/** Scoping an agent to some knowledge sources: search with its id and its widget answers use only those. */
export async function agentSourceRoutes(app: ZodApp, deps: AppDeps) {
  const tenant = <T>(orgId: string, fn: Parameters<typeof withTenant<T>>[2]) =>
    withTenant(deps.database, [orgId], fn);

  app.get(
    '/v1/agents/:id/sources',
    {
      schema: {
        tags: ['agents'],
        summary: "List the knowledge sources an agent answers from (empty: all of the org's sources)",
        params: idParams,
        response: { 200: agentSourcesSchema, ...errorResponses },
      },
    },
    async (request) => {
      const p = requireRole(request, 'viewer');
      return tenant(p.orgId, (tx) => getAgentSources(tx, p.orgId, request.params.id));
    },
  );

  app.put(
    '/v1/agents/:id/sources',
    {
      schema: {
        tags: ['agents'],
        summary: 'Set the knowledge sources an agent answers from',
        description:
          "Replaces the list. An empty list means all of the organization's sources (the default). Every id must be one of the organization's sources, otherwise 404 and nothing changes.",
        params: idParams,
        body: putBody,
        response: { 200: agentSourcesSchema, ...errorResponses },
      },
    },
    async (request) => {
      const p = requireRole(request, 'admin');
      return tenant(p.orgId, (tx) =>
        setAgentSources(tx, deps.keyring, p.orgId, actorOf(p), request.params.id, request.body.sourceIds),
      );
    },
  );
}
