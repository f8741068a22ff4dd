import type { ActionCall } from './actions-api.js';
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
  /**
   * Its agent stores no transcripts: message text lives only in the server's memory while the
   * conversation is open ("Ephemeral — not stored"); nothing about the visitor is kept.
   */
  ephemeral: boolean;
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
  /**
   * A message of an ephemeral conversation: its text is held in server memory only. `text` is ''
   * (and citations empty) once it is no longer held — the conversation ended, the server
   * restarted, or another server process holds it: show it as "Not stored".
   */
  ephemeral?: true;
  /** A visitor message the visitor spoke: its text is the speech transcriber's (no audio kept). */
  spoken?: true;
};

export type InboxTyping = { conversationId: string; role: 'visitor' | 'operator'; authorName: string | null };

export type InboxEvent =
  | { event: 'conversation'; data: ConversationSummary }
  | { event: 'message'; data: InboxMessage }
  | { event: 'typing'; data: InboxTyping }
  /** An action call waits for an operator's approval, or was decided (modules/actions/approvals.ts). */
  | { event: 'action_call'; data: ActionCall };
