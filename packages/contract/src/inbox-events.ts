import type { Citation } from './citation.js';
import type { ConversationStatus, HandoffReason, MessageRole, SystemEvent } from './conversation.js';

/** GET /v1/events (operators): every conversation change of the org, as server-sent events. */
export type ConversationSummary = {
  id: string;
  agentId: string;
  status: ConversationStatus;
  assigneeId: string | null;
  assigneeName: string | null;
  handoffReason: HandoffReason | null;
  createdAt: string;
  lastMessageAt: string | null;
};

export type InboxMessage = {
  id: string;
  conversationId: string;
  role: MessageRole;
  text: string;
  /** A private note: operators only, never sent to the visitor. */
  internal: boolean;
  authorId: string | null;
  authorName: string | null;
  systemEvent: SystemEvent | null;
  citations: Citation[];
  createdAt: string;
};

export type InboxTyping = { conversationId: string; role: 'visitor' | 'operator'; authorName: string | null };

export type InboxEvent =
  | { event: 'conversation'; data: ConversationSummary }
  | { event: 'message'; data: InboxMessage }
  | { event: 'typing'; data: InboxTyping };
