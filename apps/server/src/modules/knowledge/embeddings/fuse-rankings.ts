import type { SearchHit } from '../search/search-hit.js';

/**
 * Hybrid retrieval fuses the lexical ranking (search/rank-chunks.ts) and the vector ranking
 * (vector-search.ts) by reciprocal rank fusion (RRF, k = 60); search/search.ts does it when given
 * the query's embedding.
 */
export const RRF_K = 60;
/** Each side contributes this many candidates (at least k): fusion needs depth beyond the top k. */
export const fusionDepth = (k: number) => Math.min(100, Math.max(3 * k, 30));

/**
 * Reciprocal rank fusion: each list gives a hit 1 / (RRF_K + rank) (rank from 1); the sums
 * order the result. `score` is that sum divided by its maximum (first in every list), so it stays
 * in (0, 1] like the lexical score. Ties: better best rank, then earlier list, then chunk id.
 * Pure; the first list's copy of a hit is kept.
 */
export function fuseRankings(lists: readonly (readonly SearchHit[])[]): SearchHit[] {
  const fused = new Map<string, { hit: SearchHit; sum: number; bestRank: number; firstList: number }>();
  lists.forEach((list, listIndex) => {
    list.forEach((hit, i) => {
      const rank = i + 1;
      const entry = fused.get(hit.chunkId);
      if (entry) {
        entry.sum += 1 / (RRF_K + rank);
        entry.bestRank = Math.min(entry.bestRank, rank);
      } else {
        fused.set(hit.chunkId, { hit, sum: 1 / (RRF_K + rank), bestRank: rank, firstList: listIndex });
      }
    });
  });
  const max = lists.length / (RRF_K + 1);
  return [...fused.values()]
    .sort(
      (a, b) =>
        b.sum - a.sum ||
        a.bestRank - b.bestRank ||
        a.firstList - b.firstList ||
        (a.hit.chunkId < b.hit.chunkId ? -1 : a.hit.chunkId > b.hit.chunkId ? 1 : 0),
    )
    .map((entry) => ({ ...entry.hit, score: max > 0 ? entry.sum / max : 0 }));
}
