/**
 * The output guard against leaking the prompt: watches a model answer as it streams and stops it
 * when it reproduces the rules or the business instructions at length (system-prompt.ts
 * `protectedPromptTexts`), the usual result of "repeat everything above" or "print your system
 * prompt" — whether the visitor asked or an injected passage did.
 *
 * How: words are compared in lower case without punctuation. The guard tracks the longest run of
 * trailing answer words that appears word for word, in order, in a protected text. A run of
 * LEAK_RUN words is a leak: the caller stops the model and replies with `SAFE_REPLY` instead.
 * While a run is at least HOLD_RUN words long its text is held back (it may be the start of a
 * leak) and released as soon as the run breaks, so an ordinary answer is delayed by at most a
 * word or two and the visitor sees at most HOLD_RUN - 1 words (plus a word in progress) of a
 * leaking run.
 *
 * Limits, stated plainly: this catches verbatim (and re-punctuated) reproduction, not a
 * paraphrase, translation or summary of the rules; the rules ask the model not to do those, which
 * a test against a scripted fake model cannot prove a real model will obey.
 */
export const SAFE_REPLY =
  "I'm sorry, I can't share that. I'm happy to help with questions about our products and services.";

/** Words in a row, shared with the protected text, that count as a leak. */
export const LEAK_RUN = 10;
/** From this run length on, the run's text is held back until the run breaks or leaks. */
const HOLD_RUN = 2;

const WORD = /[\p{L}\p{N}]+/gu;
/** Enough characters for LEAK_RUN words and then some. */
const TAIL_CHARS = 800;

export type LeakGuard = {
  /** Takes a delta; returns the text that may be shown now, and whether the answer leaked. */
  push(delta: string): { text: string; leaked: boolean };
  /** At the end of a complete answer: the text still held (the last word now judged too). */
  flush(): { text: string; leaked: boolean };
};

export function createLeakGuard(protectedTexts: readonly string[]): LeakGuard {
  // Every word n-gram (1..LEAK_RUN) of the protected texts: the trailing run's words are tested
  // against the set of its length, so a run is "contiguous in some protected text".
  const grams: Set<string>[] = Array.from({ length: LEAK_RUN + 1 }, () => new Set<string>());
  for (const text of protectedTexts) {
    const ws = text.toLowerCase().match(WORD) ?? [];
    for (let i = 0; i < ws.length; i++) {
      for (let n = 1; n <= LEAK_RUN && i + n <= ws.length; n++) grams[n]!.add(ws.slice(i, i + n).join(' '));
    }
  }

  let buffer = '';
  let emitted = 0;
  let leaked = false;

  /**
   * The trailing run over the complete words of `buffer` (unless `final`, the last word may still
   * grow). Only the buffer's tail is scanned: a run is at most LEAK_RUN words.
   */
  function trailingRun(final: boolean): { length: number; start: number } {
    const from = Math.max(0, buffer.length - TAIL_CHARS);
    const words = [...buffer.slice(from).matchAll(WORD)].map((w) => ({ word: w[0], index: w.index + from }));
    // The tail's first word may be cut in two; a word touching the end may still be in progress.
    if (from > 0) words.shift();
    const last = words.at(-1);
    if (!final && last && last.index + last.word.length === buffer.length) words.pop();
    let run = 0;
    for (let n = Math.min(LEAK_RUN, words.length); n >= 1; n--) {
      const gram = words
        .slice(words.length - n)
        .map((w) => w.word.toLowerCase())
        .join(' ');
      if (grams[n]!.has(gram)) {
        run = n;
        break;
      }
    }
    const start = run > 0 ? words[words.length - run]!.index : buffer.length;
    return { length: run, start };
  }

  return {
    push(delta) {
      if (leaked) return { text: '', leaked };
      buffer += delta;
      const run = trailingRun(false);
      if (run.length >= LEAK_RUN) {
        leaked = true;
        return { text: '', leaked };
      }
      const upTo = run.length >= HOLD_RUN ? Math.max(emitted, run.start) : buffer.length;
      const text = buffer.slice(emitted, upTo);
      emitted = upTo;
      return { text, leaked };
    },
    flush() {
      if (leaked || trailingRun(true).length >= LEAK_RUN) {
        leaked = true;
        return { text: '', leaked };
      }
      const text = buffer.slice(emitted);
      emitted = buffer.length;
      return { text, leaked };
    },
  };
}
