import { and, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../deps.js';
import { agents } from '../../platform/db/schema/index.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { notFound } from '../../platform/errors.js';
import { lookAttributes } from '../agents/appearance.js';
import { demoCsp, renderDemoPage } from './page.js';
import { readDemoState } from './state.js';

/**
 * GET /demo — the fictional store page with the demo agent's widget. 404 (problem+json) when the
 * demo is disabled or was never seeded, or its agent has been deleted. The publishable key is read
 * at request time, so a rotated key or edited agent shows up immediately.
 */
export async function demoRoutes(
  app: FastifyInstance,
  deps: Pick<AppDeps, 'config' | 'database'>,
): Promise<void> {
  app.get('/demo', { schema: { hide: true } }, async (request, reply) => {
    if (!deps.config.demo) throw notFound('Demo');
    const demo = await readDemoState(deps.database);
    if (demo?.state !== 'done') throw notFound('Demo');
    const [agent] = await withTenant(deps.database, [demo.orgId], (tx) =>
      tx
        .select({
          publishableKey: agents.publishableKey,
          accentColor: agents.accentColor,
          position: agents.position,
          launcherLabel: agents.launcherLabel,
        })
        .from(agents)
        .where(and(eq(agents.orgId, demo.orgId), eq(agents.id, demo.agentId))),
    );
    if (!agent) throw notFound('Demo');
    const baseUrl = deps.config.publicUrl?.replace(/\/+$/, '') ?? `${request.protocol}://${request.host}`;
    return reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', demoCsp)
      .header('cache-control', 'no-store')
      .send(renderDemoPage({ publishableKey: agent.publishableKey, baseUrl, look: lookAttributes(agent) }));
  });
}
