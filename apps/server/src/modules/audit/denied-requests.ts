import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../deps.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { AppError } from '../../platform/errors.js';
import { actorOf } from '../auth/principal.js';
import { recordAudit } from './service.js';

/**
 * Denied requests in the audit log: an authenticated caller refused for lack of role (403
 * `forbidden`) becomes `access.denied` in its org's chain — actor id, the route's pattern (never
 * the URL with its ids or query), the caller's role. Nothing from the request body.
 *
 * At most one entry per actor, route and minute (per process), so a misbehaving integration
 * retrying a refused call cannot flood the log. A failure to record never changes the answer.
 */
const WINDOW_MS = 60_000;
const MAX_REMEMBERED = 10_000;

export function auditDeniedRequests(
  scope: FastifyInstance,
  deps: Pick<AppDeps, 'database' | 'keyring' | 'log'>,
) {
  const lastRecorded = new Map<string, number>();
  scope.addHook('onError', async (request, _reply, error) => {
    const principal = request.principal;
    if (!principal || !(error instanceof AppError) || error.code !== 'forbidden') return;
    const actor = actorOf(principal);
    const route = `${request.method} ${request.routeOptions.url ?? 'unknown'}`;
    const key = `${principal.orgId}|${actor.id}|${route}`;
    const now = Date.now();
    if (now - (lastRecorded.get(key) ?? 0) < WINDOW_MS) return;
    if (lastRecorded.size >= MAX_REMEMBERED) lastRecorded.clear();
    lastRecorded.set(key, now);
    try {
      await withTenant(deps.database, [principal.orgId], (tx) =>
        recordAudit(tx, deps.keyring, principal.orgId, actor, {
          action: 'access.denied',
          targetType: 'route',
          targetId: route,
          metadata: { reason: 'role', role: principal.role },
        }),
      );
    } catch (failure) {
      deps.log.warn(
        { reason: (failure as Error).name },
        'could not record a denied request in the audit log',
      );
    }
  });
}
