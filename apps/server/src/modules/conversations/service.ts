import { and, desc, eq, lt, ne, sql } from 'drizzle-orm';
import type { Database } from '../../platform/db/client.js';
import {
  type AgentRow,
  agents,
  type Citation,
  conversations,
  messages,
} from '../../platform/db/schema/index.js';
import { withTenant } from '../../platform/db/tenancy.js';
import type { HandoffReason } from '../answers/engine.js';
import type { ChatTurn } from '../answers/model-answerer.js';

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
  const [row] = await withTenant(database, { publishableKey }, (tx) =>
    tx.select().from(agents).where(eq(agents.publishableKey, publishableKey)),
  );
  return row ?? null;
}

export async function createConversation(
  database: Database,
  agent: AgentRow,
  origin: string | null,
): Promise<string> {
  const [row] = await withTenant(database, [agent.orgId], (tx) =>
    tx
      .insert(conversations)
      .values({ orgId: agent.orgId, agentId: agent.id, origin })
      .returning({ id: conversations.id }),
  );
  return row!.id;
}

export type ConversationContext = {
  conversation: { id: string; status: 'open' | 'handoff' | 'closed' };
  agent: AgentRow;
};

/** The conversation a visitor token names, with its agent; null if gone or not that agent's. */
export async function loadConversation(
  database: Database,
  orgId: string,
  agentId: string,
  conversationId: string,
): Promise<ConversationContext | null> {
  const [row] = await withTenant(database, [orgId], (tx) =>
    tx
      .select({ conversation: { id: conversations.id, status: conversations.status }, agent: agents })
      .from(conversations)
      .innerJoin(agents, and(eq(agents.orgId, conversations.orgId), eq(agents.id, conversations.agentId)))
      .where(
        and(
          eq(conversations.orgId, orgId),
          eq(conversations.id, conversationId),
          eq(conversations.agentId, agentId),
        ),
      ),
  );
  return row ?? null;
}

/** Only an agent's allowed origins, for CORS on requests whose token has expired. */
export async function loadAgentOrigins(
  database: Database,
  orgId: string,
  agentId: string,
): Promise<string[] | null> {
  const [row] = await withTenant(database, [orgId], (tx) =>
    tx
      .select({ allowedOrigins: agents.allowedOrigins })
      .from(agents)
      .where(and(eq(agents.orgId, orgId), eq(agents.id, agentId))),
  );
  return row?.allowedOrigins ?? null;
}

export type VisitorMessage = {
  id: string;
  /** The stored text: for a repeated clientMessageId, the first attempt's text is the one answered. */
  content: string;
  /** True when this clientMessageId was already stored (a retry). */
  repeated: boolean;
  /** The stored answer to it, if an earlier attempt finished. */
  answer: StoredAnswer | null;
  /** Earlier turns of the conversation, oldest first, for the model's context. */
  history: ChatTurn[];
};

const HISTORY_LIMIT = 10;

/**
 * Stores the visitor's message (or finds the earlier one with the same clientMessageId) and
 * returns what answering it needs. A repeat inserts nothing: ON CONFLICT DO NOTHING on the
 * (org, conversation, clientMessageId) index, then the existing row is read.
 */
export async function recordVisitorMessage(
  database: Database,
  input: { orgId: string; conversationId: string; clientMessageId: string; text: string },
): Promise<VisitorMessage> {
  return withTenant(database, [input.orgId], async (tx) => {
    const [inserted] = await tx
      .insert(messages)
      .values({
        orgId: input.orgId,
        conversationId: input.conversationId,
        role: 'visitor',
        content: input.text,
        clientMessageId: input.clientMessageId,
      })
      .onConflictDoNothing({ target: [messages.orgId, messages.conversationId, messages.clientMessageId] })
      .returning({ id: messages.id, content: messages.content, createdAt: messages.createdAt });
    const message =
      inserted ??
      (
        await tx
          .select({ id: messages.id, content: messages.content, createdAt: messages.createdAt })
          .from(messages)
          .where(
            and(
              eq(messages.orgId, input.orgId),
              eq(messages.conversationId, input.conversationId),
              eq(messages.clientMessageId, input.clientMessageId),
            ),
          )
      )[0]!;

    if (inserted) {
      await tx
        .update(conversations)
        .set({ lastMessageAt: sql`now()` })
        .where(and(eq(conversations.orgId, input.orgId), eq(conversations.id, input.conversationId)));
    }

    const [answer] = inserted
      ? []
      : await tx
          .select({ id: messages.id, content: messages.content, citations: messages.citations })
          .from(messages)
          .where(and(eq(messages.orgId, input.orgId), eq(messages.replyToId, message.id)));

    const earlier = await tx
      .select({ role: messages.role, content: messages.content })
      .from(messages)
      .where(
        and(
          eq(messages.orgId, input.orgId),
          eq(messages.conversationId, input.conversationId),
          lt(messages.createdAt, message.createdAt),
          ne(messages.id, message.id),
        ),
      )
      .orderBy(desc(messages.createdAt), desc(messages.id))
      .limit(HISTORY_LIMIT);

    return {
      id: message.id,
      content: message.content,
      repeated: !inserted,
      answer: answer ?? null,
      history: earlier.reverse(),
    };
  });
}

/**
 * Stores a finished answer and, when the answer hands off, marks the conversation for a person.
 * If a concurrent attempt at the same visitor message stored its answer first, that answer wins
 * (ON CONFLICT DO NOTHING on reply_to_id) and its id is returned.
 */
export async function storeAnswer(
  database: Database,
  input: {
    orgId: string;
    conversationId: string;
    replyToId: string;
    text: string;
    citations: Citation[];
    answerMode: string;
    handoff: HandoffReason | null;
  },
): Promise<string> {
  return withTenant(database, [input.orgId], async (tx) => {
    const [inserted] = await tx
      .insert(messages)
      .values({
        orgId: input.orgId,
        conversationId: input.conversationId,
        role: 'assistant',
        content: input.text,
        replyToId: input.replyToId,
        citations: input.citations,
        answerMode: input.answerMode,
      })
      .onConflictDoNothing({ target: [messages.orgId, messages.replyToId] })
      .returning({ id: messages.id });
    if (!inserted) {
      const [existing] = await tx
        .select({ id: messages.id })
        .from(messages)
        .where(and(eq(messages.orgId, input.orgId), eq(messages.replyToId, input.replyToId)));
      return existing!.id;
    }
    await tx
      .update(conversations)
      .set({
        lastMessageAt: sql`now()`,
        ...(input.handoff
          ? {
              status: 'handoff' as const,
              handoffRequestedAt: sql`coalesce(${conversations.handoffRequestedAt}, now())`,
            }
          : {}),
      })
      .where(and(eq(conversations.orgId, input.orgId), eq(conversations.id, input.conversationId)));
    return inserted.id;
  });
}
