/**
 * The words of a search query, as visitors type them. Pure.
 *
 * Visitors drop apostrophes ("cant", "wont", "whats"), pad questions with words that say nothing
 * about the topic ("hi, I want to know…", "please help") and sometimes paste whole paragraphs.
 * This turns such text into the words worth looking up: lower-cased, English contractions
 * written out ("wont", "won't" → "will not"), filler dropped, at
 * most MAX_QUERY_WORDS. Function words ("how", "do", "the") are kept here: which ones to drop
 * depends on the languages of the organization's knowledge, which the database decides.
 */

export const MAX_QUERY_WORDS = 32;

/** Letters and digits, with inner hyphens and apostrophes ("e-bike", "won't"). */
const WORD = /[\p{L}\p{N}]+(?:[-'’][\p{L}\p{N}]+)*/gu;

/**
 * English contractions, typed with or without the apostrophe, as the words they stand for. The
 * database's parser splits "i'm" into "i" and "m", and "m" is no stop word: it would become a
 * term that matches the size M ("I'm between sizes" answered with a size chart's "M"). Written
 * out, every part is a stop word, as it should be. ("id", "ill", "well", "its" are words too, so
 * their apostrophe-less forms are not read as contractions.)
 */
const CONTRACTIONS: Record<string, string[]> = Object.fromEntries(
  `aren't:are not|can't:can not|couldn't:could not|didn't:did not|doesn't:does not|don't:do not
  |hadn't:had not|hasn't:has not|haven't:have not|isn't:is not|i'm:i am|i've:i have|i'd:i would
  |i'll:i will|mustn't:must not|needn't:need not|shan't:shall not|shouldn't:should not
  |wasn't:was not|weren't:were not|won't:will not|wouldn't:would not|you're:you are|you've:you have
  |you'll:you will|they're:they are|they've:they have|we're:we are|we've:we have|what's:what is
  |where's:where is|how's:how is|who's:who is|that's:that is|there's:there is|here's:here is
  |it's:it is|let's:let us`
    .split('|')
    .map((entry) => entry.trim().split(':') as [string, string])
    .flatMap(([short, long]) => {
      const expanded = long.split(' ');
      const bare = short.replace("'", '');
      const ambiguous = new Set(['id', 'ill', 'well', 'its', 'shell', 'hell', 'wed', 'were', 'lets', 'whos']);
      return ambiguous.has(bare)
        ? [[short, expanded]]
        : [
            [short, expanded],
            [bare, expanded],
          ];
    }),
);

/**
 * Words that carry no topic in a support question, beyond the stop words of the text-search
 * configurations: greetings, politeness, "I want / need / would like to know", vague nouns and
 * chat shorthand. A knowledge base rarely uses them, so they would otherwise look rare (and
 * informative) to the ranking.
 */
const FILLER = new Set(
  `hi hello hey dear thanks thank thx ty please pls plz ok okay yes yeah hmm sorry
  want wants wanted wanna need needs needed would could might shall must
  know tell explain understand wondering wonder trying try ask asking question questions
  help anyone someone somebody anybody something anything everything thing things stuff way ways
  also really actually just still even maybe possible possibly kind sort much many
  u ur r ya`.split(/\s+/),
);

/**
 * A French verb joined to the pronoun that follows it in a question ("serai-je", "puis-je",
 * "peut-on", "a-t-il", "donnez-moi"). The database's parser reads such a word as one compound
 * ("serai-j"), a term no passage contains, which sinks the question; apart, verb and pronoun are
 * each a word. The euphonic "-t-" is dropped, and so is an auxiliary or modal verb before the
 * pronoun ("puis-je", "serai-je", "peut-on", "avez-vous"): it frames the question as "can I",
 * "will I" do in English, and French stop word lists keep several of them ("puis", "peut").
 * A main verb stays ("livrez-vous" asks about delivery).
 */
const FRENCH_AUXILIARIES = new Set(
  `puis peux peut pouvons pouvez peuvent pourrai pourrais pourrait pourrions pourriez pourront
  dois doit devons devez doivent devrai devrais devrait devrions devriez
  suis es est sommes êtes sont serai seras sera serons serez seront serais serait
  ai as a avons avez ont aurai auras aura aurons aurez auront aurais aurait
  vais vas va allons allez vont faut fait`.split(/\s+/),
);
const FRENCH_INVERSION =
  /^(\p{L}+?)(?:-t)?-(je|j|tu|il|elle|on|nous|vous|ils|elles|moi|toi|le|la|les|lui|leur|y|en|ce)$/u;

export function queryWords(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.normalize('NFKC').toLowerCase().match(WORD) ?? []) {
    const word = raw.replace(/’/g, "'");
    if (FILLER.has(word)) continue;
    const inversion = FRENCH_INVERSION.exec(word);
    const parts =
      CONTRACTIONS[word] ??
      (inversion
        ? FRENCH_AUXILIARIES.has(inversion[1]!)
          ? [inversion[2]!]
          : [inversion[1]!, inversion[2]!]
        : [word]);
    for (const part of parts) {
      if (out.length < MAX_QUERY_WORDS && !FILLER.has(part)) out.push(part);
    }
    if (out.length === MAX_QUERY_WORDS) break;
  }
  return out;
}

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions). Pure. */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const row = new Array<number>(n + 1);
    row[0] = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, prev2[j - 2]! + 1);
      row[j] = d;
    }
    prev2 = prev;
    prev = row;
  }
  return prev[n]!;
}

/**
 * Question words: interrogatives and modals, which the text-search configurations drop as stop
 * words (and FILLER drops "much", "many"). In a help centre whose titles name topics they say
 * nothing, but in an FAQ titled by its questions they are what tells apart the entries on one
 * topic ("How much is…", "Who has to pay…", "Can I get help paying…"). Per language they search.
 */
export const QUESTION_WORDS = new Set(
  `how what when where which who whom whose why can could should must may
  comment combien quand où qui quoi quel quelle quels quelles pourquoi peut dois
  wie wieviel wann wo woher wohin wer wen wem wessen was welche welcher welches warum kann darf muss
  cómo cuánto cuánta cuántos cuántas cuándo dónde quién quiénes qué cuál cuáles puedo debo
  come quanto quanta quanti quante quando dove chi cosa quale quali perché posso devo`.split(/\s+/),
);
/** Words that open a yes/no question when they come first ("do I need…", "is there…"). */
const QUESTION_OPENERS = new Set('do does did is are am will would est'.split(' '));

/**
 * The question's cues, for matching titles and headings as weak evidence (rank-chunks.ts): each
 * question word alone, and with the word after it as a phrase ("how much", "how do", "who can"),
 * so "how much is council tax" prefers "How much is council tax?" over "How do I pay council
 * tax?" while both still get the "how". At most MAX_CUES. Pure.
 */
export const MAX_CUES = 6;

export function questionCues(text: string): string[][] {
  const words = (text.normalize('NFKC').toLowerCase().match(WORD) ?? []).map((w) => w.replace(/’/g, "'"));
  const cues: string[][] = [];
  const seen = new Set<string>();
  const add = (cue: string[]) => {
    const key = cue.join(' ');
    if (seen.has(key) || cues.length >= MAX_CUES) return;
    seen.add(key);
    cues.push(cue);
  };
  words.forEach((word, i) => {
    if (!QUESTION_WORDS.has(word) && !(i === 0 && QUESTION_OPENERS.has(word))) return;
    add([word]);
    const next = words[i + 1];
    if (next && /^\p{L}+$/u.test(next)) add([word, next]);
  });
  return cues;
}
