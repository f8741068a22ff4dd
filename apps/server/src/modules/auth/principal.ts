import type { FastifyRequest } from 'fastify';
import type { OrgKind, Role } from '../../platform/db/schema/index.js';
import { AppError } from '../../platform/errors.js';
import type { Actor } from '../audit/service.js';

/**
 * Who is calling the admin API, resolved once per request by http/authenticate.ts.
 * `orgDeletedAt` is set when the org acted in is scheduled for deletion: authenticate.ts then
 * refuses every route that is not flagged `allowedWhileOrgDeleted`.
 */
export type Principal = (
  | { type: 'api_key'; keyId: string; orgId: string; orgKind: OrgKind; role: Role }
  | { type: 'user'; userId: string; orgId: string; orgKind: OrgKind; role: Role }
) & { orgDeletedAt?: Date | null };

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
  interface FastifyContextConfig {
    /** Reachable while the caller's org is scheduled for deletion (restoring it, reading its status). */
    allowedWhileOrgDeleted?: boolean;
    /** Reachable by a person whose account is scheduled for deletion (GET /v1/me, restoring it). */
    allowedWhileAccountDeleted?: boolean;
  }
}

const rank: Record<Role, number> = { viewer: 0, agent: 1, admin: 2, owner: 3 };

export function requirePrincipal(request: FastifyRequest): Principal {
  if (!request.principal) throw new AppError('unauthorized', 'Authentication required');
  return request.principal;
}

/** Throws 403 unless the caller's role is at least `min` (owner > admin > agent > viewer). */
export function requireRole(request: FastifyRequest, min: Role): Principal {
  const principal = requirePrincipal(request);
  if (rank[principal.role] < rank[min]) {
    throw new AppError('forbidden', `This action needs the ${min} role or higher`);
  }
  return principal;
}

export function roleAtLeast(role: Role, min: Role): boolean {
  return rank[role] >= rank[min];
}

export function actorOf(principal: Principal): Actor {
  return principal.type === 'api_key'
    ? { type: 'api_key', id: principal.keyId }
    : { type: 'user', id: principal.userId };
}
