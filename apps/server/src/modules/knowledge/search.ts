import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { queryRows } from '../../db/query-rows.js';

export type SearchHit = {
  chunkId: string;
  sourceId: string;
  title: string;
  headingPath: string;
  content: string;
  url: string | null;
  score: number;
};

/**
 * Ranked lexical search over an org's ready chunks.
 *
 * Visitors type questions, not keyword lists, so the query's stemmed words are OR-ed (a chunk
 * that matches some words still ranks) and ts_rank_cd rewards chunks that match more of them,
 * closer together, with title (A) and heading (B) matches weighted above body (D) matches.
 */
export async function searchChunks(tx: Tx, orgId: string, query: string, k: number): Promise<SearchHit[]> {
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
    sql`with q as (
          select to_tsquery('english', coalesce(nullif(array_to_string(tsvector_to_array(to_tsvector('english', ${query})), ' | '), ''), '')) as query
        )
        select c.id as chunk_id, c.source_id, c.title, c.heading_path, c.content, s.url,
               ts_rank_cd('{0.1, 0.2, 0.6, 1.0}', c.search_vector, q.query, 1)::float8 as score
        from knowledge_chunks c
        join knowledge_sources s on s.org_id = c.org_id and s.id = c.source_id and s.status = 'ready'
        cross join q
        where c.org_id = ${orgId} and c.search_vector @@ q.query
        order by score desc, c.id
        limit ${k}`,
  );
  return rows.map((r) => ({
    chunkId: r.chunk_id,
    sourceId: r.source_id,
    title: r.title,
    headingPath: r.heading_path,
    content: r.content,
    url: r.url,
    score: Number(r.score),
  }));
}
