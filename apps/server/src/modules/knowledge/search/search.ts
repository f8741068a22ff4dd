import type { Tx } from '../../../platform/db/client.js';
import { fuseRankings, fusionDepth } from '../embeddings/fuse-rankings.js';
import { type QueryVector, searchVectors } from '../embeddings/vector-search.js';
import { loadQueryTerms } from './query-terms.js';
import { questionCues } from './query-words.js';
import { rankChunks } from './rank-chunks.js';
import type { SearchHit, SearchHitWithSnippet, SearchHitWithTerms, SearchScope } from './search-hit.js';
import { selectSnippets } from './snippet.js';
import { hitTermMatches } from './term-matches.js';

export type SearchOptions = {
  /** How many hits, best first. */
  k: number;
  /** Only these sources (an agent's); absent = all the org's sources; an empty list finds nothing. */
  scope?: SearchScope;
  /**
   * The query's embedding from embedQuery, computed before the transaction opened: the lexical
   * and vector rankings are then fused (RRF). Absent or null (embeddings off, no pgvector, the
   * provider failed): lexical only.
   */
  vector?: QueryVector | null;
  /** Also build each hit's snippet (its best-matching sentence, else its start). */
  snippets?: boolean;
  /** Also say, per hit, where it contains each query term (for an answer's confidence gate). */
  terms?: boolean;
};

/**
 * The one way to search an org's knowledge: its searchable chunks (the current version of each
 * ready source, within the scope) ranked for a query as visitors type it. The query's terms are
 * read once (the org's vocabulary, synonyms and typo repair: query-terms.ts) and serve the
 * lexical ranking (rank-chunks.ts) and the snippets alike. With a vector, each side contributes
 * fusionDepth(k) candidates and their fusion is cut to k. Snippets, or per-term matches, only when
 * asked, in the type too.
 */
export async function search(
  tx: Tx,
  orgId: string,
  query: string,
  options: SearchOptions & { terms: true; snippets?: false },
): Promise<SearchHitWithTerms[]>;
export async function search(
  tx: Tx,
  orgId: string,
  query: string,
  options: SearchOptions & { snippets: true },
): Promise<SearchHitWithSnippet[]>;
export async function search(
  tx: Tx,
  orgId: string,
  query: string,
  options: SearchOptions & { snippets?: false },
): Promise<SearchHit[]>;
export async function search(
  tx: Tx,
  orgId: string,
  query: string,
  options: SearchOptions,
): Promise<SearchHit[] | SearchHitWithSnippet[] | SearchHitWithTerms[]> {
  const { k, scope = {}, vector } = options;
  if (scope.sourceIds && scope.sourceIds.length === 0) return [];
  const terms = await loadQueryTerms(tx, orgId, query);
  const cues = questionCues(query);
  let hits: SearchHit[];
  if (vector) {
    const depth = fusionDepth(k);
    const lexical = await rankChunks(tx, orgId, terms, depth, scope, cues);
    const nearest = await searchVectors(tx, orgId, vector, depth, scope);
    hits = fuseRankings([lexical, nearest]).slice(0, k);
  } else {
    hits = await rankChunks(tx, orgId, terms, k, scope, cues);
  }
  if (options.terms) {
    const matches = await hitTermMatches(tx, orgId, terms, hits);
    return hits.map((hit, i) => ({ ...hit, terms: [], headingLexemes: 0, ...matches[i] }));
  }
  if (!options.snippets) return hits;
  const snippets = await selectSnippets(tx, terms, hits);
  return hits.map((hit, i) => ({ ...hit, snippet: snippets[i] ?? '' }));
}
