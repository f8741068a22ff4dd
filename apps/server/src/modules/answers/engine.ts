import { setImmediate as nextTurn } from 'node:timers/promises';
import type { ToolSet } from 'ai';
import type { Config } from '../../platform/config.js';
import type { Keyring } from '../../platform/crypto/keyring.js';
import type { Database } from '../../platform/db/client.js';
import type { AgentModelChoice, AnswerMode, Citation } from '../../platform/db/schema/index.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { AppError } from '../../platform/errors.js';
import type { OutboundPolicy } from '../../platform/net/outbound-policy.js';
import { agentSourceIds } from '../agents/agent-sources.js';
import { embedQuery } from '../knowledge/index.js';
import { circuitKey, providerCircuits } from '../models/circuit-breaker.js';
import type { ModelProvider } from '../models/gateway.js';
import { resolveModelChain } from '../models/resolve-provider.js';
import { checkModelQuota } from '../usage/model-quota.js';
import { noteModelUsage } from '../usage/quota-watch.js';
import { composeExtractiveAnswer } from './extractive.js';
import { isHandoffRequest } from './handoff-request.js';
import { answerWithModel, type ChatTurn } from './model-answerer.js';
import { type RankedPassage, type Retrieval, retrievePassages, strengthOf } from './retrieval.js';

/**
 * The answer engine: decides how to answer one visitor message and streams the answer's text
 * through `onToken`. It never touches conversation storage (the caller stores the result) and
 * never holds a database transaction while streaming.
 *
 * Order of decisions:
 * 1. An explicit request for a person → hand off (reason 'requested').
 * 2. Retrieve passages (one short transaction).
 * 3. answerMode 'model' with a provider (the org's own, else the server's env config) and at
 *    least one informative passage → the model answers from the passages.
 * 4. Otherwise the extractive answerer quotes the best passage(s) — when retrieval is confident.
 * 5. Nothing good enough → an honest "not found" and, if the agent allows it, a handoff
 *    (reason 'low_confidence').
 */
export type HandoffReason = 'requested' | 'low_confidence';

export type AnswerDeps = { config: Config; database: Database; keyring: Keyring; net: OutboundPolicy };

export type AnswerInput = {
  orgId: string;
  /** The conversation being answered; null for a dry run (the console's playground), metered without one. */
  conversationId: string | null;
  /** id null: a dry run without an agent (the playground's default), answering from all sources. */
  agent: {
    id: string | null;
    instructions: string;
    answerMode: AnswerMode;
    handoffEnabled: boolean;
    /** The agent's model and ordered fallbacks (absent: the org's default provider). */
    model?: AgentModelChoice | null;
    fallbacks?: readonly AgentModelChoice[];
  };
  question: string;
  /** Earlier turns of the conversation, oldest first (the question itself excluded). */
  history: readonly ChatTurn[];
  signal: AbortSignal;
  /**
   * Whether an operator could take over now; asked only when the answer hands off, so the reply
   * promises a person only when one is present. Absent: assume someone is (older callers).
   */
  operatorsAvailable?: () => Promise<boolean>;
  /**
   * Whether the offline reply may offer email (false in an ephemeral conversation: no address can
   * be kept, and the widget offers no form). Absent: true.
   */
  emailReplies?: boolean;
  /**
   * Tools the model may call in model mode (the agent's actions), beside any the engine adds.
   * The gateway restores placeholders in their input and redacts their output (models/gateway.ts).
   */
  tools?: ToolSet;
};

export type AnswerResult = {
  text: string;
  citations: Citation[];
  handoff: HandoffReason | null;
  /** How the answer was produced, stored with the message: 'extractive' | 'model' | 'handoff'. */
  mode: 'extractive' | 'model' | 'handoff';
  /**
   * The passages considered, best first, with the confidence judgement; null when no retrieval
   * ran (an explicit request for a person). Not stored: the playground shows it, the widget not.
   */
  retrieval: Retrieval | null;
};

export type TokenSink = (delta: string) => Promise<void>;

const RETRIEVAL_K = 5;

export const replies = {
  handoffRequested: "Of course. I've asked a person from our team to join this chat — they'll reply here.",
  handoffRequestedOffline:
    "Of course. No one from our team is available right now, so I've passed your request on. You can leave your email address for a reply, and I'm happy to keep helping here meanwhile.",
  handoffUnavailable:
    "I'm sorry, there's no one from our team available in this chat. I can answer questions from our help articles.",
  notFoundHandoff:
    "I couldn't find that in our help articles, so I've asked a person from our team to help. They'll reply in this chat.",
  notFoundHandoffOffline:
    "I couldn't find that in our help articles, and no one from our team is available right now. You can leave your email address so a person can reply.",
  notFound: "I couldn't find that in our help articles. Could you try asking in a different way?",
  // Ephemeral conversations (nothing kept, so no reply by email can be promised).
  handoffRequestedOfflineNoEmail:
    "Of course. No one from our team is available right now. I'm happy to keep helping here, or you can come back later.",
  notFoundHandoffOfflineNoEmail:
    "I couldn't find that in our help articles, and no one from our team is available right now. Please try asking in a different way, or come back later.",
} as const;

export async function answerQuestion(
  deps: AnswerDeps,
  input: AnswerInput,
  onToken: TokenSink,
): Promise<AnswerResult> {
  if (isHandoffRequest(input.question)) {
    const text = !input.agent.handoffEnabled
      ? replies.handoffUnavailable
      : (await someoneAvailable(input))
        ? replies.handoffRequested
        : input.emailReplies === false
          ? replies.handoffRequestedOfflineNoEmail
          : replies.handoffRequestedOffline;
    await streamWords(text, onToken, input.signal);
    return {
      text,
      citations: [],
      handoff: input.agent.handoffEnabled ? 'requested' : null,
      mode: 'handoff',
      retrieval: null,
    };
  }

  // Embedded before the transaction opens (null when embeddings are off or the provider fails).
  const queryVector = await embedQuery(deps, input.orgId, input.question, { signal: input.signal });
  // Only the agent's own sources (PUT /v1/agents/{id}/sources), or all when it has none listed.
  const agentId = input.agent.id;
  const retrieval = await withTenant(deps.database, [input.orgId], async (tx) => {
    const sourceIds = agentId ? await agentSourceIds(tx, input.orgId, agentId) : null;
    return retrievePassages(tx, input.orgId, input.question, RETRIEVAL_K, {
      queryVector,
      ...(sourceIds ? { sourceIds } : {}),
    });
  });

  if (input.agent.answerMode === 'model') {
    const passages = retrieval.passages.filter((p) => strengthOf(p) > 0);
    // Past the org's monthly usage limit no model is called: the extractive answer below.
    const withinQuota = passages.length > 0 && !(await checkModelQuota(deps, input.orgId)).exceeded;
    const providers = withinQuota ? await resolveModelChain(deps, input.orgId, input.agent) : [];
    for (const provider of providers) {
      const answer = await tryModel(deps, input, provider, passages, onToken);
      if (answer) return { ...answer, handoff: null, mode: 'model', retrieval };
      // This provider failed before its first token: the next one, and after the last the
      // extractive answerer below, so the visitor gets an answer, not a provider error.
    }
  }

  const composed = composeExtractiveAnswer(retrieval, input.question);
  if (composed) {
    await streamWords(composed.text, onToken, input.signal);
    return { ...composed, handoff: null, mode: 'extractive', retrieval };
  }

  const text = !input.agent.handoffEnabled
    ? replies.notFound
    : (await someoneAvailable(input))
      ? replies.notFoundHandoff
      : input.emailReplies === false
        ? replies.notFoundHandoffOfflineNoEmail
        : replies.notFoundHandoffOffline;
  await streamWords(text, onToken, input.signal);
  return {
    text,
    citations: [],
    handoff: input.agent.handoffEnabled ? 'low_confidence' : null,
    mode: 'handoff',
    retrieval,
  };
}

/**
 * One model answer, or null when the provider failed (after the gateway's retries, or timed out,
 * or its circuit is open) before sending anything: the caller falls back. A failure after tokens
 * reached the visitor still throws (the half answer cannot be taken back); the visitor's own
 * abort always throws. The circuit counts one failure per exhausted call, not per attempt.
 */
async function tryModel(
  deps: AnswerDeps,
  input: AnswerInput,
  provider: ModelProvider,
  passages: RankedPassage[],
  onToken: TokenSink,
): Promise<{ text: string; citations: Citation[] } | null> {
  const key = circuitKey(
    input.orgId,
    `${provider.providerId ?? provider.kind}|${provider.baseUrl ?? ''}|${provider.model}`,
  );
  if (providerCircuits.isOpen(key)) return null;
  let started = false;
  try {
    const answer = await answerWithModel(
      deps.database,
      {
        orgId: input.orgId,
        conversationId: input.conversationId,
        provider,
        instructions: input.agent.instructions,
        passages,
        history: input.history,
        question: input.question,
        signal: input.signal,
        ...(input.tools ? { tools: input.tools } : {}),
        onMetered: (usage) => noteModelUsage(input.orgId, usage),
      },
      async (delta) => {
        started = true;
        await onToken(delta);
      },
    );
    providerCircuits.recordSuccess(key);
    return answer;
  } catch (error) {
    if (input.signal.aborted) throw error;
    providerCircuits.recordFailure(key);
    if (started)
      throw error instanceof AppError
        ? error
        : new AppError('unavailable', 'The model provider did not answer; please try again');
    return null;
  }
}

const someoneAvailable = (input: AnswerInput) => input.operatorsAvailable?.() ?? Promise.resolve(true);

/** Words per streamed delta for text that already exists (extractive answers, fixed replies). */
const WORDS_PER_DELTA = 3;

/**
 * Streams a finished text in small word groups, yielding to the event loop between writes so
 * other requests (and the client's disconnect) are served meanwhile. No artificial delay.
 */
export async function streamWords(text: string, onToken: TokenSink, signal: AbortSignal): Promise<void> {
  const pieces = text.match(/\S+\s*/g) ?? [];
  const leading = /^\s*/.exec(text)![0];
  for (let i = 0; i < pieces.length; i += WORDS_PER_DELTA) {
    signal.throwIfAborted();
    const delta = (i === 0 ? leading : '') + pieces.slice(i, i + WORDS_PER_DELTA).join('');
    await onToken(delta);
    await nextTurn();
  }
  signal.throwIfAborted();
}
