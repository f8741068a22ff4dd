import { describe, expect, it } from 'vitest';
import type { SearchHit } from '../search/search-hit.js';
import { fuseRankings, RRF_K } from './fuse-rankings.js';

const hit = (chunkId: string, score = 0.5): SearchHit => ({
  chunkId,
  sourceId: 's',
  title: chunkId,
  headingPath: '',
  content: '',
  url: null,
  score,
});

describe('reciprocal rank fusion', () => {
  it('sums 1/(60 + rank) over the lists and normalises so first-in-every-list scores 1', () => {
    const fused = fuseRankings([
      [hit('a'), hit('b'), hit('c')],
      [hit('b'), hit('d'), hit('a')],
    ]);
    expect(fused.map((h) => h.chunkId)).toEqual(['b', 'a', 'd', 'c']);
    const max = 2 / (RRF_K + 1);
    expect(fused[0]!.score).toBeCloseTo((1 / (RRF_K + 2) + 1 / (RRF_K + 1)) / max, 12);
    expect(fused[1]!.score).toBeCloseTo((1 / (RRF_K + 1) + 1 / (RRF_K + 3)) / max, 12);
    expect(fuseRankings([[hit('x')], [hit('x')]])[0]!.score).toBe(1);
  });

  it('breaks ties by best rank, then the earlier list, and keeps the first list’s copy of a hit', () => {
    // 'l' is first lexically, 'v' first by vector: equal sums and best ranks; lexical wins.
    const fused = fuseRankings([[hit('l', 0.9)], [hit('v', 0.1)]]);
    expect(fused.map((h) => h.chunkId)).toEqual(['l', 'v']);
    const kept = fuseRankings([[hit('a', 0.9)], [{ ...hit('a', 0.1), title: 'other copy' }]]);
    expect(kept).toHaveLength(1);
    expect(kept[0]!.title).toBe('a');
  });

  it('handles empty lists and one-sided results', () => {
    expect(fuseRankings([[], []])).toEqual([]);
    expect(fuseRankings([[], [hit('v1'), hit('v2')]]).map((h) => h.chunkId)).toEqual(['v1', 'v2']);
  });
});
