import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../deps.js';
import { clientAddress, defineRateLimit, rateLimitContext } from '../../platform/http/rate-limit.js';

/**
 * Limits on the public widget API (counts per sliding window, from config):
 * - config reads per client address;
 * - conversation starts per publishable key and address, so one visitor cannot mint tokens in
 *   bulk, and a busy site's many visitors do not share one budget;
 * - messages per address (counted before the token is checked) and per conversation (counted
 *   only once the visitor token proved the conversation, so strangers cannot spend a
 *   visitor's budget).
 */
export function createWidgetRateLimits(app: FastifyInstance, deps: AppDeps) {
  const context = rateLimitContext(deps);
  return {
    configPerIp: defineRateLimit(app, context, {
      name: 'widget-config-ip',
      rule: (l) => l.widgetConfigPerIp,
      subject: clientAddress,
    }),
    conversationsPerKeyAndIp: defineRateLimit(app, context, {
      name: 'widget-conversations-key-ip',
      rule: (l) => l.widgetConversationsPerKeyAndIp,
      subject: (request) => {
        const agentKey = (request.body as { agentKey?: unknown } | undefined)?.agentKey;
        return typeof agentKey === 'string' ? `${agentKey}\0${clientAddress(request)}` : null;
      },
    }),
    messagesPerIp: defineRateLimit(app, context, {
      name: 'widget-messages-ip',
      rule: (l) => l.widgetMessagesPerIp,
      subject: clientAddress,
    }),
    messagesPerConversation: defineRateLimit(app, context, {
      name: 'widget-messages-conversation',
      rule: (l) => l.widgetMessagesPerConversation,
      subject: (request: FastifyRequest) => (request.params as { id?: string }).id ?? null,
    }),
  };
}
