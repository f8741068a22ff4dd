import { z } from 'zod';
import type { AppDeps } from '../../../deps.js';
import { withTenant } from '../../../platform/db/tenancy.js';
import { errorResponses, idParams, nonBlank } from '../../../platform/http/schemas.js';
import type { ZodApp } from '../../../platform/http/types.js';
import { actorOf, requireRole } from '../../auth/principal.js';
import {
  createSynonymGroup,
  deleteSynonymGroup,
  listSynonymGroups,
  MAX_TERM_LENGTH,
  MAX_TERMS,
  MIN_TERMS,
} from './synonyms.js';

const synonymGroupSchema = z
  .object({ id: z.uuid(), terms: z.array(z.string()), createdAt: z.string() })
  .meta({ id: 'SynonymGroup' });

const createBody = z.strictObject({
  terms: z
    .array(nonBlank(MAX_TERM_LENGTH))
    .min(MIN_TERMS, `must list at least ${MIN_TERMS} terms`)
    .max(MAX_TERMS, `must list at most ${MAX_TERMS} terms`),
});

/** Synonym groups (search configuration): admins only. */
export async function synonymRoutes(app: ZodApp, deps: AppDeps) {
  const tenant = <T>(orgId: string, fn: Parameters<typeof withTenant<T>>[2]) =>
    withTenant(deps.database, [orgId], fn);

  app.post(
    '/v1/knowledge/synonyms',
    {
      schema: {
        tags: ['knowledge'],
        summary: 'Add a synonym group',
        description:
          'Every term of the group also finds the others in search ("refund", "money back", "reimbursement"). Terms may be phrases; they are matched by stem, in every language of the knowledge base, from the next search on.',
        body: createBody,
        response: { 201: synonymGroupSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const p = requireRole(request, 'admin');
      const group = await tenant(p.orgId, (tx) =>
        createSynonymGroup(tx, deps.keyring, p.orgId, actorOf(p), request.body.terms),
      );
      return reply.status(201).send(group);
    },
  );

  app.get(
    '/v1/knowledge/synonyms',
    {
      schema: {
        tags: ['knowledge'],
        summary: 'List synonym groups',
        response: { 200: z.object({ groups: z.array(synonymGroupSchema) }), ...errorResponses },
      },
    },
    async (request) => {
      const p = requireRole(request, 'admin');
      return { groups: await tenant(p.orgId, (tx) => listSynonymGroups(tx, p.orgId)) };
    },
  );

  app.delete(
    '/v1/knowledge/synonyms/:id',
    {
      schema: {
        tags: ['knowledge'],
        summary: 'Delete a synonym group',
        params: idParams,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const p = requireRole(request, 'admin');
      await tenant(p.orgId, (tx) =>
        deleteSynonymGroup(tx, deps.keyring, p.orgId, actorOf(p), request.params.id),
      );
      return reply.status(204).send(null);
    },
  );
}
