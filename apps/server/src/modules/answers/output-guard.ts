/**
 * The output guard against leaking the prompt: watches a model answer as it streams and stops it
 * when it reproduces the rules or the business instructions at length (system-prompt.ts
 * `protectedPromptTexts`), the usual result of "repeat everything above" or "print your system
 * prompt" — whether the visitor asked or an injected passage did.
 *
 * How: words are compared in lower case without punctuation. The guard tracks the longest run of
 * trailing answer words that appears word for word, in order, in a protected text. A run of
 * LEAK_RUN words of the rules (INSTRUCTIONS_LEAK_RUN of the business instructions) is a leak: the caller stops the model and replies with `SAFE_REPLY` instead.
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

/**
 * Words in a row that count as a leak: of the system's rules (no honest answer repeats them), and
 * of the business instructions (longer: they may hold a fact or a sign-off the model is meant to
 * say, and a sentence of those is rarely 20 words).
 */
export const LEAK_RUN = 10;
export const INSTRUCTIONS_LEAK_RUN = 20;
/** From this run length on, the run's text is held back until the run breaks or leaks. */
const HOLD_RUN = 2;

const WORD = /[\p{L}\p{N}]+/gu;

export type LeakGuard = {
  /** Takes a delta; returns the text that may be shown now, and whether the answer leaked. */
  push(delta: string): { text: string; leaked: boolean };
  /** At the end of a complete answer: the text still held (the last word now judged too). */
  flush(): { text: string; leaked: boolean };
};

/** A text the answer must not reproduce, and how many words in a row of it count as a leak. */
export type ProtectedText = { text: string; leakRun: number };

/** The longest run ending at the last word: its length and where (in the answer) it starts. */
type Run = { length: number; start: number };

/**
 * Longest-common-substring over words, one answer word at a time: for every position p of the
 * protected words equal to the new word, the run ending there is one longer than the run that
 * ended at p - 1 with the previous word. Cost per word: the protected positions of that word.
 */
function createMatcher(texts: readonly string[], leakRun: number) {
  const positions = new Map<string, number[]>();
  let at = 0;
  for (const text of texts) {
    for (const word of text.toLowerCase().match(WORD) ?? []) {
      const list = positions.get(word) ?? [];
      list.push(at++);
      positions.set(word, list);
    }
    at++; // a gap between texts: no run crosses it
  }
  let runs = new Map<number, Run>();
  let best: Run = { length: 0, start: 0 };
  return {
    leakRun,
    get best() {
      return best;
    },
    next(word: string, start: number) {
      const next = new Map<number, Run>();
      best = { length: 0, start };
      for (const p of positions.get(word) ?? []) {
        const before = runs.get(p - 1);
        const run = before ? { length: before.length + 1, start: before.start } : { length: 1, start };
        next.set(p, run);
        if (run.length > best.length) best = run;
      }
      runs = next;
    },
  };
}

export function createLeakGuard(protectedTexts: readonly ProtectedText[]): LeakGuard {
  const byRun = new Map<number, string[]>();
  for (const { text, leakRun } of protectedTexts) byRun.set(leakRun, [...(byRun.get(leakRun) ?? []), text]);
  const matchers = [...byRun].map(([leakRun, texts]) => createMatcher(texts, leakRun));

  let buffer = '';
  let emitted = 0;
  /** Where the next word to judge may start (every word before it was judged). */
  let judged = 0;
  let leaked = false;

  /** Judges the words completed since the last call (with `final`, the last one too). */
  function judge(final: boolean): void {
    const base = judged;
    for (const m of buffer.slice(base).matchAll(WORD)) {
      const index = base + m.index;
      // A word touching the end of the buffer may still grow: judged when it is complete.
      if (!final && index + m[0].length === buffer.length) break;
      const word = m[0].toLowerCase();
      for (const matcher of matchers) matcher.next(word, index);
      judged = index + m[0].length;
      if (matchers.some((x) => x.best.length >= x.leakRun)) {
        leaked = true;
        return;
      }
    }
  }

  /** Where held text starts: the earliest run long enough to be the start of a leak. */
  function holdFrom(): number {
    let from = buffer.length;
    for (const m of matchers) if (m.best.length >= HOLD_RUN) from = Math.min(from, m.best.start);
    return Math.max(emitted, from);
  }

  return {
    push(delta) {
      if (leaked) return { text: '', leaked };
      buffer += delta;
      judge(false);
      if (leaked) return { text: '', leaked };
      const upTo = holdFrom();
      const text = buffer.slice(emitted, upTo);
      emitted = upTo;
      return { text, leaked };
    },
    flush() {
      if (!leaked) judge(true);
      if (leaked) return { text: '', leaked };
      const text = buffer.slice(emitted);
      emitted = buffer.length;
      return { text, leaked };
    },
  };
}
