import type { Citation } from './citation.js';

/** Who answers the conversation now (DESIGN.md §5): the assistant, nobody yet, a person, or closed. */
export type ConversationStatus = 'ai' | 'waiting' | 'human' | 'closed';

export type MessageRole = 'visitor' | 'assistant' | 'operator' | 'system';

/** The ownership change a system line in the transcript records. */
export type SystemEvent =
  | 'waiting'
  | 'claimed'
  | 'assigned'
  | 'unassigned'
  | 'handed_back'
  | 'closed'
  | 'reopened';

/** Why a person was asked for: the visitor asked, retrieval was weak, or a handoff rule matched. */
export type HandoffReason = 'requested' | 'low_confidence' | 'rule';

/** A transcript line as the visitor may see it (never a private note). */
export type VisibleMessage = {
  id: string;
  role: MessageRole;
  text: string;
  /** The operator's display name (operator replies and system lines about an operator). */
  authorName?: string;
  systemEvent?: SystemEvent;
  citations?: Citation[];
};

/** GET /v1/widget/conversations/{id}: the transcript after a reload. */
export type VisitorTranscript = {
  conversationId: string;
  status: ConversationStatus;
  messages: (VisibleMessage & { createdAt: string })[];
};
