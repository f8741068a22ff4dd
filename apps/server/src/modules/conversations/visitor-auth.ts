import type { FastifyRequest } from 'fastify';
import type { AppDeps } from '../../deps.js';
import type { AgentRow } from '../../platform/db/schema/index.js';
import { AppError, notFound } from '../../platform/errors.js';
import { assertOrgActive } from '../orgs/deletion/org-status.js';
import { allowOrigin } from './cors.js';
import { isOriginAllowed, type RequestOrigin, requestOrigin } from './origin.js';
import { type ConversationContext, findAgent, loadAgentOrigins, loadConversation } from './service.js';
import { bearerToken, type VisitorClaims, verifyVisitorToken } from './visitor-token.js';

export const originNotAllowed = () =>
  new AppError('forbidden', 'This website is not allowed to use this agent');

/**
 * Authorises a visitor request on one conversation: a valid visitor token for exactly this
 * conversation, sent from an origin the agent allows. An expired token is a 401 the widget may
 * read on an allowed site (so it can start over); anything else reveals nothing.
 * `afterAuthorized` runs once the token proved the conversation and the origin is allowed
 * (per-conversation rate limits): its 429 then carries CORS, so the widget can read it.
 */
export async function authorizeVisitor(
  deps: AppDeps,
  request: FastifyRequest,
  conversationId: string,
  afterAuthorized?: () => Promise<void>,
): Promise<{ claims: VisitorClaims; context: ConversationContext; from: RequestOrigin }> {
  const token = bearerToken(request.headers.authorization);
  const verified = token ? await verifyVisitorToken(deps.keyring, token) : null;
  if (!verified) throw new AppError('unauthorized', 'Send Authorization: Bearer <visitor token>');
  const from = requestOrigin(request, deps.config);
  const { claims } = verified;
  if (verified.status === 'expired') {
    const origins = await loadAgentOrigins(deps.database, claims.org, claims.agent);
    if (origins && isOriginAllowed(origins, from)) allowOrigin(request, from);
    throw new AppError('unauthorized', 'The visitor token has expired; start a new conversation');
  }
  if (claims.conversation !== conversationId) throw notFound('Conversation');
  const context = await loadConversation(deps.database, claims.org, claims.agent, claims.conversation);
  if (!context) throw notFound('Conversation');
  if (!isOriginAllowed(context.agent.allowedOrigins, from)) throw originNotAllowed();
  allowOrigin(request, from);
  // Conversations, messages and live streams of an org scheduled for deletion stop at once.
  await assertOrgActive(deps.database, claims.org);
  await afterAuthorized?.();
  return { claims, context, from };
}

/**
 * authorizeVisitor for a new visitor message, without reading the conversation: the token names
 * the conversation and its agent (it is only ever signed for that pair), the agent and the org's
 * status come from the hot cache, and the message's own transaction locks the conversation and
 * answers 404 when it is gone (recordVisitorMessage). One transaction less per message; the
 * same answers as authorizeVisitor for every failure (401 token, 404 agent or conversation gone,
 * 403 origin, org_deleted, the per-conversation limit with CORS).
 */
export async function authorizeVisitorMessage(
  deps: AppDeps,
  request: FastifyRequest,
  conversationId: string,
  afterAuthorized?: () => Promise<void>,
): Promise<{ claims: VisitorClaims; agent: AgentRow; from: RequestOrigin }> {
  const token = bearerToken(request.headers.authorization);
  const verified = token ? await verifyVisitorToken(deps.keyring, token) : null;
  if (!verified) throw new AppError('unauthorized', 'Send Authorization: Bearer <visitor token>');
  const from = requestOrigin(request, deps.config);
  const { claims } = verified;
  const agent = await findAgent(deps.database, claims.org, claims.agent);
  if (verified.status === 'expired') {
    if (agent && isOriginAllowed(agent.allowedOrigins, from)) allowOrigin(request, from);
    throw new AppError('unauthorized', 'The visitor token has expired; start a new conversation');
  }
  if (claims.conversation !== conversationId || !agent) throw notFound('Conversation');
  if (!isOriginAllowed(agent.allowedOrigins, from)) throw originNotAllowed();
  allowOrigin(request, from);
  await assertOrgActive(deps.database, claims.org);
  await afterAuthorized?.();
  return { claims, agent, from };
}
