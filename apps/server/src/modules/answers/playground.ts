import type { AppDeps } from '../../deps.js';
import type { AgentRow, Citation } from '../../platform/db/schema/index.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { AppError } from '../../platform/errors.js';
import { getAgentRow } from '../agents/service.js';
import { operatorsAvailable } from '../conversations/honest-text.js';
import { plainSentences, SNIPPET_MAX } from '../knowledge/index.js';
import { checkModelQuota } from '../usage/model-quota.js';
import { type AnswerResult, answerQuestion } from './engine.js';

/**
 * The console's "test a question": the answer the widget would give, without a conversation.
 *
 * Invariant: it runs the widget's own answer path (engine.ts `answerQuestion`: the handoff
 * request check, the agent's sources, retrieval and its confidence gate, the model answerer with
 * PII redaction in the gateway, else the extractive answerer) with the agent's settings, so what
 * an admin sees here is what a visitor would get. Nothing is stored: no conversation, no message;
 * a model call is metered (ids and counts, conversation null) like any other.
 */
export type PlaygroundInput = { question: string; agentId?: string | undefined };

export type PlaygroundPassage = {
  chunkId: string;
  sourceId: string;
  title: string;
  headingPath: string;
  snippet: string;
  /** The search score in [0, 1] (lexical, or fused with the vector ranking). */
  score: number;
  /** The IDF-weighted share of the question the passage covers (the confidence gate's measure). */
  coverage: number;
  /** Contains a rare question term, or one in its title or headings (else it cannot be used). */
  informative: boolean;
  /** The answer cites this passage. */
  cited: boolean;
};

export type PlaygroundResult = {
  agentId: string | null;
  answerMode: AgentRow['answerMode'];
  text: string;
  mode: AnswerResult['mode'];
  handoff: AnswerResult['handoff'];
  citations: Citation[];
  /** Retrieval was confident enough to quote (false also when no retrieval ran). */
  confident: boolean;
  passages: PlaygroundPassage[];
};

/** What an agent created with no settings would do: extractive, handoff allowed, every source. */
const defaultAgent = { id: null, instructions: '', answerMode: 'extractive', handoffEnabled: true } as const;

export async function runPlayground(
  deps: AppDeps,
  orgId: string,
  input: PlaygroundInput,
  signal: AbortSignal,
): Promise<PlaygroundResult> {
  // 404 for an agent of another org, checked before the question reaches any provider.
  const agent: AgentRow | null = input.agentId
    ? await withTenant(deps.database, [orgId], (tx) => getAgentRow(tx, orgId, input.agentId!))
    : null;
  // A model answer was asked for explicitly: past the monthly limit that is a 429, not a
  // silent extractive answer (the widget falls back instead, engine.ts).
  if ((agent ?? defaultAgent).answerMode === 'model' && (await checkModelQuota(deps, orgId)).exceeded)
    throw new AppError(
      'quota_exceeded',
      "The organization's monthly usage limit is reached; model answers resume next month or when an admin raises the limit",
    );
  const result = await answerQuestion(
    deps,
    {
      orgId,
      conversationId: null,
      agent: agent ?? defaultAgent,
      question: input.question,
      history: [],
      signal,
      operatorsAvailable: () => operatorsAvailable(deps.database, agent ?? { orgId, businessHours: null }),
    },
    // The answer is returned whole; nothing streams.
    async () => {},
  );
  const cited = new Set(result.citations.map((c) => c.chunkId));
  return {
    agentId: agent?.id ?? null,
    answerMode: (agent ?? defaultAgent).answerMode,
    text: result.text,
    mode: result.mode,
    handoff: result.handoff,
    citations: result.citations,
    confident: result.retrieval?.confident ?? false,
    passages: (result.retrieval?.passages ?? []).map((p) => ({
      chunkId: p.chunkId,
      sourceId: p.sourceId,
      title: p.title,
      headingPath: p.headingPath,
      snippet: previewOf(p.content),
      score: round(p.score),
      coverage: round(p.coverage),
      informative: p.informative,
      cited: cited.has(p.chunkId),
    })),
  };
}

const round = (n: number) => Math.round(n * 10_000) / 10_000;

/** The passage's opening as plain text, cut at a word boundary to the search snippet's length. */
function previewOf(content: string): string {
  const plain = plainSentences(content).join(' ');
  if (plain.length <= SNIPPET_MAX) return plain;
  const cut = plain.slice(0, SNIPPET_MAX - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > SNIPPET_MAX / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
