import type { Citation } from '../../platform/db/schema/index.js';
import { CONFIDENCE_THRESHOLD, type RankedPassage, type Retrieval, strengthOf } from './retrieval.js';
import { joinSentences, matchedTerms, type Sentence, splitSentences, stemSet } from './text.js';

/**
 * The built-in extractive answerer: no model, it quotes the sentences of the best passage(s)
 * that answer the question, in their original order, and cites where they came from.
 *
 * Invariant: every word of an extractive answer comes from the organization's own knowledge
 * (nothing is generated), so it can be wrong only by quoting the wrong passage — which the
 * confidence gate in retrieval.ts guards against.
 */
export type ComposedAnswer = { text: string; citations: Citation[] };

const MAX_SENTENCES = 3;
/** Steps of a how-to belong together: a chosen list item brings its whole list (up to this many). */
const MAX_LIST_ITEMS = 6;
/**
 * A second source is quoted only if its passage is nearly as strong and answers part of the
 * question the first does not (sections of the same article are not a second opinion).
 */
const SECOND_PASSAGE_RATIO = 0.9;

export function composeExtractiveAnswer(retrieval: Retrieval): ComposedAnswer | null {
  const [best, ...rest] = retrieval.passages;
  if (!best || !retrieval.confident) return null;
  const used: RankedPassage[] = [best];
  const parts = [joinSentences(selectSentences(best.content, retrieval.terms, MAX_SENTENCES))];

  const covered = new Set(best.matched);
  const second = rest.find(
    (p) =>
      p.sourceId !== best.sourceId &&
      strengthOf(p) >= Math.max(CONFIDENCE_THRESHOLD, SECOND_PASSAGE_RATIO * strengthOf(best)) &&
      p.matched.some((t) => !covered.has(t)),
  );
  if (second) {
    const sentences = selectSentences(second.content, retrieval.terms, 2);
    if (sentences.length > 0) {
      parts.push(joinSentences(sentences));
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
 * The sentences of a passage most relevant to the question: those sharing the most question
 * terms (ties: earlier first), at most `max`, back in reading order. A chosen list item brings
 * its neighbouring items (a numbered procedure is useless in part), and a chosen sentence ending
 * in ":" brings the list it introduces. A passage of at most `max` sentences is a section that
 * answers as a whole, so it is quoted whole; when no sentence shares a term (the passage matched
 * by its title or heading), its opening sentences are its answer.
 */
export function selectSentences(content: string, terms: readonly string[], max: number): Sentence[] {
  const sentences = splitSentences(content);
  if (sentences.length === 0) return [];
  if (sentences.length <= max) return sentences;
  const scored = sentences
    .map((s) => ({ s, score: matchedTerms(terms, stemSet(s.text)).length }))
    .filter((x) => x.score > 0)
    .sort((a, b) => b.score - a.score || a.s.index - b.s.index)
    .slice(0, max)
    .map((x) => x.s);
  const chosen = new Set<Sentence>(scored.length > 0 ? scored : sentences.slice(0, Math.min(2, max)));

  for (const s of [...chosen]) {
    const introducesList = s.text.endsWith(':') && sentences[s.index + 1]?.listItem;
    if (s.listItem || introducesList) {
      for (const item of listAround(sentences, introducesList ? s.index + 1 : s.index)) chosen.add(item);
      // The sentence introducing a list gives its steps their meaning.
      const before = sentences[firstItemIndex(sentences, s.index) - 1];
      if (s.listItem && before && !before.listItem && before.text.endsWith(':')) chosen.add(before);
    }
  }
  return [...chosen].sort((a, b) => a.index - b.index);
}

function firstItemIndex(sentences: readonly Sentence[], index: number): number {
  let start = index;
  while (start > 0 && sentences[start - 1]?.listItem) start--;
  return start;
}

function listAround(sentences: readonly Sentence[], index: number): Sentence[] {
  const start = firstItemIndex(sentences, index);
  const out: Sentence[] = [];
  for (let i = start; i < sentences.length && sentences[i]!.listItem && out.length < MAX_LIST_ITEMS; i++) {
    out.push(sentences[i]!);
  }
  return out;
}
