import { z } from 'zod';
import type { AppDeps } from '../../deps.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { AppError } from '../../platform/errors.js';
import { errorResponses, idParams, nonBlank, problemSchema } from '../../platform/http/schemas.js';
import type { ZodApp } from '../../platform/http/types.js';
import { actorOf, type Principal, requireRole, roleAtLeast } from '../auth/principal.js';
import { displayNames, summaryOf } from '../conversations/conversation-events.js';
import { lockConversation, type TransitionAction, transition } from '../conversations/state.js';
import { findMembership } from '../members/membership-lookup.js';
import {
  createCannedResponse,
  deleteCannedResponse,
  listCannedResponses,
  updateCannedResponse,
} from './canned-responses.js';
import { getConversationDetail, markRead } from './conversation-detail.js';
import { countViews, inboxViews, listConversations } from './list-conversations.js';
import { postOperatorMessage, signalOperatorTyping } from './operator-messages.js';
import { touchPresence } from './presence.js';
import { findRelatedConversations } from './related-conversations.js';
import {
  cannedResponseSchema,
  conversationSummarySchema,
  detailSchema,
  listItemSchema,
  messageSchema,
  relatedConversationsSchema,
} from './schemas.js';
import { createTypingThrottle } from './typing-throttle.js';

/**
 * The operator API (roles: agent and above act, viewer reads). Every ownership change goes
 * through conversations/state.ts; every change reaches other operators and the visitor live
 * through the events outbox.
 */
const userIdOf = (p: Principal) => (p.type === 'user' ? p.userId : null);
const inboxErrors = { ...errorResponses, 409: problemSchema };
const shortcut = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9_-]{0,31}$/,
    'must be 1–32 characters of a–z, 0–9, _ and -, starting with a letter or digit',
  );

export async function inboxRoutes(app: ZodApp, deps: AppDeps) {
  const tenant = <T>(orgId: string, fn: Parameters<typeof withTenant<T>>[2]) =>
    withTenant(deps.database, [orgId], fn);
  const typing = createTypingThrottle();

  app.get(
    '/v1/conversations',
    {
      schema: {
        tags: ['inbox'],
        summary: 'List conversations in a view, newest activity first',
        querystring: z.strictObject({
          view: z.enum(inboxViews).default('all'),
          q: nonBlank(200)
            .optional()
            .describe(
              'Finds conversations whose messages contain the text, whose consented contact email contains it, or whose id starts with it',
            ),
          agentId: z.uuid().optional(),
          cursor: z.string().max(200).optional(),
          limit: z.coerce.number().int().min(1).max(100).default(25),
        }),
        response: {
          200: z.object({ conversations: z.array(listItemSchema), nextCursor: z.string().nullable() }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const p = requireRole(request, 'viewer');
      return tenant(p.orgId, (tx) =>
        listConversations(tx, deps.transcripts, p.orgId, userIdOf(p), request.query),
      );
    },
  );

  app.get(
    '/v1/conversations/counts',
    {
      schema: {
        tags: ['inbox'],
        summary: 'How many conversations each view holds',
        response: { 200: z.record(z.enum(inboxViews), z.number().int()), ...errorResponses },
      },
    },
    async (request) => {
      const p = requireRole(request, 'viewer');
      return tenant(p.orgId, (tx) => countViews(tx, p.orgId, userIdOf(p)));
    },
  );

  app.get(
    '/v1/conversations/:id',
    {
      schema: {
        tags: ['inbox'],
        summary: 'A conversation with its whole transcript (notes and system lines included)',
        params: idParams,
        response: { 200: detailSchema, ...errorResponses },
      },
    },
    async (request) => {
      const p = requireRole(request, 'viewer');
      return tenant(p.orgId, (tx) =>
        getConversationDetail(tx, deps.transcripts, deps.keyring, p.orgId, request.params.id),
      );
    },
  );

  app.get(
    '/v1/conversations/:id/related',
    {
      schema: {
        tags: ['inbox'],
        summary: "The visitor's other conversations in this organization (side panel)",
        description:
          'Visitors are anonymous: conversations are linked only by an email address the visitor left with consent in each (withdrawn consent unlinks). Without one, `identifiedBy` is null and the list is empty.',
        params: idParams,
        response: { 200: relatedConversationsSchema, ...errorResponses },
      },
    },
    async (request) => {
      const p = requireRole(request, 'viewer');
      return tenant(p.orgId, (tx) => findRelatedConversations(tx, p.orgId, request.params.id));
    },
  );

  app.post(
    '/v1/conversations/:id/read',
    {
      schema: {
        tags: ['inbox'],
        summary: 'Mark the conversation read up to now, for the caller (console users)',
        params: idParams,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const p = requireRole(request, 'viewer');
      const userId = userIdOf(p);
      await tenant(p.orgId, async (tx) => {
        await lockConversation(tx, p.orgId, request.params.id);
        if (userId) await markRead(tx, p.orgId, request.params.id, userId);
      });
      return reply.status(204).send(null);
    },
  );

  /**
   * Runs one ownership transition for an operator and answers with the new summary. Closing an
   * ephemeral conversation ends it: its text leaves this process's memory once the close committed.
   */
  const act = async (p: Principal, conversationId: string, action: TransitionAction) => {
    const summary = await tenant(p.orgId, async (tx) => {
      const { row } = await transition(tx, deps.keyring, p.orgId, conversationId, action, actorOf(p));
      const userId = userIdOf(p);
      if (userId) await touchPresence(tx, p.orgId, userId);
      const names = await displayNames(tx, [row.assigneeId]);
      return summaryOf(row, row.assigneeId ? (names.get(row.assigneeId) ?? null) : null);
    });
    if (summary.ephemeral && summary.status === 'closed') deps.transcripts.drop(p.orgId, conversationId);
    return summary;
  };

  const transitionRoute = (path: string, summary: string, toAction: (p: Principal) => TransitionAction) =>
    app.post(
      `/v1/conversations/:id/${path}`,
      {
        schema: {
          tags: ['inbox'],
          summary,
          params: idParams,
          response: { 200: conversationSummarySchema, ...inboxErrors },
        },
      },
      async (request) => {
        const p = requireRole(request, 'agent');
        return act(p, request.params.id, toAction(p));
      },
    );

  // An API key is not a person: it takes the conversation over with nobody assigned.
  transitionRoute('claim', 'Take the conversation: a person answers from now on (the AI is silent)', (p) => ({
    type: 'claim',
    userId: userIdOf(p),
  }));
  transitionRoute('handback', 'Hand the conversation back to the AI agent', () => ({ type: 'handback' }));
  transitionRoute('close', 'Close the conversation', () => ({ type: 'close' }));
  transitionRoute('reopen', 'Reopen a closed conversation (the AI answers, with a fresh context)', () => ({
    type: 'reopen',
  }));

  app.post(
    '/v1/conversations/:id/assign',
    {
      schema: {
        tags: ['inbox'],
        summary: 'Assign the conversation to a member (agent role or above), or unassign it with null',
        params: idParams,
        body: z.strictObject({ userId: z.uuid().nullable() }),
        response: { 200: conversationSummarySchema, ...inboxErrors },
      },
    },
    async (request) => {
      const p = requireRole(request, 'agent');
      const { userId } = request.body;
      if (userId === null) return act(p, request.params.id, { type: 'unassign' });
      const membership = await findMembership(deps.database, p.orgId, userId);
      if (!membership || !roleAtLeast(membership.role, 'agent'))
        throw new AppError('validation_failed', 'userId must be a member with the agent role or above', [
          { path: 'body.userId', message: 'not an operator of this organization' },
        ]);
      return act(p, request.params.id, { type: 'assign', userId });
    },
  );

  app.post(
    '/v1/conversations/:id/messages',
    {
      schema: {
        tags: ['inbox'],
        summary: 'Reply to the visitor, or write a private note (internal: true)',
        description:
          'A reply is delivered live to the visitor and takes the conversation over (ai or waiting → human). A note is visible to operators only: never sent to the visitor or to any model.',
        params: idParams,
        body: z.strictObject({ text: nonBlank(4000), internal: z.boolean().default(false) }),
        response: { 201: messageSchema, ...inboxErrors },
      },
    },
    async (request, reply) => {
      const p = requireRole(request, 'agent');
      const userId = userIdOf(p);
      const message = await tenant(p.orgId, async (tx) => {
        const posted = await postOperatorMessage(
          tx,
          deps.keyring,
          deps.transcripts,
          p.orgId,
          request.params.id,
          { actor: actorOf(p), userId },
          request.body,
        );
        if (userId) {
          await touchPresence(tx, p.orgId, userId);
          await markRead(tx, p.orgId, request.params.id, userId);
        }
        return posted;
      });
      return reply.status(201).send(message);
    },
  );

  app.post(
    '/v1/conversations/:id/typing',
    {
      schema: {
        tags: ['inbox'],
        summary: 'Show the visitor that an operator is typing (call freely; throttled)',
        params: idParams,
        response: { 204: z.null(), ...inboxErrors },
      },
    },
    async (request, reply) => {
      const p = requireRole(request, 'agent');
      const key = `${request.params.id}:${userIdOf(p) ?? (p.type === 'api_key' ? p.keyId : '')}`;
      if (typing.allow(key)) {
        await tenant(p.orgId, (tx) => signalOperatorTyping(tx, p.orgId, request.params.id, userIdOf(p)));
      }
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/v1/canned-responses',
    {
      schema: {
        tags: ['inbox'],
        summary: 'List canned responses',
        response: { 200: z.object({ cannedResponses: z.array(cannedResponseSchema) }), ...errorResponses },
      },
    },
    async (request) => {
      const p = requireRole(request, 'viewer');
      return { cannedResponses: await tenant(p.orgId, (tx) => listCannedResponses(tx, p.orgId)) };
    },
  );

  app.post(
    '/v1/canned-responses',
    {
      schema: {
        tags: ['inbox'],
        summary: 'Create a canned response',
        body: z.strictObject({ shortcut, text: nonBlank(4000) }),
        response: { 201: cannedResponseSchema, ...inboxErrors },
      },
    },
    async (request, reply) => {
      const p = requireRole(request, 'agent');
      const created = await tenant(p.orgId, (tx) =>
        createCannedResponse(tx, deps.keyring, p.orgId, actorOf(p), request.body),
      );
      return reply.status(201).send(created);
    },
  );

  app.patch(
    '/v1/canned-responses/:id',
    {
      schema: {
        tags: ['inbox'],
        summary: 'Change a canned response',
        params: idParams,
        body: z
          .strictObject({ shortcut: shortcut.optional(), text: nonBlank(4000).optional() })
          .refine((b) => Object.keys(b).length > 0, 'send at least one field to change'),
        response: { 200: cannedResponseSchema, ...inboxErrors },
      },
    },
    async (request) => {
      const p = requireRole(request, 'agent');
      return tenant(p.orgId, (tx) =>
        updateCannedResponse(tx, deps.keyring, p.orgId, actorOf(p), request.params.id, request.body),
      );
    },
  );

  app.delete(
    '/v1/canned-responses/:id',
    {
      schema: {
        tags: ['inbox'],
        summary: 'Delete a canned response',
        params: idParams,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const p = requireRole(request, 'agent');
      await tenant(p.orgId, (tx) =>
        deleteCannedResponse(tx, deps.keyring, p.orgId, actorOf(p), request.params.id),
      );
      return reply.status(204).send(null);
    },
  );
}
