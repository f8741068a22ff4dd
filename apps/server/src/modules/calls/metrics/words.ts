/**
 * Words of a transcript line: letters/digits with inner apostrophes ("don't", "it's" are one
 * word each), in lower case. Punctuation is kept as its own token where a metric needs to see
 * it (questions, filler "like").
 */
const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu;
const TOKEN = /[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*|[,.;:!?…]|\s[-–—]\s/gu;

export function countWords(text: string): number {
  return text.match(WORD)?.length ?? 0;
}

export type Token = { word: string } | { punct: string };

/** Lower-cased word tokens and clause punctuation (a spaced dash counts as a comma). */
export function tokenize(text: string): Token[] {
  return (text.toLowerCase().match(TOKEN) ?? []).map((t) =>
    /^[\p{L}\p{N}]/u.test(t) ? { word: t.replace('’', "'") } : { punct: /[-–—]/.test(t) ? ',' : t },
  );
}

/** Whether a transcript marks sentence ends at all (many speech-to-text models do not). */
export function hasSentencePunctuation(texts: readonly string[]): boolean {
  return texts.some((t) => /[.?!]/.test(t));
}
