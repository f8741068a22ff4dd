import { and, desc, eq } from 'drizzle-orm';
import type { Tx } from '../../platform/db/client.js';
import {
  agents,
  conversations,
  type HandoffReason,
  messages,
  notifications,
} from '../../platform/db/schema/index.js';
import type { Actor } from '../audit/service.js';
import { assignedToYou, visitorReplied, waitingConversation } from './compose.js';
import { operatorsWanting } from './preferences.js';
import { insertNotifications, type NewNotification } from './queue.js';
import { hasSlackWebhook, previewsEnabled } from './settings.js';

/**
 * Operator notifications caused by a conversation change, queued in the transaction of that
 * change (conversations/state.ts `transition`, conversations/service.ts `recordVisitorMessage`):
 *
 * - `handoff` (→ waiting): an email to every operator (agent role and above) who wants
 *   `waitingConversation`, and a Slack message when the org set a webhook;
 * - `assign`: an email to the assignee if they want `assignedToMe`, unless they assigned
 *   themselves;
 * - `visitor_message` in a conversation a person owns: an email to the assignee if they want
 *   `replyInMyConversation`. While one such email is still queued for them, no second one is
 *   written (a visitor typing five lines sends one email, not five).
 *
 * Only members of the org are ever addressed (an assignee who left is skipped). Chat text is
 * quoted only when the org enabled previews, and never from an ephemeral conversation.
 */
export type ConversationTrigger =
  | { type: 'handoff'; conversationId: string; reason: HandoffReason; actor: Actor }
  | { type: 'assign'; conversationId: string; userId: string; actor: Actor }
  | { type: 'visitor_message'; conversationId: string; messageId: string; assigneeId: string };

export async function queueConversationNotifications(
  tx: Tx,
  orgId: string,
  trigger: ConversationTrigger,
): Promise<string[]> {
  const [conversation] = await tx
    .select({
      agentName: agents.name,
      assigneeId: conversations.assigneeId,
      ephemeral: conversations.ephemeral,
    })
    .from(conversations)
    .innerJoin(agents, and(eq(agents.orgId, conversations.orgId), eq(agents.id, conversations.agentId)))
    .where(and(eq(conversations.orgId, orgId), eq(conversations.id, trigger.conversationId)));
  if (!conversation) return [];
  const { agentName } = conversation;
  const { conversationId } = trigger;
  // An ephemeral conversation's text is never quoted (nor stored: its rows hold none anyway).
  const previews = !conversation.ephemeral && (await previewsEnabled(tx, orgId));
  const email = (to: { userId: string; email: string }) => ({
    channel: 'email' as const,
    recipient: to.email,
    recipientUserId: to.userId,
    conversationId,
  });

  switch (trigger.type) {
    case 'handoff': {
      const preview = previews ? await latestVisitorText(tx, orgId, conversationId) : null;
      const message = waitingConversation({ agentName, reason: trigger.reason, preview });
      const rows: NewNotification[] = (await operatorsWanting(tx, orgId, 'waitingConversation')).map(
        (to) => ({
          ...message,
          ...email(to),
        }),
      );
      if (await hasSlackWebhook(tx, orgId))
        rows.push({
          ...message,
          channel: 'slack',
          recipient: 'slack',
          recipientUserId: null,
          conversationId,
        });
      return insertNotifications(tx, orgId, rows);
    }
    case 'assign': {
      if (trigger.actor.type === 'user' && trigger.actor.id === trigger.userId) return [];
      const preview = previews ? await latestVisitorText(tx, orgId, conversationId) : null;
      const message = assignedToYou({ agentName, preview });
      const to = await operatorsWanting(tx, orgId, 'assignedToMe', [trigger.userId]);
      return insertNotifications(
        tx,
        orgId,
        to.map((r) => ({ ...message, ...email(r) })),
      );
    }
    case 'visitor_message': {
      if (conversation.assigneeId !== trigger.assigneeId) return [];
      const to = await operatorsWanting(tx, orgId, 'replyInMyConversation', [trigger.assigneeId]);
      if (to.length === 0 || (await hasQueuedReplyNotice(tx, orgId, conversationId, trigger.assigneeId)))
        return [];
      const preview = previews ? await messageText(tx, orgId, trigger.messageId) : null;
      const message = visitorReplied({ agentName, preview });
      return insertNotifications(
        tx,
        orgId,
        to.map((r) => ({ ...message, ...email(r) })),
      );
    }
  }
}

async function latestVisitorText(tx: Tx, orgId: string, conversationId: string): Promise<string | null> {
  const [row] = await tx
    .select({ content: messages.content })
    .from(messages)
    .where(
      and(
        eq(messages.orgId, orgId),
        eq(messages.conversationId, conversationId),
        eq(messages.role, 'visitor'),
      ),
    )
    .orderBy(desc(messages.createdAt), desc(messages.id))
    .limit(1);
  return row?.content ?? null;
}

async function messageText(tx: Tx, orgId: string, messageId: string): Promise<string | null> {
  const [row] = await tx
    .select({ content: messages.content })
    .from(messages)
    .where(and(eq(messages.orgId, orgId), eq(messages.id, messageId)));
  return row?.content ?? null;
}

async function hasQueuedReplyNotice(tx: Tx, orgId: string, conversationId: string, userId: string) {
  const [row] = await tx
    .select({ id: notifications.id })
    .from(notifications)
    .where(
      and(
        eq(notifications.orgId, orgId),
        eq(notifications.conversationId, conversationId),
        eq(notifications.recipientUserId, userId),
        eq(notifications.kind, 'visitor_replied'),
        eq(notifications.status, 'queued'),
      ),
    )
    .limit(1);
  return row !== undefined;
}
