import { sql } from 'drizzle-orm';
import type { Tx } from '../../../platform/db/client.js';
import { queryRows } from '../../../platform/db/query-rows.js';
import type { SearchHit } from '../search/search-hit.js';

/** A query embedded with a model; only chunk vectors of the same model and size are compared. */
export type QueryVector = { model: string; embedding: number[] };

/**
 * Nearest chunks by cosine distance (pgvector's `<=>`, casting the stored real[] to `vector`),
 * over the org's current-version chunks of ready sources, optionally within some sources.
 * Requires pgvector (callers check the database's capabilities first).
 *
 * Exact search (brute force), no ANN index, on purpose: the search is always filtered by org
 * (and often by source), which an HNSW or IVFFlat index could only apply after picking its
 * candidates from every tenant's vectors (losing recall for small orgs), and vectors of
 * different models and sizes share the column while an index needs one fixed size. The primary
 * key (org_id, chunk_id, model) narrows the scan to one org's vectors.
 *
 * Cost grows with the org's chunk count; reading the vectors dominates. Measured on PGlite with
 * 768-dimension vectors: ~0.35–0.5 s per query at 50,000 chunks; roughly linear, so some 40 ms
 * at 5,000 (a typical help centre). Beyond that, the next step is an HNSW expression index per
 * model, created where pgvector and the size are known, with pgvector's iterative index scans
 * for the filters.
 *
 * `score` is the cosine similarity (1 - distance), in [-1, 1].
 */
export async function searchVectors(
  tx: Tx,
  orgId: string,
  query: QueryVector,
  k: number,
  options: { sourceIds?: readonly string[] } = {},
): Promise<SearchHit[]> {
  if (options.sourceIds && options.sourceIds.length === 0) return [];
  const dimensions = query.embedding.length;
  const rows = await queryRows<{
    chunk_id: string;
    source_id: string;
    title: string;
    heading_path: string;
    content: string;
    url: string | null;
    distance: number;
  }>(
    tx,
    sql`select c.id as chunk_id, c.source_id, c.title, c.heading_path, c.content,
               coalesce(c.url, s.url) as url,
               (e.embedding::vector <=> ${`[${query.embedding.join(',')}]`}::vector)::float8 as distance
        from knowledge_embeddings e
        join knowledge_chunks c on c.org_id = e.org_id and c.id = e.chunk_id
        join knowledge_sources s
          on s.org_id = c.org_id and s.id = c.source_id and (s.status = 'ready' or s.last_indexed_at is not null) and c.version = s.version
        where e.org_id = ${orgId} and e.model = ${query.model} and e.dimensions = ${dimensions}
          ${
            options.sourceIds
              ? sql`and c.source_id in (select jsonb_array_elements_text(${JSON.stringify(options.sourceIds)}::jsonb)::uuid)`
              : sql``
          }
        order by distance, c.id
        limit ${k}`,
  );
  // A zero vector (stored or asked) has no direction: its distance is NaN, and it matches nothing.
  return rows
    .filter((r) => Number.isFinite(Number(r.distance)))
    .map((r) => ({
      chunkId: r.chunk_id,
      sourceId: r.source_id,
      title: r.title,
      headingPath: r.heading_path,
      content: r.content,
      url: r.url,
      score: 1 - Number(r.distance),
    }));
}
