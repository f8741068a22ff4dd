/**
 * Small, dependency-free text tools for the answer engine: meaningful terms of a question, a
 * light stemmer, term matching, and splitting markdown passages into readable sentences.
 *
 * Retrieval (Postgres full-text search) decides which passages are candidates; these tools decide
 * whether a candidate really answers the question and which of its sentences to quote.
 */

/**
 * Words that carry no topic: English function words, the filler of questions as visitors type
 * them ("how do I get…", "can you tell me…") and the context they add ("…I bought last week").
 * A passage sharing only these with a question is not evidence that it answers it, and a
 * question's unmatched context words must not count as unanswered topics.
 */
const STOPWORDS = new Set(
  `a about above after again against all also am an and any anyone anything are aren as at be because been
  before being below between both but by can cannot could couldn did didn do does doesn doing don done down
  during each either else ever every few for from further get gets getting got had hasn has have haven having
  he her here hers herself him himself his how however i if in into is isn it its itself just know let like
  may me might mine more most much must my myself need needs no nor not now of off on once one only or other
  our ours ourselves out over own please possible same she should shouldn so some someone something still such
  tell than thank thanks that the their theirs them themselves then there these they thing things this those
  through to too under until up us use used using very want wanted wants was wasn way we were weren what whats
  when where whether which while who whom whose why will with without won would wouldn yes yet you your yours
  yourself yourselves hi hello hey ok okay question questions help anybody somebody able go going really ask
  asking wondering hoping trying try im ive id youre dont cant whats hows
  bought purchased ordered yesterday today tonight tomorrow ago recently last week weeks month months already
  currently actually maybe kind sort`.split(/\s+/),
);

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu;

/** Lower-cased words of a text (letters and digits; apostrophes dropped: "don't" → "dont"). */
export function words(text: string): string[] {
  return (text.normalize('NFKC').toLowerCase().match(WORD) ?? []).map((w) => w.replace(/['’]/g, ''));
}

/**
 * A light suffix stripper (plural, -ing, -ed, -ly). Not a full Porter stemmer: it only has to
 * make "refunds", "refunded" and "refunding" meet, and `termsMatch` tolerates the rest.
 */
export function stem(word: string): string {
  let w = word;
  if (w.length <= 3 || /^\d+$/.test(w)) return w;
  if (w.endsWith('ies') && w.length > 4) return `${w.slice(0, -3)}y`;
  if (w.endsWith('sses')) return w.slice(0, -2);
  if (w.endsWith('ing') && w.length > 5) w = w.slice(0, -3);
  else if (w.endsWith('ed') && w.length > 4) w = w.slice(0, -2);
  else if (/(s|x|z|ch|sh)es$/.test(w) && w.length > 4) w = w.slice(0, -2);
  else if (w.endsWith('s') && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
  else if (w.endsWith('ly') && w.length > 5) w = w.slice(0, -2);
  return w;
}

/**
 * Two stems name the same term when equal, or when the longer is the shorter plus a doubled last
 * letter or a silent ending the light stemmer leaves behind: "ship"/"shipp", "instal"/"install",
 * "chang"/"change", "deliver"/"delivery". Anything longer is a different word ("custom" is not
 * "customer").
 */
export function termsMatch(a: string, b: string): boolean {
  if (a === b) return true;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if (short.length < 3 || !long.startsWith(short)) return false;
  const extra = long.slice(short.length);
  return extra === short.at(-1) || extra === 'e' || extra === 'y' || extra === 's';
}

export const isStopword = (word: string) => STOPWORDS.has(word);

/**
 * The topic terms of a question: stem → the first original word with that stem (the database's
 * own stemmer is given the word). Stopwords and one-letter words are dropped; numbers are kept.
 */
export function questionTerms(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const w of words(text)) {
    if ((w.length < 2 && !/\d/.test(w)) || STOPWORDS.has(w)) continue;
    const s = stem(w);
    if (!out.has(s)) out.set(s, w);
  }
  return out;
}

/** The stems of every word in a text (used on the passage side; no stopword removal needed). */
export function stemSet(text: string): Set<string> {
  return new Set(words(text).map(stem));
}

/** Which of `terms` occur in `stems` (tolerant matching, see termsMatch). */
export function matchedTerms(terms: readonly string[], stems: ReadonlySet<string>): string[] {
  return terms.filter((t) => {
    if (stems.has(t)) return true;
    for (const s of stems) if (termsMatch(t, s)) return true;
    return false;
  });
}

export type Sentence = {
  text: string;
  /** The sentence was a markdown list item: render it on its own line. */
  listItem: boolean;
  /** The list item's marker as written ("-", "2."), kept so numbered steps stay numbered. */
  marker?: string;
  /** Position in the passage, so chosen sentences can be put back in reading order. */
  index: number;
};

/** Strips inline markdown (emphasis, code ticks, links, images) to readable plain text. */
export function plainText(markdown: string): string {
  return markdown
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/(^|[^\w*])\*(?!\s)(.+?)\*(?!\w)/g, '$1$2')
    .replace(/`([^`]+)`/g, '$1')
    .replace(/[ \t]+/g, ' ')
    .trim();
}

const LIST_ITEM = /^\s*(?:[-*+•]|\d{1,3}[.)])\s+/;
const HEADING = /^\s{0,3}#{1,6}\s+/;
/** A sentence ends at . ! ? (optionally followed by a closing quote or bracket) before a capital or digit. */
const SENTENCE_END = /(?<=[.!?]["”’)\]]?)\s+(?=["“(\p{Lu}\d])/u;

/**
 * Splits a passage into sentences. Headings are dropped (the passage title carries them), list
 * items are kept as units of their own, paragraphs are split at sentence ends.
 */
export function splitSentences(markdown: string): Sentence[] {
  const out: Sentence[] = [];
  const push = (text: string, listItem: boolean, marker?: string) => {
    const clean = plainText(text);
    if (/[\p{L}\p{N}]/u.test(clean)) {
      out.push({ text: clean, listItem, index: out.length, ...(marker ? { marker } : {}) });
    }
  };
  let paragraph: string[] = [];
  // The list item being read: its lines until another item, a heading, an unindented line after
  // a blank one, or the end. An item hard-wrapped onto further (indented or lazy) lines is one
  // item: its sentence is never cut at the wrap.
  let item: { lines: string[]; marker: string; afterBlank: boolean } | null = null;
  const flushItem = () => {
    if (item) push(item.lines.join(' '), true, item.marker);
    item = null;
  };
  const flushParagraph = () => {
    if (paragraph.length === 0) return;
    for (const s of paragraph.join(' ').split(SENTENCE_END)) push(s, false);
    paragraph = [];
  };
  const flush = () => {
    flushItem();
    flushParagraph();
  };
  for (const line of markdown.split(/\r?\n/)) {
    if (line.trim() === '') {
      flushParagraph();
      if (item) item.afterBlank = true;
      continue;
    }
    if (HEADING.test(line) || /^\s*(?:---+|\|)/.test(line)) {
      flush();
      continue;
    }
    if (LIST_ITEM.test(line)) {
      flush();
      const marker = LIST_ITEM.exec(line)![0].trim();
      item = {
        lines: [line.replace(LIST_ITEM, '').trim()],
        marker: /^\d/.test(marker) ? marker : '-',
        afterBlank: false,
      };
      continue;
    }
    if (item && (!item.afterBlank || /^\s{2,}/.test(line))) {
      item.lines.push(line.trim());
      item.afterBlank = false;
      continue;
    }
    flushItem();
    paragraph.push(line.trim());
  }
  flush();
  return out;
}

/** Joins sentences for display: prose flows on one line, list items each start a new line. */
export function joinSentences(sentences: readonly Sentence[]): string {
  let text = '';
  let afterListItem = false;
  for (const s of sentences) {
    const line = s.listItem ? `${s.marker ?? '-'} ${s.text}` : s.text;
    if (text === '') text = line;
    else text += s.listItem || afterListItem || text.endsWith(':') ? `\n${line}` : ` ${line}`;
    afterListItem = s.listItem;
  }
  return text;
}
