import { describe, expect, it } from 'vitest';
import { citedPassages } from './model-answerer.js';
import type { RankedPassage } from './retrieval.js';

/** Which [n] markers of a model answer cite which source, as stored with the answer. */
const passage = (sourceId: string, chunkId: string, title: string, url?: string) =>
  ({ sourceId, chunkId, title, ...(url ? { url } : {}) }) as unknown as RankedPassage;

const passages = [
  passage('s-refunds', 'c1', 'Refunds', 'https://help.example/refunds'),
  passage('s-labels', 'c2', 'Return labels'),
  passage('s-refunds', 'c3', 'Refunds'),
];

describe('citedPassages', () => {
  it('records the markers of each source, two passages of one article included, runs and lists too', () => {
    expect(citedPassages('Five days [1]. Print a label [2][3]; keep it [1, 2].', passages)).toEqual([
      {
        sourceId: 's-refunds',
        chunkId: 'c1',
        title: 'Refunds',
        url: 'https://help.example/refunds',
        markers: [1, 3],
      },
      { sourceId: 's-labels', chunkId: 'c2', title: 'Return labels', markers: [2] },
    ]);
  });

  it('ignores markers in code spans and numbers beyond the passages; no marker cites every passage with none', () => {
    expect(citedPassages('Type `[2]` and wait [9].', passages)).toEqual([
      expect.objectContaining({ sourceId: 's-refunds', markers: [] }),
      expect.objectContaining({ sourceId: 's-labels', markers: [] }),
    ]);
  });
});
