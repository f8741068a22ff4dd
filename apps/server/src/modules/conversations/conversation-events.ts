import type {
  ConversationSummary as ContractSummary,
  InboxMessage,
  InboxTyping,
  LiveStreamEvent,
} from '@confidant/contract';
import { inArray } from 'drizzle-orm';
import type { Tx } from '../../platform/db/client.js';
import { type conversations, users } from '../../platform/db/schema/index.js';
import { appendEvent, type DeliveredEvent } from '../../platform/events/outbox.js';
import type { EphemeralTranscripts } from './ephemeral-transcripts.js';

/**
 * The conversation events written to the outbox (platform/events) and the two views of them:
 * operators see every event of their org; a visitor sees only their conversation's messages
 * that are not internal notes, operator typing, and status changes — never a note, never
 * another conversation. The payloads are the wire types operators receive (packages/contract).
 */
export type ConversationSummary = ContractSummary;
export type MessageView = InboxMessage;
export type TypingView = InboxTyping;

type ConversationRow = typeof conversations.$inferSelect;

/** Display names of console users (a global table: names only, looked up by id). */
export async function displayNames(tx: Tx, ids: readonly (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await tx
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(inArray(users.id, wanted));
  return new Map(rows.map((r) => [r.id, r.name]));
}

export function summaryOf(row: ConversationRow, assigneeName: string | null): ConversationSummary {
  return {
    id: row.id,
    agentId: row.agentId,
    status: row.status,
    assigneeId: row.assigneeId,
    assigneeName: row.assigneeId ? assigneeName : null,
    handoffReason: row.handoffReason,
    createdAt: row.createdAt.toISOString(),
    lastMessageAt: row.lastMessageAt?.toISOString() ?? null,
    ephemeral: row.ephemeral,
  };
}

export async function emitConversation(tx: Tx, row: ConversationRow): Promise<ConversationSummary> {
  const names = await displayNames(tx, [row.assigneeId]);
  const summary = summaryOf(row, row.assigneeId ? (names.get(row.assigneeId) ?? null) : null);
  await appendEvent(tx, row.orgId, { type: 'conversation', conversationId: row.id, payload: summary });
  return summary;
}

/**
 * Writes a message event. An ephemeral message's event is stored without its text or citations:
 * readers join them in from the process's memory (withHeldText), so the events table never holds
 * them.
 */
export async function emitMessage(tx: Tx, orgId: string, message: MessageView): Promise<void> {
  const payload = message.ephemeral ? { ...message, text: '', citations: [] } : message;
  await appendEvent(tx, orgId, { type: 'message', conversationId: message.conversationId, payload });
}

/**
 * An ephemeral message as this process can show it: with its text while held in memory, else
 * text '' (the reader shows "Not stored"). Other messages pass through unchanged.
 */
export function withHeldText(transcripts: EphemeralTranscripts, orgId: string, m: MessageView): MessageView {
  if (!m.ephemeral || m.role === 'system') return m;
  const held = transcripts.get(orgId, m.conversationId, m.id);
  return { ...m, text: held?.text ?? '', citations: held?.citations ?? [] };
}

/** An event as this process delivers it: message events of ephemeral conversations get their text. */
export function deliverable(transcripts: EphemeralTranscripts, event: DeliveredEvent): DeliveredEvent {
  if (event.type !== 'message') return event;
  const m = event.payload as MessageView;
  if (!m.ephemeral) return event;
  return { ...event, payload: withHeldText(transcripts, event.orgId, m) };
}

export async function emitTyping(tx: Tx, orgId: string, typing: TypingView): Promise<void> {
  await appendEvent(tx, orgId, { type: 'typing', conversationId: typing.conversationId, payload: typing });
}

/** What the visitor's widget receives for an event, or null when the visitor must not see it. */
export type VisitorEvent = LiveStreamEvent;

export function visitorViewOf(event: DeliveredEvent, conversationId: string): VisitorEvent | null {
  if (event.conversationId !== conversationId) return null;
  if (event.type === 'message') {
    const m = event.payload as MessageView;
    if (m.internal) return null;
    // An ephemeral message this process no longer holds is skipped, never shown empty or wrong.
    if (m.ephemeral && m.role !== 'system' && m.text === '') return null;
    return {
      event: 'message',
      data: {
        id: m.id,
        role: m.role,
        text: m.text,
        ...(m.authorName && (m.role === 'operator' || m.role === 'system')
          ? { authorName: m.authorName }
          : {}),
        ...(m.systemEvent ? { systemEvent: m.systemEvent } : {}),
        ...(m.citations.length > 0 ? { citations: m.citations } : {}),
      },
    };
  }
  if (event.type === 'typing') {
    const t = event.payload as TypingView;
    if (t.role !== 'operator') return null;
    return {
      event: 'typing',
      data: { role: 'operator', ...(t.authorName ? { authorName: t.authorName } : {}) },
    };
  }
  if (event.type === 'conversation') {
    const c = event.payload as ConversationSummary;
    return {
      event: 'status',
      data: {
        status: c.status,
        ...(c.status === 'human' && c.assigneeName ? { operatorName: c.assigneeName } : {}),
      },
    };
  }
  return null;
}
