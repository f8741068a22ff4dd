import { and, eq, sql } from 'drizzle-orm';
import type { Keyring } from '../../platform/crypto/keyring.js';
import type { Tx } from '../../platform/db/client.js';
import {
  type ConversationStatus,
  conversations,
  type HandoffReason,
  messages,
  type SystemEvent,
} from '../../platform/db/schema/index.js';
import { AppError, notFound } from '../../platform/errors.js';
import type { ModelHandoff } from '../answers/handoff-tool.js';
import { type Actor, recordAudit } from '../audit/service.js';
import { queueConversationNotifications } from '../notifications/conversation-notifications.js';
import { displayNames, emitConversation, emitMessage } from './conversation-events.js';
import { handoffColumns } from './handoff-detail.js';

/**
 * Conversation ownership, as an explicit state machine. The only writer of `status`.
 *
 *   ai ──handoff──▶ waiting ──claim/assign──▶ human ──handback──▶ ai
 *    └──────────────claim/assign─────────────▶ │
 *   any ──close──▶ closed ──reopen (visitor message or operator)──▶ ai, with a fresh context
 *
 * - `whoAnswers` is the one question the message route asks before calling the answer engine:
 *   the agent answers in `ai` and `waiting` (until someone claims), nobody automatically in
 *   `human` (the operator does), and a closed conversation is reopened first.
 * - A handoff comes only from a structured reason (the engine's decision), never from text.
 * - Every transition is one transaction that locks the conversation row, writes the change, a
 *   system line in the transcript, the outbox events and the audit entry (ids only); a
 *   transition that changes nothing writes nothing.
 */
export type TransitionAction =
  /** detail: the model's own request (handoff tool), kept for the operator (handoff-detail.ts). */
  | { type: 'handoff'; reason: HandoffReason; detail?: ModelHandoff }
  /** userId null: an integration (API key) takes over, with nobody assigned. */
  | { type: 'claim'; userId: string | null }
  | { type: 'assign'; userId: string }
  | { type: 'unassign' }
  | { type: 'handback' }
  | { type: 'close' }
  | { type: 'reopen' };

export type Responder = 'agent' | 'operator';

export function whoAnswers(status: ConversationStatus): Responder {
  return status === 'human' ? 'operator' : 'agent';
}

type Ownership = { status: ConversationStatus; assigneeId: string | null };

export type Step = {
  next: Ownership;
  /** The transcript line this transition writes. */
  systemEvent: SystemEvent;
  audit: string;
};

/**
 * The pure rule: the next ownership for an action, null when the action changes nothing, or a
 * 409 when it is not possible from here (e.g. claiming a conversation another operator owns).
 */
export function nextOwnership(current: Ownership, action: TransitionAction): Step | null {
  const { status, assigneeId } = current;
  const closedConflict = () => new AppError('conflict', 'The conversation is closed: reopen it first');
  switch (action.type) {
    case 'handoff':
      if (status !== 'ai') return null;
      return {
        next: { status: 'waiting', assigneeId },
        systemEvent: 'waiting',
        audit: 'conversation.handoff_requested',
      };
    case 'claim':
      if (status === 'closed') throw closedConflict();
      if (status === 'human') {
        if (assigneeId === action.userId) return null;
        throw new AppError(
          'conflict',
          'Another operator already owns this conversation; ask them or reassign it',
        );
      }
      return {
        next: { status: 'human', assigneeId: action.userId },
        systemEvent: 'claimed',
        audit: 'conversation.claimed',
      };
    case 'assign':
      if (status === 'closed') throw closedConflict();
      if (status === 'human' && assigneeId === action.userId) return null;
      return {
        next: { status: 'human', assigneeId: action.userId },
        systemEvent: 'assigned',
        audit: 'conversation.assigned',
      };
    case 'unassign':
      if (status === 'closed') throw closedConflict();
      if (assigneeId === null) return null;
      // Someone was asked for and nobody owns it now: back to the queue, not to the bot.
      return {
        next: { status: status === 'human' ? 'waiting' : status, assigneeId: null },
        systemEvent: 'unassigned',
        audit: 'conversation.unassigned',
      };
    case 'handback':
      if (status === 'closed') throw closedConflict();
      if (status === 'ai') return null;
      return {
        next: { status: 'ai', assigneeId: null },
        systemEvent: 'handed_back',
        audit: 'conversation.handed_back',
      };
    case 'close':
      if (status === 'closed') return null;
      return { next: { status: 'closed', assigneeId }, systemEvent: 'closed', audit: 'conversation.closed' };
    case 'reopen':
      if (status !== 'closed') return null;
      return {
        next: { status: 'ai', assigneeId: null },
        systemEvent: 'reopened',
        audit: 'conversation.reopened',
      };
  }
}

export type ConversationRow = typeof conversations.$inferSelect;

/** Reads and locks the conversation for the rest of the transaction (ownership decisions). */
export async function lockConversation(
  tx: Tx,
  orgId: string,
  conversationId: string,
): Promise<ConversationRow> {
  const [row] = await tx
    .select()
    .from(conversations)
    .where(and(eq(conversations.orgId, orgId), eq(conversations.id, conversationId)))
    .for('update');
  if (!row) throw notFound('Conversation');
  return row;
}

/**
 * Applies one transition inside the caller's transaction. Returns the conversation after it and
 * whether anything changed. `actor` is who caused it (an operator, the visitor, the system).
 */
export async function transition(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  conversationId: string,
  action: TransitionAction,
  actor: Actor,
): Promise<{ row: ConversationRow; changed: boolean }> {
  const current = await lockConversation(tx, orgId, conversationId);
  const step = nextOwnership(current, action);
  if (!step) return { row: current, changed: false };
  const { status, assigneeId } = step.next;
  const [row] = await tx
    .update(conversations)
    .set({
      status,
      assigneeId,
      ...(action.type === 'handoff'
        ? {
            handoffReason: action.reason,
            ...handoffColumns(action.detail, current.ephemeral),
            handoffRequestedAt: sql`coalesce(${conversations.handoffRequestedAt}, now())`,
          }
        : {}),
      ...(status === 'human' && current.status !== 'human' ? { claimedAt: sql`now()` } : {}),
      ...(status === 'closed' ? { closedAt: sql`now()` } : {}),
      // A reopened conversation starts a fresh context: the model never sees pre-close history.
      ...(action.type === 'reopen'
        ? {
            contextStartedAt: sql`now()`,
            closedAt: null,
            handoffReason: null,
            handoffRequestedAt: null,
            ...handoffColumns(undefined, true),
          }
        : {}),
      ...(action.type === 'handback'
        ? { handoffReason: null, handoffRequestedAt: null, ...handoffColumns(undefined, true) }
        : {}),
    })
    .where(and(eq(conversations.orgId, orgId), eq(conversations.id, conversationId)))
    .returning();
  const after = row!;
  const operatorId = actor.type === 'user' ? actor.id : null;
  // The line names the operator it is about: the assignee for claim/assign, else who acted.
  const subjectId = action.type === 'claim' || action.type === 'assign' ? action.userId : operatorId;
  const [line] = await tx
    .insert(messages)
    .values({
      orgId,
      conversationId,
      role: 'system',
      content: '',
      systemEvent: step.systemEvent,
      authorId: subjectId,
    })
    .returning();
  const names = await displayNames(tx, [subjectId]);
  await emitMessage(tx, orgId, {
    id: line!.id,
    conversationId,
    role: 'system',
    text: '',
    internal: false,
    authorId: subjectId,
    authorName: subjectId ? (names.get(subjectId) ?? null) : null,
    systemEvent: step.systemEvent,
    citations: [],
    createdAt: line!.createdAt.toISOString(),
  });
  await emitConversation(tx, after);
  await recordAudit(tx, keyring, orgId, actor, {
    action: step.audit,
    targetType: 'conversation',
    targetId: conversationId,
    metadata: {
      from: current.status,
      to: status,
      ...(assigneeId ? { assigneeId } : {}),
      ...(action.type === 'handoff' ? { reason: action.reason } : {}),
    },
  });
  // Operators hear of a new waiting conversation or an assignment, queued in this transaction.
  if (action.type === 'handoff' || action.type === 'assign')
    await queueConversationNotifications(tx, orgId, { ...action, conversationId, actor });
  return { row: after, changed: true };
}
