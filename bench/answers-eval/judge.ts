/**
 * How an answer is judged against the set: the fact matching of questions.tsv and the
 * mid-sentence check the issue calls out.
 */

/** How answers and facts are compared: case-insensitive, whitespace collapsed (NBSP included). */
export function normalise(text: string): string {
  return text.replace(/\s+/gu, ' ').trim().toLocaleLowerCase('en');
}

/** The answer contains at least one of the fact's alternatives. */
export function containsFact(answer: string, facts: readonly string[]): boolean {
  const haystack = normalise(answer);
  return facts.some((f) => haystack.includes(normalise(f)));
}

/**
 * An answer ends mid-sentence when one of its paragraphs does not end with sentence punctuation
 * (optionally followed by closing quotes or brackets, French spacing allowed). A paragraph ending in ":" promises a list
 * that did not come, so it counts too.
 */
export function endsMidSentence(text: string): boolean {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0)
    .some((p) => !/[.!?…](?:\s*["'”’»)\]])*$/u.test(p));
}
