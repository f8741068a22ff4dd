import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../../deps.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { openEventStream } from '../../platform/http/event-stream.js';
import { liveStreams } from '../../platform/http/live-streams.js';
import { errorResponses } from '../../platform/http/schemas.js';
import type { ZodApp } from '../../platform/http/types.js';
import { requireRole } from '../auth/principal.js';
import { deliverable } from '../conversations/conversation-events.js';
import { isOrgStopped } from '../orgs/deletion/org-stopped-event.js';
import { PRESENCE_REFRESH_MS, touchPresence } from './presence.js';

/** The SSE id a reconnecting client sends back: Last-Event-ID (browsers) or ?lastEventId= (fetch). */
export function resumePoint(
  request: FastifyRequest,
  query: { lastEventId?: number | undefined },
): number | null {
  const header = request.headers['last-event-id'];
  const fromHeader = typeof header === 'string' && /^\d{1,15}$/.test(header) ? Number(header) : null;
  return fromHeader ?? query.lastEventId ?? null;
}

/**
 * GET /v1/events: every conversation event of the caller's org, live, as server-sent events
 * (`conversation` summaries, `message`, `typing`), each with its outbox seq as id, resumable
 * with Last-Event-ID. A console user with the stream open counts as present (presence.ts).
 */
export async function operatorEventsRoute(app: ZodApp, deps: AppDeps) {
  const streams = liveStreams(app);
  app.get(
    '/v1/events',
    {
      schema: {
        tags: ['inbox'],
        summary: 'Live conversation events for the org (server-sent events, resumable)',
        description:
          'text/event-stream of `conversation` (summary), `message` and `typing` events, each with id = its sequence number. Send Last-Event-ID (or ?lastEventId=) to receive what was missed.',
        querystring: z.strictObject({ lastEventId: z.coerce.number().int().min(0).max(1e15).optional() }),
        response: errorResponses,
      },
    },
    async (request, reply) => {
      const p = requireRole(request, 'viewer');
      const after = resumePoint(request, request.query);
      const stream = openEventStream(reply);
      let close = () => {};
      const unsubscribe = await deps.events.subscribe(
        p.orgId,
        { after },
        {
          filter: () => true,
          // Ephemeral messages get their text from this process's memory (never from the table).
          // An org.stopped event is sent like any other (its id lets a client back after a
          // restore resume past it); then, the org being scheduled for deletion, the stream ends.
          deliver: (e) => {
            stream.send(e.type, deliverable(deps.transcripts, e).payload, e.seq);
            if (isOrgStopped(e)) close();
          },
        },
      );
      let presence: NodeJS.Timeout | undefined;
      if (p.type === 'user') {
        const touch = () =>
          withTenant(deps.database, [p.orgId], (tx) => touchPresence(tx, p.orgId, p.userId)).catch(() => {});
        await touch();
        presence = setInterval(touch, PRESENCE_REFRESH_MS);
        presence.unref();
      }
      close = streams.keep(stream, () => {
        clearInterval(presence);
        unsubscribe();
      });
      return reply;
    },
  );
}
