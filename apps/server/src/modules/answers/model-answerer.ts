import type { ToolSet } from 'ai';
import type { Database } from '../../platform/db/client.js';
import type { Citation } from '../../platform/db/schema/index.js';
import {
  type MeteredUsage,
  type ModelMessage,
  type ModelProvider,
  streamModelText,
} from '../models/gateway.js';
import { ENTITY_TYPES, type EntityType } from '../models/redaction/index.js';
import { citationsOf } from './extractive.js';
import type { RankedPassage } from './retrieval.js';

/**
 * The model answerer: grounds a model in numbered passages and asks it to cite them as [n].
 * Citations are the passages the answer actually references, or every passage given when the
 * model cited none (it was still told to answer only from them).
 */
export type ChatTurn = { role: 'visitor' | 'assistant' | 'operator'; content: string };

/** What each typed placeholder stands for, in the model's words (every type the redactor issues). */
const PLACEHOLDER_MEANINGS: Record<EntityType, string> = {
  PERSON: "a person's name",
  EMAIL: 'an email address',
  PHONE: 'a phone number',
  ADDRESS: 'a street address',
  CARD: 'a payment card number',
  IBAN: 'a bank account number (IBAN)',
  SSN: 'a social security number',
  IP: 'an IP address',
  DOB: 'a date of birth',
};

/**
 * The rule about placeholders: the model must repeat them exactly (the gateway restores them in
 * the streamed answer) and never guess what is behind them.
 */
const PLACEHOLDER_RULE = `- Personal details were replaced by typed placeholders: a type and a number in square brackets, ${ENTITY_TYPES.map((t) => `[${t}_1] ${PLACEHOLDER_MEANINGS[t]}`).join(', ')}. The number tells values of one type apart; the same value always has the same placeholder. When you need one, repeat the placeholder exactly as written (for example "Thanks, [PERSON_1]"); never guess the value behind it and never make up placeholders.`;

const GROUNDING_RULES = `Rules:
- Answer only from the numbered passages below. If they do not contain the answer, say that you don't know and offer to connect the visitor with a person from the team.
- Cite the passages you used with their numbers in square brackets, like [1] or [2].
- Be brief and friendly. Never invent facts, prices, links or policies.
${PLACEHOLDER_RULE}`;

const DEFAULT_PERSONA = 'You are a helpful customer support assistant.';
/** How much of the conversation the model sees: the last turns are enough to resolve "it", "that". */
const HISTORY_TURNS = 10;

export function buildSystemPrompt(instructions: string, passages: readonly RankedPassage[]): string {
  const numbered = passages
    .map((p, i) => `[${i + 1}] ${[p.title, p.headingPath].filter(Boolean).join(' — ')}\n${p.content.trim()}`)
    .join('\n\n');
  return `${instructions.trim() || DEFAULT_PERSONA}\n\n${GROUNDING_RULES}\n\nPassages:\n\n${numbered}`;
}

export function buildMessages(history: readonly ChatTurn[], question: string): ModelMessage[] {
  const turns: ModelMessage[] = history.slice(-HISTORY_TURNS).map((t) => ({
    role: t.role === 'visitor' ? 'user' : 'assistant',
    content: t.content,
  }));
  return [...turns, { role: 'user', content: question }];
}

/** The passages an answer cites with [n] markers, deduplicated by source; all passages if none. */
export function citedPassages(text: string, passages: readonly RankedPassage[]): Citation[] {
  const cited: RankedPassage[] = [];
  for (const match of text.matchAll(/\[(\d{1,2})\]/g)) {
    const passage = passages[Number(match[1]) - 1];
    if (passage && !cited.includes(passage)) cited.push(passage);
  }
  return citationsOf(cited.length > 0 ? cited : passages);
}

export async function answerWithModel(
  database: Database,
  input: {
    orgId: string;
    conversationId: string | null;
    provider: ModelProvider;
    instructions: string;
    passages: readonly RankedPassage[];
    history: readonly ChatTurn[];
    question: string;
    signal: AbortSignal;
    /** Told what each metered attempt cost (the quota's running total). */
    onMetered?: (usage: MeteredUsage) => void;
    /** Tools the model may call (the gateway wraps them for redaction). */
    tools?: ToolSet;
  },
  onToken: (delta: string) => Promise<void>,
): Promise<{ text: string; citations: Citation[] }> {
  let text = '';
  for await (const delta of streamModelText(database, {
    orgId: input.orgId,
    conversationId: input.conversationId,
    purpose: 'answer',
    provider: input.provider,
    system: buildSystemPrompt(input.instructions, input.passages),
    messages: buildMessages(input.history, input.question),
    signal: input.signal,
    ...(input.onMetered ? { onMetered: input.onMetered } : {}),
    ...(input.tools ? { tools: input.tools } : {}),
  })) {
    text += delta;
    await onToken(delta);
  }
  return { text, citations: citedPassages(text, input.passages) };
}
