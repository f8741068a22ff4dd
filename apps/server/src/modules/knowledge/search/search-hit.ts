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
