import type { SearchLanguage } from '../../../platform/db/schema/index.js';

/** A passage found by search: a chunk of the current version of a ready source. */
export type SearchHit = {
  chunkId: string;
  sourceId: string;
  title: string;
  headingPath: string;
  content: string;
  url: string | null;
  /**
   * Relevance in [0, 1]. Lexical: the share of the query's information (IDF-weighted terms) that
   * the chunk (and, for a quarter, its source) matches, scaled by where it matches: every term
   * found once in the body gives 0.5, in the title 1; missing half the rare words halves it.
   * Hybrid: the fused reciprocal-rank score, scaled so that first in both rankings is 1.
   */
  score: number;
};

/** A hit with a short plain-text preview around its best-matching sentence. */
export type SearchHitWithSnippet = SearchHit & { snippet: string };

/** Restricts a search to some sources (an agent's); absent = all the org's sources. */
export type SearchScope = { sourceIds?: readonly string[] };

/**
 * One of the query's terms as search read it (its words stemmed, stop words dropped, synonyms and
 * typo repairs applied), and where a hit contains it. For judging whether a hit answers the query
 * from the same terms and the same IDF the ranking used.
 */
export type HitTerm = {
  /** tsquery text of the term, built from lexemes only (matchTermsInTexts matches it in other text). */
  query: string;
  /** BM25 IDF over the org's chunks (lower for a repaired word). */
  idf: number;
  /** About how many chunks contain it. */
  df: number;
  /** How many chunks the org's knowledge has (the N of the IDF). */
  chunks: number;
  /** Its lexemes (every language's stem of its words), to recognise a word whatever its form. */
  lexemes: string[];
  /** The text-search languages of the org's knowledge. */
  languages: SearchLanguage[];
  /** The visitor's word was repaired to reach this term (a guess): its cost, 0 = as typed. */
  repairCost: number;
  inTitle: boolean;
  inHeading: boolean;
  inBody: boolean;
  /** Anywhere in the hit's source (the same version), this chunk included. */
  inSource: boolean;
  /** In the hit's own heading (the last of its heading path, else its title). */
  inOwnHeading: boolean;
};

/** A hit with every query term and where the hit contains it (search option `terms`). */
export type SearchHitWithTerms = SearchHit & {
  terms: HitTerm[];
  /** How many distinct lexemes (stop words not counted) the hit's own heading has. */
  headingLexemes: number;
};
