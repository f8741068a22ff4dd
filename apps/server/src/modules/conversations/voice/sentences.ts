/**
 * Splits a streamed answer into sentences for text-to-speech, so the first sentence can be
 * spoken while the rest is still being written. A sentence ends at . ! ? or a line break followed
 * by whitespace; citation markers ([1]) and Markdown symbols are not read aloud.
 * The FIRST piece may end early, at a clause break (, ; : followed by whitespace) once it has
 * FIRST_CLAUSE_MIN characters: the visitor hears the answer begin as soon as possible (its speech
 * starts on the server as soon as it is complete, speech-prefetch.ts), the rest follows in whole
 * sentences while the first plays.
 * Invariant: the concatenation of everything pushed is covered by the sentences returned by
 * `push` and `finish`, in order, each at most MAX_SENTENCE characters.
 */
const MAX_SENTENCE = 400;
const MIN_SENTENCE = 12;
const FIRST_CLAUSE_MIN = 40;

export function createSentenceSplitter() {
  let pending = '';
  let first = true;
  const clean = (text: string) =>
    text
      .replace(/\s*\[\d+\]/g, '')
      .replace(/[*_`#>]+/g, '')
      .replace(/\s+/g, ' ')
      .trim();
  const take = (): string[] => {
    const out: string[] = [];
    for (;;) {
      const match = /[.!?…](?=\s)|\n\s*\n/.exec(pending.slice(MIN_SENTENCE)) ?? null;
      let end = match ? match.index + MIN_SENTENCE + match[0].length : -1;
      if (first) {
        const clause = /[,;:](?=\s)/.exec(pending.slice(FIRST_CLAUSE_MIN));
        const clauseEnd = clause ? clause.index + FIRST_CLAUSE_MIN + 1 : -1;
        if (clauseEnd > 0 && (end < 0 || clauseEnd < end)) end = clauseEnd;
      }
      if (end < 0 && pending.length > MAX_SENTENCE) {
        const space = pending.lastIndexOf(' ', MAX_SENTENCE);
        end = space > 0 ? space : MAX_SENTENCE;
      }
      if (end < 0) return out;
      const sentence = clean(pending.slice(0, end));
      pending = pending.slice(end);
      if (sentence) {
        out.push(sentence);
        first = false;
      }
    }
  };
  return {
    /** Adds streamed text; returns the sentences completed by it. */
    push(delta: string): string[] {
      pending += delta;
      return take();
    },
    /** The rest, once the answer is complete. */
    finish(): string[] {
      const out = take();
      const rest = clean(pending);
      pending = '';
      return rest ? [...out, rest] : out;
    },
  };
}
