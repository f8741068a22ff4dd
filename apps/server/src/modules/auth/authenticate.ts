import type { FastifyRequest } from 'fastify';
import type { Database } from '../../platform/db/client.js';
import { AppError } from '../../platform/errors.js';
import { resolveApiKey } from '../api-keys/service.js';
import { orgDeletedError } from '../orgs/deletion/deletion-window.js';
import type { Principal } from './principal.js';

/**
 * Resolves the caller of an admin route. An `Authorization: Bearer ck_…` org API key is the
 * primary credential; extra resolvers (console sessions) are tried when no bearer is present.
 * Missing or bogus credentials are a 401 with no hint of which part was wrong.
 */
export type PrincipalResolver = (request: FastifyRequest) => Promise<Principal | null>;

export function createAuthenticator(database: Database, extraResolvers: PrincipalResolver[] = []) {
  return async function authenticate(request: FastifyRequest): Promise<void> {
    const header = request.headers.authorization;
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
      const resolved = match ? await resolveApiKey(database, match[1]!) : null;
      if (!resolved) throw new AppError('unauthorized', 'Invalid or revoked API key');
      request.principal = { type: 'api_key', ...resolved };
      refuseIfOrgDeleted(request, request.principal);
      return;
    }
    for (const resolve of extraResolvers) {
      const principal = await resolve(request);
      if (principal) {
        request.principal = principal;
        refuseIfOrgDeleted(request, principal);
        return;
      }
    }
    throw new AppError('unauthorized', 'Authentication required: send Authorization: Bearer <API key>');
  };
}

/**
 * An org scheduled for deletion stops at once: its keys and console sessions get the
 * `org_deleted` problem on every route except the few flagged `allowedWhileOrgDeleted`
 * (restoring it, reading its status), which check the caller's role themselves.
 */
function refuseIfOrgDeleted(request: FastifyRequest, principal: Principal): void {
  if (!principal.orgDeletedAt) return;
  if (request.routeOptions.config?.allowedWhileOrgDeleted) return;
  throw orgDeletedError(principal.orgDeletedAt);
}
