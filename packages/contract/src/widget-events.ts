import type { Citation } from './citation.js';
import type { ConversationStatus, HandoffReason, VisibleMessage } from './conversation.js';
import type { Problem } from './problem.js';

/**
 * Server-sent events the widget reads. Two streams:
 * - the answer stream (POST …/messages): `token`… `citations` `handoff`? `done`, or `error`;
 * - the live stream (GET …/events): `status`, `message`, `typing`, each with an `id` for
 *   Last-Event-ID; keep-alive comments every 15 s.
 */
export type AnswerStreamEvent =
  | { event: 'token'; data: { text: string } }
  | { event: 'citations'; data: { citations: Citation[] } }
  /** `operatorsAvailable`: whether anyone could take over when the handoff was made. */
  | { event: 'handoff'; data: { reason: HandoffReason; operatorsAvailable?: boolean } }
  /** `assistantMessageId: null`: no answer (a person owns the conversation): drop any partial text. */
  | { event: 'done'; data: { userMessageId: string; assistantMessageId: string | null } }
  | { event: 'error'; data: Problem };

export type StatusEventData = { status: ConversationStatus; operatorName?: string };
export type TypingEventData = { role: 'operator'; authorName?: string };

export type LiveStreamEvent =
  | { event: 'status'; data: StatusEventData }
  | { event: 'message'; data: VisibleMessage }
  | { event: 'typing'; data: TypingEventData };

export type WidgetStreamEvent = AnswerStreamEvent | LiveStreamEvent;
