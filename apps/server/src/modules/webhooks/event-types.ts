import type { WebhookEventType } from '../../platform/db/schema/index.js';
import type { DeliveredEvent } from '../../platform/events/outbox.js';

export { type WebhookEventType, webhookEventTypes } from '../../platform/db/schema/index.js';

/** A webhook event before it is addressed to endpoints: a type and a thin payload (ids only). */
export type WebhookEvent = { type: WebhookEventType; data: Record<string, unknown> };

type MessagePayload = {
  id: string;
  conversationId: string;
  role: string;
  internal: boolean;
  systemEvent: string | null;
};

/**
 * What the conversation events of the outbox (platform/events, conversations/conversation-events.ts)
 * mean to webhooks. A state change writes a system line into the transcript, so the `message`
 * events carry them all: `waiting` and `closed` lines are the conversation events, a visitor,
 * assistant or operator message (never an internal note) is `message.created`.
 */
export function webhookEventOf(event: DeliveredEvent): WebhookEvent | null {
  if (event.type !== 'message' || !event.conversationId) return null;
  const m = event.payload as MessagePayload;
  if (m.internal) return null;
  if (m.role === 'system') {
    if (m.systemEvent === 'waiting')
      return { type: 'conversation.waiting', data: { conversationId: event.conversationId } };
    if (m.systemEvent === 'closed')
      return { type: 'conversation.closed', data: { conversationId: event.conversationId } };
    return null;
  }
  return {
    type: 'message.created',
    data: { conversationId: event.conversationId, messageId: m.id, role: m.role },
  };
}
