/**
 * Sentence and word splitting for chunking and snippets. Pure functions, no locale data: good
 * enough for prose in Latin, Cyrillic, Greek and CJK scripts, which is what support articles are.
 */

/** Words that end in a period without ending a sentence ("Dr. Smith", "e.g. Apple"). */
const ABBREVIATIONS = new Set([
  'mr',
  'mrs',
  'ms',
  'dr',
  'prof',
  'sr',
  'jr',
  'st',
  'vs',
  'etc',
  'e.g',
  'i.e',
  'inc',
  'ltd',
  'co',
  'no',
  'approx',
  'dept',
  'est',
  'fig',
  'min',
  'max',
]);

// A run of terminators, any closing quotes/brackets, then whitespace (or, after CJK full-width
// terminators, nothing: those scripts do not put spaces between sentences).
const BOUNDARY = /([.!?…]+["'’”)\]]*)(\s+)|([。！？]+["'’”)\]]*)(\s*)/gu;

/**
 * Splits prose into sentences, each trimmed, none empty. A terminator only ends a sentence when
 * the next sentence starts like one (not lowercase) and the word before it is not a common
 * abbreviation; so decimals ("3.5"), "e.g. this" and "Dr. Smith" stay whole.
 */
export function splitSentences(text: string): string[] {
  const sentences: string[] = [];
  let start = 0;
  for (const match of text.matchAll(BOUNDARY)) {
    const terminator = match[1] ?? match[3] ?? '';
    const space = match[2] ?? match[4] ?? '';
    const end = match.index + terminator.length;
    const next = text.slice(end + space.length, end + space.length + 1);
    if (next === '') continue;
    if (match[1] !== undefined) {
      if (/\p{Ll}/u.test(next)) continue;
      const wordBefore = /([\p{L}.]+)$/u.exec(text.slice(start, match.index))?.[1];
      if (terminator === '.' && wordBefore && ABBREVIATIONS.has(wordBefore.toLowerCase())) continue;
    }
    const sentence = text.slice(start, end).trim();
    if (sentence) sentences.push(sentence);
    start = end + space.length;
  }
  const rest = text.slice(start).trim();
  if (rest) sentences.push(rest);
  return sentences;
}

/**
 * Cuts text into pieces of at most `max` characters at whitespace; a single "word" longer than
 * `max` (a long URL, text without spaces) is cut hard. Pieces are trimmed and never empty.
 */
export function splitWords(text: string, max: number): string[] {
  const pieces: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (word.length > max) {
      if (current) pieces.push(current);
      current = '';
      for (let i = 0; i < word.length; i += max) pieces.push(word.slice(i, i + max));
      continue;
    }
    if (current && current.length + 1 + word.length > max) {
      pieces.push(current);
      current = word;
    } else current = current ? `${current} ${word}` : word;
  }
  if (current) pieces.push(current);
  return pieces;
}

/**
 * Greedily joins consecutive pieces with `separator` into groups of at most `max` characters.
 * A piece longer than `max` becomes its own group (callers split such pieces first).
 */
export function groupPieces(pieces: string[], separator: string, max: number): string[] {
  const groups: string[] = [];
  let current = '';
  for (const piece of pieces) {
    if (current && current.length + separator.length + piece.length > max) {
      groups.push(current);
      current = piece;
    } else current = current ? `${current}${separator}${piece}` : piece;
  }
  if (current) groups.push(current);
  return groups;
}

/**
 * Splits prose into pieces of at most `max` characters on the best boundary available: sentences,
 * then line breaks, then words. Used for paragraphs too long for one chunk.
 */
export function splitProse(text: string, max: number): string[] {
  if (text.length <= max) return [text];
  const units = splitSentences(text).flatMap((sentence) => {
    if (sentence.length <= max) return [sentence];
    return sentence
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
      .flatMap((line) => (line.length <= max ? [line] : splitWords(line, max)));
  });
  return groupPieces(units, ' ', max);
}
