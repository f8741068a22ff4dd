import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { queryRows } from '../../db/query-rows.js';
import { lexemeQuery } from './lexeme-query.js';
import { selectSnippets } from './snippet.js';

export type SearchHit = {
  chunkId: string;
  sourceId: string;
  title: string;
  headingPath: string;
  content: string;
  url: string | null;
  /**
   * Relevance in [0, 1]: the share of the query's information (IDF-weighted words) that the chunk
   * matches, scaled by where it matches (body 0.5, heading 0.8, title 1.0, more with repetition).
   * Every query word found once in the body gives about 0.3; half the rare words missing halves it.
   */
  score: number;
};

export type SearchHitWithSnippet = SearchHit & { snippet: string };

/** A stemmed query word and how informative it is in this org's knowledge (BM25 IDF). */
export type QueryTerm = { lexeme: string; idf: number };

/** At most this many distinct query words are used; a 500-character question has far fewer. */
const MAX_TERMS = 64;

/**
 * The query's words as the index sees them (to_tsvector: English stemming, stop words dropped),
 * each with its inverse document frequency over the org's chunks. A question made only of stop
 * words ("how do I?") yields no terms, and so no results.
 */
export async function loadQueryTerms(tx: Tx, orgId: string, query: string): Promise<QueryTerm[]> {
  const rows = await queryRows<{ lexeme: string; idf: number }>(
    tx,
    sql`with terms as (
          select lexeme, ${lexemeQuery(sql`lexeme`)} as q
          from unnest(tsvector_to_array(to_tsvector('english', ${query}))) as lexeme
          limit ${MAX_TERMS}
        ),
        corpus as (select count(*)::float8 as n from knowledge_chunks where org_id = ${orgId})
        select t.lexeme, ln(1 + (corpus.n - df.n + 0.5) / (df.n + 0.5))::float8 as idf
        from terms t
        cross join corpus
        cross join lateral (
          select count(*)::float8 as n from knowledge_chunks c where c.org_id = ${orgId} and c.search_vector @@ t.q
        ) df`,
  );
  return rows.map((r) => ({ lexeme: r.lexeme, idf: Number(r.idf) }));
}

/**
 * Ranks the org's ready chunks against query terms. Visitors type questions, not keyword lists,
 * so a chunk needs to match only some of the words (requiring all of them fails on most real
 * questions); each matched word adds its IDF times ts_rank of that word alone (title A > heading
 * B > body D, with diminishing returns for repetition), and the sum is divided by the query's
 * total IDF. Rare words therefore decide the ranking, and words no chunk contains lower the score
 * without excluding anything.
 */
export async function rankChunks(tx: Tx, orgId: string, terms: QueryTerm[], k: number): Promise<SearchHit[]> {
  if (terms.length === 0) return [];
  const rows = await queryRows<{
    chunk_id: string;
    source_id: string;
    title: string;
    heading_path: string;
    content: string;
    url: string | null;
    score: number;
  }>(
    tx,
    sql`with terms as (
          select (t->>'idf')::float8 as idf, ${lexemeQuery(sql`(t->>'lexeme')`)} as q
          from jsonb_array_elements(${JSON.stringify(terms)}::jsonb) as t
        ),
        total as (select sum(idf) as idf from terms),
        matches as (
          select c.id, sum(t.idf * ts_rank('{0.5, 0.6, 0.8, 1.0}'::float4[], c.search_vector, t.q, 0)) as weight
          from knowledge_chunks c
          join terms t on c.search_vector @@ t.q
          where c.org_id = ${orgId}
          group by c.id
        )
        select c.id as chunk_id, c.source_id, c.title, c.heading_path, c.content, s.url,
               (m.weight / nullif(total.idf, 0))::float8 as score
        from matches m
        join knowledge_chunks c on c.org_id = ${orgId} and c.id = m.id
        join knowledge_sources s on s.org_id = c.org_id and s.id = c.source_id and s.status = 'ready'
        cross join total
        order by score desc nulls last, c.id
        limit ${k}`,
  );
  return rows.map((r) => ({
    chunkId: r.chunk_id,
    sourceId: r.source_id,
    title: r.title,
    headingPath: r.heading_path,
    content: r.content,
    url: r.url,
    score: Number(r.score ?? 0),
  }));
}

/** Ranked lexical search over an org's ready chunks (see rankChunks). */
export async function searchChunks(tx: Tx, orgId: string, query: string, k: number): Promise<SearchHit[]> {
  return rankChunks(tx, orgId, await loadQueryTerms(tx, orgId, query), k);
}

/** searchChunks plus, for each hit, a short plain-text snippet around its best-matching sentence. */
export async function searchChunksWithSnippets(
  tx: Tx,
  orgId: string,
  query: string,
  k: number,
): Promise<SearchHitWithSnippet[]> {
  const terms = await loadQueryTerms(tx, orgId, query);
  const hits = await rankChunks(tx, orgId, terms, k);
  const snippets = await selectSnippets(tx, terms, hits);
  return hits.map((hit, i) => ({ ...hit, snippet: snippets[i] ?? '' }));
}
