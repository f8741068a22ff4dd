import type { Citation } from '../../platform/db/schema/index.js';

/**
 * The text of ephemeral conversations (an agent with `storeTranscripts: false`), held in this
 * process's memory only, never in the database, a blob, a log or a job.
 *
 * The database keeps a text-free skeleton of such a conversation: the conversation row (status,
 * agent, assignee, timestamps) and one row per message with `content = ''` and no citations
 * (role, time, author operator): ordering, ownership, unread counts and usage counts work as for
 * any conversation. The outbox event of a message carries no text either; readers join the text
 * in from here by message id (`withHeldText`).
 *
 * Invariants:
 * - per process: another server process, or this one after a restart, holds nothing — readers
 *   then show the message as not stored (text ''), never someone else's text: entries are keyed
 *   by org, conversation and message id;
 * - bounded: at most `maxMessages` per conversation (oldest dropped first) and `maxChars` of text
 *   in all (the least recently active conversations are dropped first);
 * - a conversation's text is dropped when it is closed (`drop`) or after `idleMs` without a new
 *   message (swept lazily on every write and read).
 */
export type HeldText = { text: string; citations: Citation[] };

type Held = { messages: Map<string, HeldText>; chars: number; activeAt: number };

export type EphemeralTranscriptOptions = {
  maxMessages?: number;
  maxChars?: number;
  idleMs?: number;
  /** The clock (tests move it instead of waiting). */
  now?: () => number;
};

export class EphemeralTranscripts {
  /** Map order = least recently active first (a write moves its conversation to the end). */
  private readonly held = new Map<string, Held>();
  private chars = 0;
  private readonly maxMessages: number;
  private readonly maxChars: number;
  private readonly idleMs: number;
  private readonly now: () => number;

  constructor(options: EphemeralTranscriptOptions = {}) {
    this.maxMessages = options.maxMessages ?? 500;
    this.maxChars = options.maxChars ?? 20_000_000;
    this.idleMs = options.idleMs ?? 2 * 60 * 60 * 1000;
    this.now = options.now ?? Date.now;
  }

  /** Holds a message's text (called in the transaction that writes its text-free row). */
  hold(orgId: string, conversationId: string, messageId: string, entry: HeldText): void {
    this.sweep();
    const key = keyOf(orgId, conversationId);
    const conversation = this.held.get(key) ?? { messages: new Map(), chars: 0, activeAt: 0 };
    this.held.delete(key);
    this.held.set(key, conversation);
    conversation.activeAt = this.now();
    const size = entry.text.length;
    conversation.messages.set(messageId, { text: entry.text, citations: entry.citations });
    conversation.chars += size;
    this.chars += size;
    while (conversation.messages.size > this.maxMessages) {
      const [oldestId, oldest] = conversation.messages.entries().next().value!;
      conversation.messages.delete(oldestId);
      conversation.chars -= oldest.text.length;
      this.chars -= oldest.text.length;
    }
    for (const [otherKey] of this.held) {
      if (this.chars <= this.maxChars || otherKey === key) break;
      this.dropKey(otherKey);
    }
  }

  get(orgId: string, conversationId: string, messageId: string): HeldText | undefined {
    this.sweep();
    return this.held.get(keyOf(orgId, conversationId))?.messages.get(messageId);
  }

  /** Forgets a conversation's text (it was closed, or its agent or org is going away). */
  drop(orgId: string, conversationId: string): void {
    this.dropKey(keyOf(orgId, conversationId));
  }

  /** How many conversations hold text now (tests, metrics). */
  get conversations(): number {
    this.sweep();
    return this.held.size;
  }

  private dropKey(key: string) {
    const conversation = this.held.get(key);
    if (!conversation) return;
    this.chars -= conversation.chars;
    this.held.delete(key);
  }

  private sweep() {
    const before = this.now() - this.idleMs;
    for (const [key, conversation] of this.held) {
      // Ordered by activity: the first one still active ends the sweep.
      if (conversation.activeAt > before) break;
      this.dropKey(key);
    }
  }
}

const keyOf = (orgId: string, conversationId: string) => `${orgId}/${conversationId}`;
