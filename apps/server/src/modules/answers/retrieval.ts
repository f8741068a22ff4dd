import { sql } from 'drizzle-orm';
import type { Tx } from '../../platform/db/client.js';
import { queryRows } from '../../platform/db/query-rows.js';
import { type QueryVector, type SearchHit, search } from '../knowledge/index.js';
import { matchedTerms, questionTerms, stemSet } from './text.js';

/**
 * Retrieval plus a confidence judgement.
 *
 * Lexical search ORs the question's words, so it nearly always returns *something* that shares a
 * word with the question — often only a word found everywhere in the knowledge base (the
 * company's name, "order", "lamp"). Confidence is therefore judged per passage on two signals:
 *
 * - coverage: the IDF-weighted share of the question's terms that the passage contains, where a
 *   term's weight falls with the number of passages it occurs in; a term found nowhere weighs
 *   most (it may be the crux — "Who is the CEO?" — and no passage can answer it). Terms found
 *   in the passage's headings count double, in its title 1.5 times (the gate caps the share at
 *   1): they say what the passage is about, not just what it mentions.
 * - informative match: the passage must contain at least one question term that is rare in the
 *   knowledge base (in at most 30% of passages, or at most 2 in a tiny one), or a question term in
 *   its own title or headings, so a match on the company's name in passing is never enough.
 *
 * Calibrated on two help centres: the Lumen fixture (testing/help-center.ts, 28 answerable and
 * 12 unanswerable questions; retrieval.test.ts keeps it true) and, as a check, the demo's
 * Northwind articles (23 answerable, 10 unanswerable questions written for the check).
 * Thresholds 0.4–0.6 were compared: at 0.5, Lumen answers 27 of 28 from the right article (one
 * from a wrong one, none declined) and declines 11 of 12; Northwind answers 19 of 23 right (2
 * wrong, 2 declined) and declines 6 of 10. Lower thresholds answer more unanswerable questions,
 * higher ones start declining real ones ("what's your phone number", 0.58). The misses left are
 * lexical coincidences ("guided hikes" ~ "Sizing guide", "hiking boots") that word matching
 * cannot tell apart; the model path is the remedy.
 */
export const CONFIDENCE_THRESHOLD = 0.5;
const INFORMATIVE_SHARE = 0.3;
const HEADING_BOOST = 2;
const TITLE_BOOST = 1.5;

export type RankedPassage = SearchHit & {
  /** The question's terms found in the passage (title, headings or body). */
  matched: string[];
  /** IDF-weighted share of the question's terms found in the passage (headings and title boosted). */
  coverage: number;
  /** The passage contains at least one of the question's rare terms. */
  informative: boolean;
};

export type Retrieval = {
  terms: string[];
  /** Best first: by strength (see strengthOf), then by search rank. */
  passages: RankedPassage[];
  confident: boolean;
};

/** Passage strength used for ranking (0 when not informative; may exceed 1). */
export const strengthOf = (p: RankedPassage) => (p.informative ? p.coverage : 0);

/**
 * With `queryVector` (the question's embedding from embedQuery, computed before the transaction),
 * passages come from hybrid search (lexical and vector rankings fused); without, from lexical
 * search. `sourceIds` limits them to an agent's sources. The confidence judgement below is the
 * same for both: a passage found only by its vector shares no informative term with the
 * question, so it ranks after the informative ones and never makes retrieval confident on its
 * own; fusion lifts passages that both rankings agree on.
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
  const termWords = questionTerms(question);
  const terms = [...termWords.keys()];
  const hits =
    terms.length === 0
      ? []
      : await search(tx, orgId, question, {
          k,
          vector: options.queryVector ?? null,
          ...(options.sourceIds ? { scope: { sourceIds: options.sourceIds } } : {}),
        });
  if (hits.length === 0) return { terms, passages: [], confident: false };

  const stats = await termStats(tx, orgId, termWords);
  const total = terms.reduce((sum, t) => sum + (stats.get(t)?.weight ?? 0), 0);
  const passages = hits
    .map((hit, rank) => {
      const body = stemSet(`${hit.title} ${hit.headingPath} ${hit.content}`);
      const heading = stemSet(hit.headingPath);
      const title = stemSet(hit.title);
      const matched = matchedTerms(terms, body);
      let weight = 0;
      let informative = false;
      for (const t of matched) {
        const s = stats.get(t);
        if (!s) continue;
        const boost =
          matchedTerms([t], heading).length > 0
            ? HEADING_BOOST
            : matchedTerms([t], title).length > 0
              ? TITLE_BOOST
              : 1;
        weight += s.weight * boost;
        // A common term still informs when the passage is *about* it (title or heading):
        // "where is my order" is answered by "Order tracking", though "order" is everywhere.
        if (s.rare || (boost > 1 && s.weight > 0)) informative = true;
      }
      // Uncapped, so that sections of one article (which share its title) still rank apart.
      const coverage = total > 0 ? weight / total : 0;
      return { ...hit, matched, coverage, informative, rank };
    })
    .sort((a, b) => strengthOf(b) - strengthOf(a) || a.rank - b.rank)
    .map(({ rank: _rank, ...passage }) => passage);
  const best = passages[0]!;
  return { terms, passages, confident: strengthOf(best) >= CONFIDENCE_THRESHOLD };
}

/**
 * Per term: its inverse document frequency over the org's passages, ln((N + 1) / (df + 0.5)),
 * and whether it is rare. Document frequency uses the database's stemmer, like the search
 * itself; a word the database treats as a stopword carries no weight.
 */
async function termStats(
  tx: Tx,
  orgId: string,
  termWords: Map<string, string>,
): Promise<Map<string, { weight: number; rare: boolean }>> {
  const list = [...termWords.entries()].map(([term, word]) => ({ term, word }));
  const rows = await queryRows<{ term: string; df: number; n: number; empty: boolean }>(
    tx,
    sql`with t as (
          select e->>'term' as term, plainto_tsquery('english', e->>'word') as q
          from jsonb_array_elements(${JSON.stringify(list)}::jsonb) as e
        ),
        n as (select count(*)::int as n from knowledge_chunks where org_id = ${orgId})
        select t.term, numnode(t.q) = 0 as empty, n.n,
               (select count(*)::int from knowledge_chunks c
                 where numnode(t.q) > 0 and c.org_id = ${orgId} and c.search_vector @@ t.q) as df
        from t cross join n`,
  );
  const stats = new Map<string, { weight: number; rare: boolean }>();
  for (const r of rows) {
    const n = Number(r.n);
    const df = Number(r.df);
    stats.set(r.term, {
      weight: r.empty ? 0 : Math.log((n + 1) / (df + 0.5)),
      rare: !r.empty && df > 0 && df <= Math.max(2, INFORMATIVE_SHARE * n),
    });
  }
  return stats;
}
