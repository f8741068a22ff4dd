import type { Tx } from '../../platform/db/client.js';
import {
  type HitTerm,
  matchTermsInTexts,
  type QueryVector,
  type SearchHit,
  type SearchHitWithTerms,
  search,
} from '../knowledge/index.js';
import { asksForSteps, isFrameTerm } from './question-frame.js';
import { type Sentence, splitSentences, words } from './text.js';

/**
 * Retrieval plus a confidence judgement, both from search's own reading of the question: its
 * query terms (stemmed in every language of the org's knowledge, stop words dropped, synonyms and
 * typo repairs applied) with their IDF, and where each hit contains each term (search option
 * `terms`). Nothing here re-analyses the question, so the judgement is the same in every
 * language search supports, and one IDF model serves ranking and gate alike.
 *
 * A term's weight is its IDF, floored (in a knowledge base of one article every word is in every
 * passage, and still answers the question) and lowered for the words that frame a question rather
 * than name its subject ("how long", "can I get": question-frame.ts).
 *
 * - evidence: the weighted share of the question's terms the passage contains (half for a term
 *   found only elsewhere in its article). An answer needs EVIDENCE_THRESHOLD: the passage must
 *   cover the question's content, not one shared word ("write a poem about mountains" shares
 *   "mountain" with a discount for mountain guides, but "poem" and "write" are nowhere).
 * - informative: the passage contains a content term that is rare in the knowledge base (in at
 *   most 30% of passages, or at most 2), or one in its own title or headings, so a match on the
 *   company's name in passing is never enough; and when the question has only one content term,
 *   that term is in its title or headings (the passage is about it, not passing by).
 * - strength (the ranking among hits): like evidence, but a term in the passage's heading counts
 *   most, then its title, then its body; the share of the section's own heading the question
 *   covers (its lexemes, stop words not counted) breaks near ties, and the passage's best sentence adds its own share of the
 *   question (framing words at full weight there: the sentence that says how long is the answer to
 *   "how long"), so the section about the question's subject ("How to wash a
 *   down jacket") beats a sibling that shares the generic words ("How to wash a rain jacket").
 */
export const EVIDENCE_THRESHOLD = 0.5;
/** Kept for callers that compare strengths to a floor (a second source must reach it too). */
export const CONFIDENCE_THRESHOLD = EVIDENCE_THRESHOLD;
const INFORMATIVE_SHARE = 0.3;
/** IDF floor of a term's weight: ln(1 + (N - df + 0.5)/(df + 0.5)) is near 0 in a tiny knowledge base. */
const WEIGHT_FLOOR = 1;
/** A question-frame word weighs this share of a content word. */
const FRAME_WEIGHT = 0.2;
/** A term found elsewhere in the article, not in the passage itself, is this much evidence. */
const SOURCE_ONLY = 0.5;
/**
 * How a term's place in the passage counts towards its strength; in a heading of an article whose
 * title has it too (the article is about it), a little more.
 */
const PLACE = { heading: 1, title: 0.9, body: 0.6, source: 0.25, titleToo: 0.25 } as const;
/**
 * A term reached by repairing the visitor's word is a guess ("canda" → canada, but also "spain" →
 * spin): each unit of repair cost takes this share off its match as evidence, and a guess of two
 * edits or more never makes a passage informative on its own.
 */
const REPAIR_DOUBT = 0.25;
/** How much the best sentence's share of the question adds to strength. */
const SENTENCE_WEIGHT = 0.5;
/** Search is asked for this many candidates per passage kept. */
const CANDIDATES_PER_PASSAGE = 2;
/** A term in a sentence's section heading counts this much of one in the sentence itself. */
const HEADING_CONTEXT = 0.5;
/**
 * Per question word that search dropped but the section's own heading has (at most two; an
 * article's opening has its title as heading, a section headed like its article none).
 */
const HEADING_WORD_WEIGHT = 0.05;
/** Added to the strength of a passage with a list when the question asks for steps. */
const STEPS_BONUS = 0.1;
/** Passages of two articles within this share of each other's strength are a tie (see tiedAcrossArticles). */
const TIE_MARGIN = 0.02;
/** How much the heading's subject share adds to strength (a tie-breaker between siblings). */
const SUBJECT_WEIGHT = 0.15;

export type PassageSentence = Sentence & {
  /** Indices into the passage's `terms` of the terms this sentence contains. */
  terms: number[];
};

export type RankedPassage = SearchHit & {
  /** Every query term, where the passage contains it, and its weight in the judgement. */
  terms: (HitTerm & { weight: number })[];
  /** Indices of the terms the passage itself contains (title, headings or body). */
  matched: number[];
  /** Weighted share of the question's terms the passage (or, at half, its article) contains. */
  coverage: number;
  /** Contains a content term that is rare, or one in its own title or headings. */
  informative: boolean;
  /** Ranking among hits (0 when not informative). */
  strength: number;
  /** The passage's sentences with the terms each contains (for choosing what to quote). */
  sentences: PassageSentence[];
};

export type Retrieval = {
  /** Best first: by strength, then by search rank. */
  passages: RankedPassage[];
  confident: boolean;
};

/** Passage strength used for ranking (0 when not informative). */
export const strengthOf = (p: RankedPassage) => p.strength;

/** Whether a passage is good enough evidence to quote as an answer. */
export const answers = (p: Pick<RankedPassage, 'informative' | 'coverage'>) =>
  p.informative && p.coverage >= EVIDENCE_THRESHOLD;

/**
 * With `queryVector` (the question's embedding from embedQuery, computed before the transaction),
 * passages come from hybrid search (lexical and vector rankings fused); without, from lexical
 * search. `sourceIds` limits them to an agent's sources. The confidence judgement is the same for
 * both: a passage found only by its vector contains none of the question's terms, so it ranks
 * after the others and never makes retrieval confident on its own.
 */
export type RetrievalSearch = {
  queryVector?: QueryVector | null;
  sourceIds?: readonly string[];
};

export async function retrievePassages(
  tx: Tx,
  orgId: string,
  question: string,
  k = 5,
  options: RetrievalSearch = {},
): Promise<Retrieval> {
  // More candidates than are kept: search's ranking and this judgement differ, and the passage
  // that answers may rank a little lower in search (a short sibling that repeats the question's
  // generic words outranks it).
  const hits = await search(tx, orgId, question, {
    k: k * CANDIDATES_PER_PASSAGE,
    terms: true,
    vector: options.queryVector ?? null,
    ...(options.sourceIds ? { scope: { sourceIds: options.sourceIds } } : {}),
  });
  if (hits.length === 0) return { passages: [], confident: false };

  // Sentence matching with the database's stemmers, as search matched the passages.
  const sentences = hits.map((hit) => splitSentences(hit.content));
  const matches = await matchTermsInTexts(
    tx,
    hits[0]!.terms,
    sentences.flat().map((s) => s.text),
  );
  let offset = 0;
  const passages = hits
    .map((hit, rank) => {
      const own = sentences[rank]!.map((s, j) => ({ ...s, terms: matches[offset + j] ?? [] }));
      offset += own.length;
      return { ...judge(hit, question, own), rank };
    })
    .sort((a, b) => b.strength - a.strength || a.rank - b.rank)
    .slice(0, k)
    .map(({ rank: _rank, ...passage }) => passage);
  return { passages, confident: answers(passages[0]!) && !tiedAcrossArticles(passages) };
}

/**
 * The best passage is all but tied with one of another article: the question fits several
 * articles equally ("how long does shipping take" against five "Delivery times" sections, one per
 * country; "where is my order" against every section about orders) and does not say which it
 * means. Quoting one of them would be a guess, so retrieval is not confident.
 */
function tiedAcrossArticles(passages: readonly RankedPassage[]): boolean {
  const [best, ...rest] = passages;
  if (!best || best.strength <= 0) return false;
  return rest.some((p) => p.sourceId !== best.sourceId && p.strength >= (1 - TIE_MARGIN) * best.strength);
}

function judge(hit: SearchHitWithTerms, question: string, sentences: PassageSentence[]): RankedPassage {
  const terms = hit.terms.map((t) => ({
    ...t,
    weight: Math.max(t.idf, WEIGHT_FLOOR) * (isFrameTerm(t) ? FRAME_WEIGHT : 1),
  }));
  const total = terms.reduce((sum, t) => sum + t.weight, 0);
  let evidence = 0;
  let placed = 0;
  let informative = false;
  const matched: number[] = [];
  terms.forEach((t, i) => {
    const inPassage = t.inTitle || t.inHeading || t.inBody;
    if (inPassage) matched.push(i);
    const trust = Math.max(0, 1 - REPAIR_DOUBT * t.repairCost);
    // Elsewhere in the article counts for content words only: "how long" in another section says nothing.
    const elsewhere = t.inSource && !isFrameTerm(t);
    evidence += trust * t.weight * (inPassage ? 1 : elsewhere ? SOURCE_ONLY : 0);
    placed +=
      trust *
      t.weight *
      (t.inHeading
        ? PLACE.heading + (t.inTitle ? PLACE.titleToo : 0)
        : t.inTitle
          ? PLACE.title
          : t.inBody
            ? PLACE.body
            : elsewhere
              ? PLACE.source
              : 0);
    if (inPassage && !isFrameTerm(t) && t.repairCost < 2) {
      // A common term still informs when the passage is *about* it (title or heading):
      // "where is my order" is answered by "Order tracking", though "order" is everywhere.
      const rare = t.df > 0 && t.df <= Math.max(2, INFORMATIVE_SHARE * t.chunks);
      if (rare || t.inTitle || t.inHeading) informative = true;
    }
  });
  // A question with a single content word is answered only by a passage about it (the word in
  // its title or headings): the word in passing is a coincidence ("do you have feelings" meets
  // "…how it feels…", "do you take paypal" meets "PayPal refunds arrive within 24 hours").
  const content = terms.filter((t) => !isFrameTerm(t));
  if (content.length === 1 && !content[0]!.inTitle && !content[0]!.inHeading) informative = false;
  const coverage = total > 0 ? evidence / total : 0;
  // The share of the passage's own heading that the question covers (its lexemes, stop words not
  // counted). An article's opening stands under the article's own title: a question that covers
  // the title asks about the article as a whole ("summit club levels" against "Summit Club
  // levels", whose opening says there are three), and the opening answers it rather than a section
  // that repeats the title's words. A section headed like its article has no subject of its own.
  const ownHeading = hit.headingPath.split(' > ').at(-1) || hit.title;
  const headed = hit.headingPath === '' || ownHeading !== hit.title ? 1 : 0;
  const subject =
    hit.headingLexemes > 0
      ? headed * Math.min(1, terms.filter((t) => t.inOwnHeading).length / hit.headingLexemes)
      : 0;
  // "How do I…" is answered by a procedure: a passage with a list, if it is otherwise as good.
  // So is a section whose own heading is a how-to ("How to start a return").
  const steps = asksForSteps(question);
  const procedure =
    (steps && sentences.some((x) => x.listItem) ? STEPS_BONUS : 0) +
    (steps && asksForSteps(ownHeading) ? STEPS_BONUS : 0);
  // The sentence that holds most of the question, its framing words at full weight: "Standard
  // shipping takes 3 to 5 business days" answers "how long does standard shipping take".
  const full = terms.map((t) => Math.max(t.idf, WEIGHT_FLOOR) * Math.max(0, 1 - REPAIR_DOUBT * t.repairCost));
  const fullTotal = full.reduce((sum, w) => sum + w, 0);
  // A sentence is read with its section's own heading ("Close the zips and wash the jacket…"
  // under "How to wash a rain jacket" is about a rain jacket), though what it says itself counts more.
  const sentence = Math.max(
    0,
    ...sentences.map((x) =>
      terms.reduce(
        (sum, t, i) =>
          sum +
          (x.terms.includes(i) ? (full[i] ?? 0) : t.inOwnHeading ? HEADING_CONTEXT * (full[i] ?? 0) : 0),
        0,
      ),
    ),
  );
  const strength =
    informative && total > 0
      ? placed / total +
        SENTENCE_WEIGHT * (sentence / fullTotal) +
        SUBJECT_WEIGHT * subject +
        procedure +
        headed * HEADING_WORD_WEIGHT * Math.min(2, headingWordsOnly(question, ownHeading, terms))
      : 0;
  const { terms: _terms, ...rest } = hit;
  return { ...rest, terms, matched, coverage, informative, strength, sentences };
}

/**
 * Question words that search dropped as stop words (no term stands for them) but that the
 * passage's own heading has, written the same: "down" in "how do I wash my down jacket" against
 * "Down jackets and sleeping bags" (English stop words include "down"), or an interrogative that a
 * heading answers ("when is my card charged" / "When you are charged"). Words of four letters or
 * more: "how" is in "how many days" and in "How to return an item" alike. A tie-breaker between
 * sibling sections, never evidence for the gate.
 */
function headingWordsOnly(question: string, heading: string, terms: readonly HitTerm[]): number {
  const inHeading = new Set(words(heading));
  const lexemes = terms.flatMap((t) => t.lexemes);
  const termFor = (word: string) => lexemes.some((l) => word.startsWith(l) || l.startsWith(word));
  return new Set(words(question).filter((w) => w.length >= 4 && inHeading.has(w) && !termFor(w))).size;
}
