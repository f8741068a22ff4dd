import type { AppDeps } from '../../../deps.js';
import type { AgentVoiceSettings } from '../../../platform/db/schema/index.js';
import { synthesizeSentence } from './speech-port.js';
import type { VoiceSpeaker, VoiceTurn } from './voice-turns.js';

/**
 * Starts reading the answer's FIRST sentence aloud on the server as soon as the sentence is
 * complete, instead of when the widget asks for it (`GET …/speech/0`): the provider's time to
 * first byte then overlaps the `speech` event's trip to the widget and the widget's request, and
 * the GET hands on bytes that are already here. Later sentences are fetched as before (the widget
 * asks for them while the first one plays).
 *
 * Invariants:
 * - memory only, bounded: one prefetch per turn, for one sentence (≤ 400 characters, see
 *   sentences.ts); the provider's stream is read only as the GET reads it (backpressure), so at
 *   most the transport's buffers are held;
 * - never left running: an unclaimed prefetch is cancelled after PREFETCH_UNCLAIMED_MS, when the
 *   answer is dropped (an operator took over) or when the turn's answer is asked again;
 * - the same call as the GET would make (synthesizeSentence: metered, the provider's retries and
 *   timeout); a GET for a sentence whose text differs from the prefetched one never uses it.
 */
const PREFETCH_UNCLAIMED_MS = 30_000;

type Spoken = Awaited<ReturnType<typeof synthesizeSentence>>;
type Prefetch = {
  index: number;
  text: string;
  controller: AbortController;
  result: Promise<Spoken>;
  timer: NodeJS.Timeout;
};

const prefetches = new WeakMap<VoiceTurn, Prefetch>();

function cancel(turn: VoiceTurn): void {
  const prefetch = prefetches.get(turn);
  if (!prefetch) return;
  prefetches.delete(turn);
  clearTimeout(prefetch.timer);
  prefetch.controller.abort(new DOMException('The sentence was not asked for', 'AbortError'));
  // Already streaming: release the provider's connection (metered as aborted).
  prefetch.result.then((spoken) => spoken.stream.cancel()).catch(() => {});
}

/**
 * The turn's speaker, plus: the first sentence's speech starts on the server as soon as that
 * sentence is complete. Same sentences, same indexes.
 */
export function prefetchingFirstSentence(
  deps: AppDeps,
  turn: VoiceTurn,
  speaker: VoiceSpeaker,
  context: { orgId: string; conversationId: string; choice: NonNullable<AgentVoiceSettings['speech']> },
): VoiceSpeaker {
  cancel(turn);
  const started = (indexes: number[]) => {
    const text = indexes.includes(0) ? turn.sentences[0] : undefined;
    if (text !== undefined && !prefetches.has(turn)) {
      const controller = new AbortController();
      const result = synthesizeSentence(deps, { ...context, text, signal: controller.signal });
      // Handled by the GET that claims it; an unclaimed failure is simply dropped.
      result.catch(() => {});
      const timer = setTimeout(() => cancel(turn), PREFETCH_UNCLAIMED_MS);
      timer.unref();
      prefetches.set(turn, { index: 0, text, controller, result, timer });
    }
    return indexes;
  };
  return {
    push: (delta) => started(speaker.push(delta)),
    finish: () => started(speaker.finish()),
    cancel: () => {
      speaker.cancel();
      cancel(turn);
    },
  };
}

/**
 * The prefetched speech of sentence `index` (removed from the turn: it is read once), or null
 * when there is none for exactly this text. `signal` (the GET's client going away) stops it.
 * Rejects as synthesizeSentence would have.
 */
export function claimPrefetchedSpeech(
  turn: VoiceTurn,
  index: number,
  text: string,
  signal: AbortSignal,
): Promise<Spoken> | null {
  const prefetch = prefetches.get(turn);
  if (!prefetch || prefetch.index !== index || prefetch.text !== text) return null;
  prefetches.delete(turn);
  clearTimeout(prefetch.timer);
  const stop = () => prefetch.controller.abort(signal.reason);
  if (signal.aborted) stop();
  else signal.addEventListener('abort', stop, { once: true });
  return prefetch.result;
}
