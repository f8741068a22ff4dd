import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { AppDeps } from '../../deps.js';
import { queryRows } from '../../platform/db/query-rows.js';
import { type ConversationStatus, messages } from '../../platform/db/schema/index.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { notFound } from '../../platform/errors.js';
import { openEventStream } from '../../platform/http/event-stream.js';
import { liveStreams } from '../../platform/http/live-streams.js';
import { errorResponses, problemSchema } from '../../platform/http/schemas.js';
import type { ZodApp } from '../../platform/http/types.js';
import { resumePoint } from '../inbox/events-route.js';
import { citationSchema } from '../inbox/schemas.js';
import { createTypingThrottle } from '../inbox/typing-throttle.js';
import { isOrgStopped } from '../orgs/deletion/org-stopped-event.js';
import { deliverable, displayNames, emitTyping, visitorViewOf } from './conversation-events.js';
import { lockConversation } from './state.js';
import { authorizeVisitor } from './visitor-auth.js';
import { signVisitorToken } from './visitor-token.js';

/**
 * The visitor's side of a live conversation (visitor token + allowed Origin, like messages):
 * - GET …/events: server-sent `message` (operator replies, assistant answers, system lines;
 *   never a note), `typing` (an operator is typing) and `status` (who answers now), resumable
 *   with Last-Event-ID; the current status is sent first;
 * - GET …: the transcript as the visitor may see it (after a page reload, `persistence` on); for
 *   an ephemeral conversation only what this process still holds in memory (nothing after the
 *   conversation closed or the server restarted);
 * - POST …/typing: operators see the visitor typing (throttled);
 * - POST …/token: a fresh visitor token while the conversation is open.
 */
const params = z.strictObject({ id: z.uuid({ message: 'must be a UUID' }) });
const widgetErrors = { ...errorResponses, 409: problemSchema };

const visibleMessageSchema = z.object({
  id: z.uuid(),
  role: z.enum(['visitor', 'assistant', 'operator', 'system']),
  text: z.string(),
  authorName: z.string().optional(),
  systemEvent: z.string().optional(),
  citations: z.array(citationSchema).optional(),
  createdAt: z.string(),
});

export async function widgetLiveRoutes(app: ZodApp, deps: AppDeps) {
  const streams = liveStreams(app);
  const typing = createTypingThrottle();

  app.get(
    '/v1/widget/conversations/:id/events',
    {
      schema: {
        tags: ['widget'],
        summary: 'Live events of this conversation for the visitor (server-sent events, resumable)',
        description:
          'Authorization: Bearer <visitor token>. text/event-stream of `status` ({ status, operatorName? }), `message` ({ id, role, text, authorName?, systemEvent?, citations? }) and `typing` ({ role: operator, authorName? }); ids are sequence numbers for Last-Event-ID. Private notes never appear.',
        security: [],
        params,
        querystring: z.strictObject({ lastEventId: z.coerce.number().int().min(0).max(1e15).optional() }),
        response: widgetErrors,
      },
    },
    async (request, reply) => {
      const { claims } = await authorizeVisitor(deps, request, request.params.id);
      const conversationId = claims.conversation;
      // The status and the org's last event seq are read in one snapshot (an event commits with
      // its change), so a fresh subscriber starts exactly after the state it was shown: nothing
      // committed in between is missed. A resuming one replays from its own Last-Event-ID.
      const snapshot = await withTenant(deps.database, [claims.org], async (tx) => {
        const [row] = await queryRows<{ status: ConversationStatus; seq: number | string }>(
          tx,
          sql`select c.status, coalesce((select max(seq) from events e where e.org_id = c.org_id), 0) as seq
                from conversations c where c.org_id = ${claims.org} and c.id = ${conversationId}`,
        );
        return row;
      });
      if (!snapshot) throw notFound('Conversation');
      const after = resumePoint(request, request.query) ?? Number(snapshot.seq);
      const stream = openEventStream(reply);
      stream.send('status', { status: snapshot.status });
      let close = () => {};
      const unsubscribe = await deps.events.subscribe(
        claims.org,
        { after, conversationId },
        {
          filter: (e) => e.conversationId === conversationId || isOrgStopped(e),
          deliver: (e) => {
            // The org was scheduled for deletion: end the stream (reconnecting is refused). Sent with
            // its id first, so a client back after a restore resumes past it.
            if (isOrgStopped(e)) {
              stream.send('stopped', {}, e.seq);
              return close();
            }
            const view = visitorViewOf(deliverable(deps.transcripts, e), conversationId);
            if (view) stream.send(view.event, view.data, e.seq);
          },
        },
      );
      close = streams.keep(stream, unsubscribe);
      return reply;
    },
  );

  app.get(
    '/v1/widget/conversations/:id',
    {
      schema: {
        tags: ['widget'],
        summary: 'The conversation as the visitor sees it (no private notes)',
        security: [],
        params,
        response: {
          200: z.object({
            conversationId: z.uuid(),
            status: z.enum(['ai', 'waiting', 'human', 'closed']),
            messages: z.array(visibleMessageSchema),
          }),
          ...widgetErrors,
        },
      },
    },
    async (request) => {
      const { claims, context } = await authorizeVisitor(deps, request, request.params.id);
      const rows = await withTenant(deps.database, [claims.org], async (tx) => {
        const list = await tx
          .select()
          .from(messages)
          .where(
            and(
              eq(messages.orgId, claims.org),
              eq(messages.conversationId, claims.conversation),
              eq(messages.internal, false),
              inArray(messages.role, ['visitor', 'assistant', 'operator', 'system']),
            ),
          )
          .orderBy(asc(messages.createdAt), asc(messages.id));
        const names = await displayNames(
          tx,
          list.map((m) => m.authorId),
        );
        return list.map((m) => ({
          ...m,
          authorName: m.authorId ? names.get(m.authorId) : (m.authorLabel ?? undefined),
        }));
      });
      const ephemeral = context.conversation.ephemeral;
      const visible = ephemeral
        ? rows.flatMap((m) => {
            if (m.role === 'system') return [m];
            const held = deps.transcripts.get(claims.org, claims.conversation, m.id);
            return held ? [{ ...m, content: held.text, citations: held.citations }] : [];
          })
        : rows;
      return {
        conversationId: claims.conversation,
        status: context.conversation.status,
        messages: visible.map((m) => ({
          id: m.id,
          role: m.role,
          text: m.content,
          ...(m.authorName && m.role !== 'visitor' && m.role !== 'assistant'
            ? { authorName: m.authorName }
            : {}),
          ...(m.systemEvent ? { systemEvent: m.systemEvent } : {}),
          ...(m.citations.length > 0 ? { citations: m.citations } : {}),
          createdAt: m.createdAt.toISOString(),
        })),
      };
    },
  );

  app.post(
    '/v1/widget/conversations/:id/typing',
    {
      schema: {
        tags: ['widget'],
        summary: 'Tell operators the visitor is typing (call freely; throttled)',
        security: [],
        params,
        response: { 204: z.null(), ...widgetErrors },
      },
    },
    async (request, reply) => {
      const { claims } = await authorizeVisitor(deps, request, request.params.id);
      if (typing.allow(claims.conversation)) {
        await withTenant(deps.database, [claims.org], async (tx) => {
          const conversation = await lockConversation(tx, claims.org, claims.conversation);
          // Operators only care while a person is involved; the AI needs no typing signal.
          if (conversation.status === 'waiting' || conversation.status === 'human') {
            await emitTyping(tx, claims.org, {
              conversationId: claims.conversation,
              role: 'visitor',
              authorName: null,
            });
          }
        });
      }
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/v1/widget/conversations/:id/token',
    {
      schema: {
        tags: ['widget'],
        summary: 'A fresh visitor token for this conversation (send the current, unexpired one)',
        security: [],
        params,
        response: { 200: z.object({ token: z.string(), expiresIn: z.number().int() }), ...widgetErrors },
      },
    },
    async (request) => {
      const { claims } = await authorizeVisitor(deps, request, request.params.id);
      const ttl = deps.config.visitorTokenTtlSeconds;
      return { token: await signVisitorToken(deps.keyring, ttl, claims), expiresIn: ttl };
    },
  );
}
