import { and, desc, eq, gte, inArray, lt, ne, sql } from 'drizzle-orm';
import type { BlobStore } from '../../platform/blobs/blob-store.js';
import { hotCacheOf } from '../../platform/cache/hot-cache.js';
import type { Keyring } from '../../platform/crypto/keyring.js';
import type { Database, Tx } from '../../platform/db/client.js';
import { queryRows } from '../../platform/db/query-rows.js';
import {
  type AgentRow,
  agents,
  blobs,
  type Citation,
  type ConversationStatus,
  conversations,
  type HandoffReason,
  messages,
} from '../../platform/db/schema/index.js';
import { withTenant } from '../../platform/db/tenancy.js';
import type { ModelHandoff } from '../answers/handoff-tool.js';
import type { ChatTurn } from '../answers/model-answerer.js';
import type { Actor } from '../audit/service.js';
import { queueConversationNotifications } from '../notifications/conversation-notifications.js';
import { emitMessage } from './conversation-events.js';
import type { EphemeralTranscripts } from './ephemeral-transcripts.js';
import { lockConversation, type Responder, transition, whoAnswers } from './state.js';
import type { VisitorContext } from './visitor-context.js';

/**
 * Conversation storage for the widget. Every function runs its own short transaction: an answer
 * is streamed between them, and no transaction may stay open while streaming (PGlite has a
 * single connection; on PostgreSQL it would pin a pooled connection for the whole answer).
 *
 * Invariants (backed by unique indexes, so they hold under concurrency too):
 * - a visitor message's clientMessageId is unique in its conversation: a repeat is a no-op;
 * - at most one assistant message answers a given visitor message (reply_to_id).
 */
export type StoredAnswer = { id: string; content: string; citations: Citation[] };

/** The agent a publishable key opens; RLS reveals exactly that one agent to this lookup. */
export async function findAgentByPublishableKey(
  database: Database,
  publishableKey: string,
): Promise<AgentRow | null> {
  const load = async () => {
    const [row] = await withTenant(database, { publishableKey }, (tx) =>
      tx.select().from(agents).where(eq(agents.publishableKey, publishableKey)),
    );
    return row ? { orgId: row.orgId, value: row } : null;
  };
  const cache = hotCacheOf(database);
  // Cached per org (platform/cache/hot-cache.ts): any write to the org's agents drops it.
  return cache ? cache.get('agents', `key:${publishableKey}`, load) : ((await load())?.value ?? null);
}

/** One agent of an org (cached like findAgentByPublishableKey); null when it does not exist. */
export async function findAgent(
  database: Database,
  orgId: string,
  agentId: string,
): Promise<AgentRow | null> {
  const load = async () => {
    const [row] = await withTenant(database, [orgId], (tx) =>
      tx
        .select()
        .from(agents)
        .where(and(eq(agents.orgId, orgId), eq(agents.id, agentId))),
    );
    return row ? { orgId, value: row } : null;
  };
  const cache = hotCacheOf(database);
  return cache ? cache.get('agents', `id:${orgId}:${agentId}`, load) : ((await load())?.value ?? null);
}

/** The bytes and type of an avatar the org stored (null when the blob is gone). */
export async function readAgentAvatar(
  database: Database,
  blobStore: BlobStore,
  orgId: string,
  hash: string,
): Promise<{ bytes: Uint8Array; mimeType: string } | null> {
  const [row] = await withTenant(database, [orgId], (tx) =>
    tx
      .select({ mimeType: blobs.mimeType })
      .from(blobs)
      .where(and(eq(blobs.orgId, orgId), eq(blobs.hash, hash))),
  );
  if (!row) return null;
  try {
    return { bytes: await blobStore.get(orgId, hash), mimeType: row.mimeType };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

export async function createConversation(
  database: Database,
  agent: AgentRow,
  origin: string | null,
  context: VisitorContext = { pageUrl: null, language: null },
): Promise<string> {
  // An ephemeral agent's conversation keeps nothing about where the visitor came from.
  const values = agent.storeTranscripts
    ? { orgId: agent.orgId, agentId: agent.id, origin, ...context }
    : { orgId: agent.orgId, agentId: agent.id, ephemeral: true };
  const [row] = await withTenant(database, [agent.orgId], (tx) =>
    tx.insert(conversations).values(values).returning({ id: conversations.id }),
  );
  return row!.id;
}

export type ConversationContext = {
  conversation: { id: string; status: ConversationStatus; ephemeral: boolean };
  agent: AgentRow;
};

/** The conversation a visitor token names, with its agent; null if gone or not that agent's. */
export async function loadConversation(
  database: Database,
  orgId: string,
  agentId: string,
  conversationId: string,
): Promise<ConversationContext | null> {
  // The agent row comes from the cache (one short transaction less per message when warm).
  const [agent, [conversation]] = await Promise.all([
    findAgent(database, orgId, agentId),
    withTenant(database, [orgId], (tx) =>
      tx
        .select({ id: conversations.id, status: conversations.status, ephemeral: conversations.ephemeral })
        .from(conversations)
        .where(
          and(
            eq(conversations.orgId, orgId),
            eq(conversations.id, conversationId),
            eq(conversations.agentId, agentId),
          ),
        ),
    ),
  ]);
  return agent && conversation ? { conversation, agent } : null;
}

/** Only an agent's allowed origins, for CORS on requests whose token has expired. */
export async function loadAgentOrigins(
  database: Database,
  orgId: string,
  agentId: string,
): Promise<string[] | null> {
  return (await findAgent(database, orgId, agentId))?.allowedOrigins ?? null;
}

export type VisitorMessage = {
  id: string;
  /** The stored text: for a repeated clientMessageId, the first attempt's text is the one answered. */
  content: string;
  /** True when this clientMessageId was already stored (a retry). */
  repeated: boolean;
  /** The stored answer to it, if an earlier attempt finished. */
  answer: StoredAnswer | null;
  /** Earlier turns of the current context, oldest first, for the model (no notes, no system lines). */
  history: ChatTurn[];
  /** Who answers it now (state.ts): the agent, or an operator (then the agent stays silent). */
  responder: Responder;
  /** The conversation stores no text (its agent's storeTranscripts was off when it started). */
  ephemeral: boolean;
};

const HISTORY_LIMIT = 10;

/** The visitor, as an audit actor: pseudonymous, by conversation id. */
export const visitorActor = (conversationId: string): Actor => ({ type: 'visitor', id: conversationId });

/**
 * Stores the visitor's message (or finds the earlier one with the same clientMessageId) and
 * returns what answering it needs. A repeat inserts nothing: ON CONFLICT DO NOTHING on the
 * (org, conversation, clientMessageId) index, then the existing row is read.
 *
 * The conversation row is locked first, so the message and the ownership decision are one
 * step: a message in a closed conversation reopens it (a fresh context), and operators see the
 * message live through the outbox.
 */
export async function recordVisitorMessage(
  database: Database,
  keyring: Keyring,
  transcripts: EphemeralTranscripts,
  input: {
    orgId: string;
    conversationId: string;
    clientMessageId: string;
    text: string;
    /** 'voice': the text is a voice turn's transcript (messages.input_mode). */
    inputMode?: 'voice';
  },
): Promise<VisitorMessage> {
  return withTenant(database, [input.orgId], async (tx) => {
    let conversation = await lockConversation(tx, input.orgId, input.conversationId);
    const [existing] = await tx
      .select({ id: messages.id, content: messages.content, createdAt: messages.createdAt })
      .from(messages)
      .where(
        and(
          eq(messages.orgId, input.orgId),
          eq(messages.conversationId, input.conversationId),
          eq(messages.clientMessageId, input.clientMessageId),
        ),
      );
    const ephemeral = conversation.ephemeral;
    // Ephemeral: the row is text-free; the text lives in memory (ephemeral-transcripts.ts).
    const textOf = (row: { id: string; content: string }) =>
      ephemeral ? (transcripts.get(input.orgId, input.conversationId, row.id)?.text ?? '') : row.content;
    if (!existing && conversation.status === 'closed') {
      ({ row: conversation } = await transition(
        tx,
        keyring,
        input.orgId,
        input.conversationId,
        { type: 'reopen' },
        visitorActor(input.conversationId),
      ));
    }
    const message =
      existing ??
      (
        await tx
          .insert(messages)
          .values({
            orgId: input.orgId,
            conversationId: input.conversationId,
            role: 'visitor',
            content: ephemeral ? '' : input.text,
            clientMessageId: input.clientMessageId,
            inputMode: input.inputMode ?? null,
          })
          .returning({ id: messages.id, content: messages.content, createdAt: messages.createdAt })
      )[0]!;
    if (!existing && ephemeral)
      transcripts.hold(input.orgId, input.conversationId, message.id, { text: input.text, citations: [] });
    // A retry whose first attempt's text is no longer held answers the retry's own text.
    const content = existing ? textOf(existing) || input.text : input.text;

    if (!existing) {
      await tx
        .update(conversations)
        .set({ lastMessageAt: sql`now()` })
        .where(and(eq(conversations.orgId, input.orgId), eq(conversations.id, input.conversationId)));
      await emitMessage(tx, input.orgId, {
        id: message.id,
        conversationId: input.conversationId,
        role: 'visitor',
        text: content,
        internal: false,
        authorId: null,
        authorName: null,
        systemEvent: null,
        citations: [],
        createdAt: message.createdAt.toISOString(),
        ...(ephemeral ? { ephemeral: true as const } : {}),
        ...(input.inputMode === 'voice' ? { spoken: true as const } : {}),
      });
      // The operator who owns the conversation hears of the visitor's new message.
      if (conversation.status === 'human' && conversation.assigneeId)
        await queueConversationNotifications(tx, input.orgId, {
          type: 'visitor_message',
          conversationId: input.conversationId,
          messageId: message.id,
          assigneeId: conversation.assigneeId,
        });
    }

    const [stored] = existing
      ? await tx
          .select({ id: messages.id, content: messages.content, citations: messages.citations })
          .from(messages)
          .where(and(eq(messages.orgId, input.orgId), eq(messages.replyToId, message.id)))
      : [];
    const held = stored && ephemeral ? transcripts.get(input.orgId, input.conversationId, stored.id) : null;
    // An ephemeral answer no longer held cannot be replayed: it is answered again instead.
    const answer = stored && (!ephemeral || held) ? { ...stored, ...(held ?? {}) } : null;

    const earlier = await tx
      .select({ id: messages.id, role: messages.role, content: messages.content })
      .from(messages)
      .where(
        and(
          eq(messages.orgId, input.orgId),
          eq(messages.conversationId, input.conversationId),
          lt(messages.createdAt, message.createdAt),
          ne(messages.id, message.id),
          gte(messages.createdAt, conversation.contextStartedAt),
          eq(messages.internal, false),
          inArray(messages.role, ['visitor', 'assistant', 'operator']),
        ),
      )
      .orderBy(desc(messages.createdAt), desc(messages.id))
      .limit(HISTORY_LIMIT);

    const history = earlier
      .reverse()
      .map((m) => ({ role: m.role, content: textOf(m) }))
      .filter((m) => m.content !== '');
    return {
      id: message.id,
      content,
      repeated: existing !== undefined,
      answer: answer ? { id: answer.id, content: answer.content, citations: answer.citations } : null,
      history: history as ChatTurn[],
      responder: whoAnswers(conversation.status),
      ephemeral,
    };
  });
}

/**
 * Stores a finished answer, or discards it. Ownership is re-checked under the conversation's
 * lock: an answer generated while an operator claimed (or someone closed) the conversation is
 * never stored, so it is never shown (returns null). If a concurrent attempt at the same visitor
 * message stored its answer first, that answer wins (ON CONFLICT DO NOTHING on reply_to_id).
 *
 * A handoff the answer asks for is applied in the same transaction, unless it is stale: a newer
 * visitor message exists (it was, or is being, answered on its own), so this one is dropped.
 */
export async function storeAnswer(
  database: Database,
  keyring: Keyring,
  transcripts: EphemeralTranscripts,
  input: {
    orgId: string;
    conversationId: string;
    replyToId: string;
    text: string;
    citations: Citation[];
    answerMode: string;
    handoff: HandoffReason | null;
    /** The model's own handoff request (reason, summary), kept for the operator. */
    handoffDetail?: ModelHandoff | undefined;
  },
): Promise<string | null> {
  return withTenant(database, [input.orgId], async (tx) => {
    const conversation = await lockConversation(tx, input.orgId, input.conversationId);
    if (whoAnswers(conversation.status) !== 'agent' || conversation.status === 'closed') return null;
    const ephemeral = conversation.ephemeral;
    const [inserted] = await tx
      .insert(messages)
      .values({
        orgId: input.orgId,
        conversationId: input.conversationId,
        role: 'assistant',
        content: ephemeral ? '' : input.text,
        replyToId: input.replyToId,
        // Citations say what the visitor asked about: held in memory with the text too.
        citations: ephemeral ? [] : input.citations,
        answerMode: input.answerMode,
      })
      .onConflictDoNothing({ target: [messages.orgId, messages.replyToId] })
      .returning();
    if (!inserted) {
      const [existing] = await tx
        .select({ id: messages.id })
        .from(messages)
        .where(and(eq(messages.orgId, input.orgId), eq(messages.replyToId, input.replyToId)));
      return existing!.id;
    }
    if (ephemeral)
      transcripts.hold(input.orgId, input.conversationId, inserted.id, {
        text: input.text,
        citations: input.citations,
      });
    await tx
      .update(conversations)
      .set({ lastMessageAt: sql`now()` })
      .where(and(eq(conversations.orgId, input.orgId), eq(conversations.id, input.conversationId)));
    await emitMessage(tx, input.orgId, {
      id: inserted.id,
      conversationId: input.conversationId,
      role: 'assistant',
      text: input.text,
      internal: false,
      authorId: null,
      authorName: null,
      systemEvent: null,
      citations: input.citations,
      createdAt: inserted.createdAt.toISOString(),
      ...(ephemeral ? { ephemeral: true as const } : {}),
    });
    if (
      input.handoff &&
      !(await hasNewerVisitorMessage(tx, input.orgId, input.conversationId, input.replyToId))
    ) {
      await transition(
        tx,
        keyring,
        input.orgId,
        input.conversationId,
        { type: 'handoff', reason: input.handoff, detail: input.handoffDetail },
        visitorActor(input.conversationId),
      );
    }
    return inserted.id;
  });
}

async function hasNewerVisitorMessage(tx: Tx, orgId: string, conversationId: string, messageId: string) {
  const rows = await queryRows<{ newer: boolean }>(
    tx,
    sql`select exists (
          select 1 from messages m, messages q
          where q.org_id = ${orgId} and q.id = ${messageId}
            and m.org_id = ${orgId} and m.conversation_id = ${conversationId}
            and m.role = 'visitor' and m.id <> q.id and m.created_at >= q.created_at
        ) as newer`,
  );
  return rows[0]?.newer ?? false;
}
