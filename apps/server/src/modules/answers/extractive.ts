import type { Citation } from '../../platform/db/schema/index.js';
import { asksForSteps } from './question-frame.js';
import { answers, type PassageSentence, type RankedPassage, type Retrieval } from './retrieval.js';
import { joinSentences, type Sentence } from './text.js';

/**
 * The built-in extractive answerer: no model, it quotes whole sentences of the best passage(s)
 * and cites the article each comes from (the citations name it: the widget shows them as links).
 *
 * Invariant: every word of an extractive answer comes from the organization's own knowledge
 * (nothing is generated), so it can be wrong only by quoting the wrong passage — which the
 * confidence gate in retrieval.ts guards against.
 *
 * What is quoted: the sentence that answers first (the one containing the most of the question's
 * weight), then the sentences that follow it, in reading order (never earlier ones after it: "Follow
 * it" must still follow what "it" is), at most MAX_SENTENCES. A section of prose that short is
 * quoted whole, in its own order. A list is quoted whole only when the question asks for the procedure
 * ("how do I…") or the answering sentence introduces it; otherwise the list item that answers is
 * quoted as a sentence. Sentences are never cut. When the question does not tell the best passage
 * from a nearly as strong one (sibling sections sharing its words), the second one's answering
 * sentences follow in a paragraph of their own (see undecided).
 */
export type ComposedAnswer = { text: string; citations: Citation[] };

const MAX_SENTENCES = 3;
/** Steps of a how-to belong together: a procedure is quoted whole (up to this many items). */
const MAX_LIST_ITEMS = 8;
/**
 * A second source is quoted only if its passage is nearly as strong, passes the gate itself and
 * answers part of the question the first does not (sections of one article are not a second opinion).
 */
const SECOND_PASSAGE_RATIO = 0.9;

/** A passage this close to the best one that the question does not tell apart is quoted too. */
const UNDECIDED_RATIO = 0.85;

/**
 * The question does not decide between the best passage and this one: another passage (a
 * sibling section of the same article, or one of another article) that passes the gate itself, is
 * nearly as strong, and contains every question term the best one does. Sibling sections that
 * share the question's words ("When you get your money back" and "What is refunded" for "when do
 * I get my refund") differ in meaning, which an extractive answerer cannot read: it quotes both,
 * best first, rather than guess.
 */
function undecided(best: RankedPassage, p: RankedPassage): boolean {
  return (
    p.chunkId !== best.chunkId &&
    answers(p) &&
    p.strength >= UNDECIDED_RATIO * best.strength &&
    best.matched.every((t) => p.matched.includes(t) || (p.terms[t]?.weight ?? 0) < 1)
  );
}

export function composeExtractiveAnswer(retrieval: Retrieval, question = ''): ComposedAnswer | null {
  const [best, ...rest] = retrieval.passages;
  if (!best || !retrieval.confident) return null;
  const steps = asksForSteps(question);
  const used: RankedPassage[] = [best];
  const parts = [joinSentences(selectSentences(best, MAX_SENTENCES, steps))];

  const covered = new Set(best.matched);
  const another = rest.find(
    (p) =>
      p.sourceId !== best.sourceId &&
      answers(p) &&
      p.strength >= SECOND_PASSAGE_RATIO * best.strength &&
      p.matched.some((t) => !covered.has(t) && p.terms[t]!.weight >= 1),
  );
  // A passage the question does not tell from the best one: what answers in it, without the rest
  // of a list (one step out of a procedure reads as a sentence).
  const undecidedOne = another ? undefined : rest.find((p) => undecided(best, p));
  const second = another ?? undecidedOne;
  if (second) {
    const chosen = selectSentences(second, 2, false);
    const sentences = undecidedOne && chosen[0]?.listItem ? [asProse(chosen[0])] : chosen;
    const text = joinSentences(sentences);
    if (sentences.length > 0 && !parts[0]!.includes(text)) {
      parts.push(text);
      used.push(second);
    }
  }
  const text = parts.filter((p) => p.length > 0).join('\n\n');
  if (text.length === 0) return null;
  return { text, citations: citationsOf(used) };
}

/** One citation per source, in the order the sources were used. */
export function citationsOf(passages: readonly RankedPassage[]): Citation[] {
  const seen = new Set<string>();
  const out: Citation[] = [];
  for (const p of passages) {
    if (seen.has(p.sourceId)) continue;
    seen.add(p.sourceId);
    out.push({ sourceId: p.sourceId, chunkId: p.chunkId, title: p.title, ...(p.url ? { url: p.url } : {}) });
  }
  return out;
}

/**
 * The sentences of a passage to quote, the answering one first (see the file comment). When no
 * sentence contains a question term (the passage matched by its title or heading), its opening
 * sentences are its answer, in reading order.
 */
export function selectSentences(passage: RankedPassage, max: number, steps: boolean): Sentence[] {
  const sentences = passage.sentences;
  if (sentences.length === 0) return [];
  const score = (s: PassageSentence) => s.terms.reduce((sum, t) => sum + (passage.terms[t]?.weight ?? 0), 0);
  const ranked = sentences
    .map((s) => ({ s, score: score(s) }))
    .filter((x) => x.score > 0)
    .sort((a, b) => b.score - a.score || a.s.index - b.s.index);
  const lead = ranked[0]?.s;

  // A procedure asked for: its introduction and items, when the passage has one.
  const list = lead ? listOf(sentences, lead) : firstList(sentences);
  if (list && (steps || (lead?.text.endsWith(':') && !lead.listItem))) {
    const intro = sentences[list[0]!.index - 1];
    const withIntro = intro && !intro.listItem && intro.text.endsWith(':') ? [intro, ...list] : list;
    const apart = lead && !withIntro.includes(lead) ? [asProse(lead)] : [];
    return lead && lead.index > list.at(-1)!.index ? [...withIntro, ...apart] : [...apart, ...withIntro];
  }

  if (!lead) return sentences.slice(0, Math.min(2, max)).filter((s) => !s.listItem);
  // A short section of prose answers as a whole, in its own order: its sentences lean on each other.
  if (sentences.length <= max && !sentences.some((s) => s.listItem)) return sentences;
  // After the lead, what follows it, in reading order (its context: "…costs €29. There is no
  // free shipping threshold…"), up to the next list or its introduction (from a list item: up to
  // the end of its list). Whole sentences only.
  const others: Sentence[] = [];
  for (let i = lead.index + 1; i < sentences.length && others.length < max - 1; i++) {
    const next = sentences[i]!;
    if (next.text.endsWith(':') || next.listItem !== lead.listItem) break;
    others.push(next);
  }
  const chosen = [lead, ...others];
  if (!lead.listItem) return chosen;
  // Items out of their list: one reads as a sentence; several as bullets, since "2." and "3."
  // without the first step would mislead.
  return chosen.length === 1 ? [asProse(lead)] : chosen.map((s) => ({ ...s, marker: '-' }));
}

/** A sentence quoted on its own: a list item without its list reads as a sentence. */
const asProse = (s: Sentence): Sentence =>
  s.listItem ? { text: s.text, listItem: false, index: s.index } : s;

/** The list a sentence belongs to or introduces (up to MAX_LIST_ITEMS items), if any. */
function listOf(sentences: readonly PassageSentence[], s: Sentence): Sentence[] | null {
  const at = s.listItem ? s.index : sentences[s.index + 1]?.listItem ? s.index + 1 : -1;
  if (at < 0) return firstList(sentences);
  let start = at;
  while (start > 0 && sentences[start - 1]?.listItem) start--;
  const out: Sentence[] = [];
  for (let i = start; i < sentences.length && sentences[i]!.listItem && out.length < MAX_LIST_ITEMS; i++) {
    out.push(sentences[i]!);
  }
  return out;
}

function firstList(sentences: readonly PassageSentence[]): Sentence[] | null {
  const first = sentences.find((s) => s.listItem);
  return first ? listOf(sentences, first) : null;
}
