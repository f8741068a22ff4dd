import { MARKER_RUN } from '@confidant/contract/citation-markers';
import type { ToolSet } from 'ai';
import type { Database } from '../../platform/db/client.js';
import type { Citation } from '../../platform/db/schema/index.js';
import {
  type MeteredUsage,
  type ModelMessage,
  type ModelProvider,
  streamModelText,
} from '../models/gateway.js';
import { citationsOf } from './extractive.js';
import { HANDOFF_TOOL, handoffTool, type ModelHandoff } from './handoff-tool.js';
import { createLinkGuard, urlsIn } from './link-guard.js';
import { createLeakGuard, SAFE_REPLY } from './output-guard.js';
import { neutraliseDelimiters } from './prompt-data.js';
import type { RankedPassage } from './retrieval.js';
import { buildSystemPrompt, type PromptOptions, protectedPromptTexts } from './system-prompt.js';

export { buildSystemPrompt } from './system-prompt.js';

/**
 * The model answerer: grounds a model in numbered passages (system-prompt.ts) and asks it to cite
 * them as [n]. Citations are the passages the answer actually references, or every passage given
 * when the model cited none (it was still told to answer only from them); never a number that
 * was not given.
 *
 * What comes back passes two guards before the visitor sees it: the link guard (only links the
 * passages or instructions contain) and the leak guard (an answer reproducing the rules or the
 * business instructions is stopped and replaced by a safe reply). With handoff enabled the model
 * has a `handoff` tool; calling it ends the answer with `handoff` set (handoff-tool.ts).
 */
export type ChatTurn = { role: 'visitor' | 'assistant' | 'operator'; content: string };

/** How much of the conversation the model sees: the last turns are enough to resolve "it", "that". */
const HISTORY_TURNS = 10;

/**
 * The conversation as chat messages. Visitor text is untrusted: delimiter look-alikes in it are
 * neutralised (prompt-data.ts), as in passages. Assistant and operator turns are ours.
 */
export function buildMessages(history: readonly ChatTurn[], question: string): ModelMessage[] {
  const turns: ModelMessage[] = history
    .slice(-HISTORY_TURNS)
    .map((t) =>
      t.role === 'visitor'
        ? { role: 'user', content: neutraliseDelimiters(t.content) }
        : { role: 'assistant', content: t.content },
    );
  return [...turns, { role: 'user', content: neutraliseDelimiters(question) }];
}

/**
 * The passages an answer cites with [n] markers, deduplicated by source; all passages if none.
 * Every citation of a model answer carries `markers` (possibly empty): the [n] numbers that cite
 * its source, so the widget and console link each marker to the right source even when two
 * passages of one article were cited (packages/contract/citation-markers.ts). Markers inside code
 * spans are not citations.
 */
export function citedPassages(text: string, passages: readonly RankedPassage[]): Citation[] {
  const { cited, markers } = citedOnly(text, passages);
  return citationsOf(cited.length > 0 ? cited : passages).map((c) => ({
    ...c,
    markers: markers.get(c.sourceId) ?? [],
  }));
}

function citedOnly(
  text: string,
  passages: readonly RankedPassage[],
): { cited: RankedPassage[]; markers: Map<string, number[]> } {
  const cited: RankedPassage[] = [];
  const markers = new Map<string, number[]>();
  for (const run of text.replace(/`[^`]+`/g, '').matchAll(MARKER_RUN)) {
    for (const digits of run[0].match(/\d+/g) ?? []) {
      const n = Number(digits);
      const passage = passages[n - 1];
      if (!passage) continue;
      if (!cited.includes(passage)) cited.push(passage);
      const list = markers.get(passage.sourceId) ?? [];
      if (!list.includes(n)) markers.set(passage.sourceId, [...list, n]);
    }
  }
  return { cited, markers };
}

export type ModelAnswer = {
  text: string;
  citations: Citation[];
  /** The model called the handoff tool (only offered when the agent hands off). */
  handoff: ModelHandoff | null;
  /** The leak guard stopped the answer: `text` ends with the safe reply. */
  guarded: boolean;
};

/** Why answerWithModel stopped the model itself (not the visitor, not the provider). */
class LeakStopped extends Error {}

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
    /** The agent hands off: the model gets the handoff tool. */
    handoffEnabled?: boolean;
    /** The agent's own tools (actions); a tool of theirs named `handoff` is replaced by ours. */
    tools?: ToolSet;
  },
  onToken: (delta: string) => Promise<void>,
): Promise<ModelAnswer> {
  const called: { handoff: ModelHandoff | null } = { handoff: null };
  const tools: ToolSet = {
    ...input.tools,
    ...(input.handoffEnabled
      ? {
          [HANDOFF_TOOL]: handoffTool((h) => {
            called.handoff ??= h;
          }),
        }
      : {}),
  };
  const options: PromptOptions = {
    handoff: !!input.handoffEnabled,
    toolNames: Object.keys(input.tools ?? {}).filter((name) => name !== HANDOFF_TOOL),
  };
  const links = createLinkGuard(urlsIn([...input.passages.map((p) => p.content), input.instructions]));
  const leak = createLeakGuard(protectedPromptTexts(input.instructions, options));
  const stop = new AbortController();

  let text = '';
  let leaked = false;
  const show = async (piece: { text: string; leaked: boolean }) => {
    if (piece.leaked) leaked = true;
    else if (piece.text) {
      text += piece.text;
      await onToken(piece.text);
    }
  };

  try {
    for await (const delta of streamModelText(database, {
      orgId: input.orgId,
      conversationId: input.conversationId,
      purpose: 'answer',
      provider: input.provider,
      system: buildSystemPrompt(input.instructions, input.passages, options),
      messages: buildMessages(input.history, input.question),
      signal: AbortSignal.any([input.signal, stop.signal]),
      ...(input.onMetered ? { onMetered: input.onMetered } : {}),
      ...(Object.keys(tools).length > 0 ? { tools } : {}),
      ...(input.handoffEnabled ? { endingTools: [HANDOFF_TOOL] } : {}),
    })) {
      await show(leak.push(links.push(delta)));
      if (leaked) {
        // Stops the provider's stream (metered as 'aborted'); nothing more reaches the visitor.
        stop.abort(new LeakStopped());
        break;
      }
    }
    if (!leaked) await show(leak.push(links.flush()));
    if (!leaked) await show(leak.flush());
  } catch (error) {
    if (!leaked || input.signal.aborted) throw error;
  }

  if (leaked) {
    const safe = `${text.trim() ? '\n\n' : ''}${SAFE_REPLY}`;
    text += safe;
    await onToken(safe);
    return { text, citations: [], handoff: null, guarded: true };
  }
  const { handoff } = called;
  // A handoff without a cited passage cites nothing: no passage answered.
  const citations =
    handoff && citedOnly(text, input.passages).cited.length === 0 ? [] : citedPassages(text, input.passages);
  return { text, citations, handoff, guarded: false };
}
