import { type Token, tokenize } from './words.js';

/**
 * Filler words in one transcript line, counted per filler ("um", "you know", …).
 *
 * Always fillers (they carry no meaning as words): um, umm, uh, uhh, er, erm, ah, hmm, and the
 * hedges "basically", "actually", "literally".
 * Fillers only in filler position, to avoid counting meaning:
 * - "like": when a comma follows ("it's like, really slow") or it sits between commas, and the
 *   word before is not a subject or modal ("I like, …" is someone who likes). "I like it",
 *   "looks like rain", "would you like a demo" never count.
 * - "you know": when it stands as its own clause: a comma, sentence end or line end after it
 *   ("it's, you know, expensive"). "Do you know the price", "do you know?", "if you know",
 *   "you know what" do not count.
 * - "I mean": the same rule ("I mean, it works"; not "I mean it", "what I mean").
 * - "sort of" / "kind of": as hedges only, i.e. not after a determiner ("it's kind of slow"
 *   counts; "what kind of plan", "a sort of bundle" do not).
 */
export function countFillers(text: string): Map<string, number> {
  const tokens = tokenize(text);
  const counts = new Map<string, number>();
  const add = (filler: string) => counts.set(filler, (counts.get(filler) ?? 0) + 1);
  for (let i = 0; i < tokens.length; i++) {
    const word = wordAt(tokens, i);
    if (word === null) continue;
    if (ALWAYS.has(word)) add(ALWAYS.get(word)!);
    else if (word === 'like' && likeIsFiller(tokens, i)) add('like');
    else if (word === 'you' && wordAt(tokens, i + 1) === 'know' && standsAlone(tokens, i, i + 1)) {
      add('you know');
      i++;
    } else if (word === 'i' && wordAt(tokens, i + 1) === 'mean' && standsAlone(tokens, i, i + 1)) {
      add('i mean');
      i++;
    } else if ((word === 'sort' || word === 'kind') && wordAt(tokens, i + 1) === 'of') {
      const before = wordAt(tokens, i - 1);
      if (before === null || !DETERMINERS.has(before)) {
        add(`${word} of`);
        i++;
      }
    }
  }
  return counts;
}

const ALWAYS = new Map([
  ['um', 'um'],
  ['umm', 'um'],
  ['uh', 'uh'],
  ['uhh', 'uh'],
  ['er', 'er'],
  ['erm', 'er'],
  ['ah', 'ah'],
  ['hmm', 'hmm'],
  ['basically', 'basically'],
  ['actually', 'actually'],
  ['literally', 'literally'],
]);

const SUBJECTS_AND_MODALS = new Set([
  'i',
  'you',
  'we',
  'they',
  'he',
  'she',
  'who',
  'would',
  'do',
  'does',
  'did',
  "don't",
  "doesn't",
  "didn't",
  'really',
  'might',
  'to',
  "i'd",
  "you'd",
  "we'd",
  "they'd",
]);

const DETERMINERS = new Set([
  'a',
  'an',
  'the',
  'this',
  'that',
  'these',
  'those',
  'what',
  'which',
  'any',
  'some',
  'every',
  'each',
  'one',
  'same',
  'no',
  'all',
  'another',
  'other',
  'different',
  'right',
  'my',
  'your',
  'our',
  'their',
  'his',
  'her',
  'its',
]);

const wordAt = (tokens: Token[], i: number): string | null => {
  const t = tokens[i];
  return t && 'word' in t ? t.word : null;
};
const punctAt = (tokens: Token[], i: number): string | null => {
  const t = tokens[i];
  return t && 'punct' in t ? t.punct : null;
};

function likeIsFiller(tokens: Token[], i: number): boolean {
  const before = wordAt(tokens, i - 1);
  if (before !== null && SUBJECTS_AND_MODALS.has(before)) return false;
  return punctAt(tokens, i + 1) === ',';
}

/**
 * A phrase from `first` to `last` is its own clause: followed by punctuation or the line end,
 * and not the object of a question or clause ("do you know?", "if you know", "what I mean").
 */
function standsAlone(tokens: Token[], first: number, last: number): boolean {
  const before = wordAt(tokens, first - 1);
  if (before !== null && GOVERNING.has(before)) return false;
  return last + 1 >= tokens.length || punctAt(tokens, last + 1) !== null;
}

const GOVERNING = new Set([
  'do',
  'does',
  'did',
  "don't",
  "didn't",
  'if',
  'as',
  'whether',
  'would',
  'will',
  'could',
  'what',
  'that',
  'know',
  'see',
]);
