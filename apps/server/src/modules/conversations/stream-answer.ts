import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../deps.js';
import type { AgentRow } from '../../platform/db/schema/index.js';
import { AppError, toAppError, toProblem } from '../../platform/errors.js';
import { openEventStream } from '../../platform/http/event-stream.js';
import { toolsForAgent } from '../actions/tools-for-agent.js';
import { answerQuestion } from '../answers/engine.js';
import { checkQuotaAfterAnswer } from '../usage/model-quota.js';
import { operatorsAvailable } from './honest-text.js';
import { recordVisitorMessage, storeAnswer } from './service.js';
import type { VoiceSpeaker } from './voice/voice-turns.js';

/**
 * Answers one visitor message over server-sent events.
 *
 * Sequence: store the visitor message (own transaction; a repeated clientMessageId stores
 * nothing) → open the stream → either replay the stored answer (`token` with the whole text,
 * `citations`, `done` with the same ids) or answer now (`token`…, then the answer is stored in
 * another transaction, then `citations`, `handoff`?, `done`). Failures after the stream opened
 * become an `error` event (problem+json) and store no answer.
 *
 * A client that disconnects aborts the work (the AbortSignal reaches the model call) and no
 * partial answer is stored: the conversation holds the visitor message and no half answer, and
 * a retry with the same clientMessageId answers it.
 *
 * The agent never talks over a person: when an operator owns the conversation (state.ts
 * `whoAnswers`), the message is stored and delivered to operators and the stream ends with
 * `done` and `assistantMessageId: null`. If an operator claims (or someone closes) the
 * conversation while an answer streams, the answer stops at once, is never stored, and `done`
 * says `assistantMessageId: null` so the widget drops the partial text.
 */
export type StreamAnswerInput = {
  orgId: string;
  conversationId: string;
  agent: AgentRow;
  clientMessageId: string;
  text: string;
  /**
   * A voice turn (voice/): the answer's sentences are filed for text-to-speech as they complete,
   * each announced with a `speech` event ({ index }) right after the tokens that finished it.
   */
  speech?: VoiceSpeaker;
};

export async function streamAnswer(
  deps: AppDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  input: StreamAnswerInput,
): Promise<{ finished: Promise<void> }> {
  const visitor = await recordVisitorMessage(deps.database, deps.keyring, deps.transcripts, {
    orgId: input.orgId,
    conversationId: input.conversationId,
    clientMessageId: input.clientMessageId,
    text: input.text,
    ...(input.speech ? { inputMode: 'voice' as const } : {}),
  });

  const events = openEventStream(reply);
  const controller = new AbortController();
  events.onClientGone(() => controller.abort(new DOMException('The client disconnected', 'AbortError')));
  let superseded = false;
  const noAnswer = () => {
    input.speech?.cancel();
    events.send('done', { userMessageId: visitor.id, assistantMessageId: null });
  };
  const announce = (indexes: number[] | undefined) => {
    for (const index of indexes ?? []) events.send('speech', { index });
  };

  let stopWatching: (() => void) | undefined;
  const finished = (async () => {
    try {
      if (visitor.answer) {
        events.send('token', { text: visitor.answer.content });
        announce(input.speech?.push(visitor.answer.content));
        announce(input.speech?.finish());
        events.send('citations', { citations: visitor.answer.citations });
        events.send('done', { userMessageId: visitor.id, assistantMessageId: visitor.answer.id });
        return;
      }
      if (visitor.responder === 'operator') {
        noAnswer();
        return;
      }
      // Watch ownership while answering: a claim or close elsewhere (any process) stops us.
      const unwatch = await deps.events.subscribe(
        input.orgId,
        { after: null },
        {
          filter: (e) =>
            e.type === 'conversation' &&
            e.conversationId === input.conversationId &&
            ['human', 'closed'].includes(String(e.payload.status)),
          deliver: () => {
            superseded = true;
            controller.abort(new DOMException('An operator took over the conversation', 'AbortError'));
          },
        },
      );
      stopWatching = unwatch;
      // Asked at most once per answer, only when it hands off: the reply text and the `handoff`
      // event then agree on whether a person is available.
      let availability: Promise<boolean> | undefined;
      const someoneAvailable = () => {
        availability ??= operatorsAvailable(deps.database, input.agent);
        return availability;
      };
      // The agent's HTTP actions as tools (modules/actions/); only a model can call them.
      const tools =
        input.agent.answerMode === 'model'
          ? await toolsForAgent(deps, {
              orgId: input.orgId,
              agentId: input.agent.id,
              conversationId: input.conversationId,
            })
          : undefined;
      const result = await answerQuestion(
        deps,
        {
          orgId: input.orgId,
          conversationId: input.conversationId,
          agent: input.agent,
          question: visitor.content,
          history: visitor.history,
          signal: controller.signal,
          operatorsAvailable: someoneAvailable,
          emailReplies: !visitor.ephemeral,
          ...(tools ? { tools } : {}),
        },
        async (delta) => {
          controller.signal.throwIfAborted();
          events.send('token', { text: delta });
          announce(input.speech?.push(delta));
        },
      );
      // A complete answer is stored even if the client left just now: a retry then replays it.
      // Ownership is re-checked under the conversation lock: null = an operator owns it now.
      const assistantMessageId = await storeAnswer(deps.database, deps.keyring, deps.transcripts, {
        orgId: input.orgId,
        conversationId: input.conversationId,
        replyToId: visitor.id,
        text: result.text,
        citations: result.citations,
        answerMode: result.mode,
        handoff: result.handoff,
        handoffDetail: result.handoffDetail,
      });
      if (assistantMessageId === null) {
        noAnswer();
        return;
      }
      announce(input.speech?.finish());
      events.send('citations', { citations: result.citations });
      if (result.handoff) {
        events.send('handoff', { reason: result.handoff, operatorsAvailable: await someoneAvailable() });
      }
      events.send('done', { userMessageId: visitor.id, assistantMessageId });
      // Every answered message counts towards the month whatever the answer mode: the 80%/100%
      // notices (cheap: usage/quota-watch.ts). After `done`, and never an error for the visitor.
      await checkQuotaAfterAnswer(deps, input.orgId).catch((error: unknown) =>
        request.log.error({ errorName: (error as Error)?.name }, 'usage threshold check failed'),
      );
    } catch (error) {
      if (superseded) {
        noAnswer();
        return;
      }
      if (controller.signal.aborted) {
        request.log.info({ conversationId: input.conversationId }, 'answer stream abandoned by the client');
        return;
      }
      const appError = toAppError(error) ?? new AppError('internal', 'The answer could not be completed');
      // Ids and error kinds only: provider and database errors can quote prompts or parameters.
      request.log.error(
        { conversationId: input.conversationId, code: appError.code, errorName: (error as Error)?.name },
        'answer stream failed',
      );
      events.send('error', toProblem(appError, String(request.id), request.url.split('?')[0]));
    } finally {
      stopWatching?.();
      events.end();
    }
  })();
  return { finished };
}
