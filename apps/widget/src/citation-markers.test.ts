import type { Citation } from '@confidant/contract';
import {
  hostOf,
  numberCitations,
  safeUrl,
  splitMarkers,
  withoutPartialMarker,
} from '@confidant/contract/citation-markers';
import { describe, expect, it } from 'vitest';
import { parseInline, parseMarkdown } from './markdown.js';

const source = (id: string, extra: Partial<Citation> = {}): Citation => ({
  sourceId: id,
  chunkId: `${id}-chunk`,
  title: `Article ${id}`,
  ...extra,
});

describe('numberCitations', () => {
  it('resolves markers through the citations the server recorded, numbered by source position', () => {
    // The model cited passages 3 and 1 (same article B) and 2 (article A); [7] cites nothing.
    const citations = [source('b', { markers: [3, 1] }), source('a', { markers: [2] })];
    const numbering = numberCitations('x [3] y [2] z [1] [7]', citations);
    expect(numbering.sources.map((c) => c.sourceId)).toEqual(['b', 'a']);
    expect([3, 1, 2, 7].map(numbering.numberOf)).toEqual([1, 1, 2, undefined]);
  });

  it('merges citations of one source and their markers', () => {
    const numbering = numberCitations('[1] [2]', [
      source('a', { markers: [1] }),
      source('a', { chunkId: 'other', markers: [2] }),
    ]);
    expect(numbering.sources).toHaveLength(1);
    expect([1, 2].map(numbering.numberOf)).toEqual([1, 1]);
  });

  it('without recorded markers, maps distinct markers in order of appearance when they match the sources one to one', () => {
    const numbering = numberCitations('Refunds [4]. Labels [2][4]. Code `[9]`.', [source('a'), source('b')]);
    expect([4, 2, 9].map(numbering.numberOf)).toEqual([1, 2, undefined]);
  });

  it('without recorded markers, resolves nothing when the count does not match (no guessing)', () => {
    const numbering = numberCitations('A [1]. B [2]. C [3].', [source('a'), source('b')]);
    expect([1, 2, 3].map(numbering.numberOf)).toEqual([undefined, undefined, undefined]);
    // Extractive answers: no markers at all, the sources are still listed.
    const extractive = numberCitations('Plain quoted text.', [source('a'), source('b')]);
    expect(extractive.sources).toHaveLength(2);
  });
});

describe('splitMarkers', () => {
  const numberOf = (n: number) => ({ 1: 1, 2: 2, 3: 1 })[n];

  it('turns runs of markers into display numbers, drops the space before them and unknown ones', () => {
    expect(splitMarkers('Refunds take 5 days [1]. Labels [2][3] and [1, 2] or [9] here.', numberOf)).toEqual([
      'Refunds take 5 days',
      [1],
      '. Labels',
      [2, 1],
      ' and',
      [1, 2],
      ' or',
      ' here.',
    ]);
  });

  it('leaves placeholders, years and link-like text alone', () => {
    expect(splitMarkers('Mail [EMAIL_1] in [2024] or [note]', numberOf)).toEqual([
      'Mail [EMAIL_1] in [2024] or [note]',
    ]);
  });
});

describe('citation markers in markdown', () => {
  const numberOf = (n: number) => (n <= 2 ? n : undefined);

  it('become cite inlines outside code spans; code spans keep them literally', () => {
    expect(parseInline('See `[1]` and **bold [2]** text [1][2] [5].', numberOf)).toEqual([
      { kind: 'text', text: 'See ' },
      { kind: 'code', text: '[1]' },
      { kind: 'text', text: ' and ' },
      { kind: 'strong', text: 'bold' },
      { kind: 'text', text: ' text' },
      { kind: 'cite', numbers: [1, 2] },
      { kind: 'text', text: '.' },
    ]);
  });

  it('work in lists and headings', () => {
    const blocks = parseMarkdown('## Refunds [1]\n- Card [2]', numberOf);
    expect(blocks).toEqual([
      {
        kind: 'heading',
        inlines: [
          { kind: 'text', text: 'Refunds' },
          { kind: 'cite', numbers: [1] },
        ],
      },
      {
        kind: 'list',
        ordered: false,
        items: [
          [
            { kind: 'text', text: 'Card' },
            { kind: 'cite', numbers: [2] },
          ],
        ],
      },
    ]);
  });

  it('stay text without a numbering (the greeting), and markup stays text either way', () => {
    expect(parseInline('Hi [1] <b>x</b>')).toEqual([{ kind: 'text', text: 'Hi [1] <b>x</b>' }]);
    expect(parseInline('<img src=x onerror=alert(1)> [1]', numberOf)).toEqual([
      { kind: 'text', text: '<img src=x onerror=alert(1)>' },
      { kind: 'cite', numbers: [1] },
    ]);
  });
});

describe('streaming and links', () => {
  it('holds back a partial marker at the end of a streaming answer', () => {
    expect(withoutPartialMarker('Refunds take 5 days [')).toBe('Refunds take 5 days');
    expect(withoutPartialMarker('Refunds take 5 days [1')).toBe('Refunds take 5 days');
    expect(withoutPartialMarker('days [1, 2')).toBe('days');
    expect(withoutPartialMarker('days [1] then')).toBe('days [1] then');
    expect(withoutPartialMarker('see [the')).toBe('see [the');
  });

  it('links only http(s) addresses and names their host', () => {
    expect(safeUrl('javascript:alert(1)')).toBeUndefined();
    expect(safeUrl('data:text/html,x')).toBeUndefined();
    expect(safeUrl(undefined)).toBeUndefined();
    expect(safeUrl('https://help.example.com/a')).toBe('https://help.example.com/a');
    expect(hostOf('https://www.help.example.com/a?b')).toBe('help.example.com');
    expect(hostOf('not a url')).toBe('');
  });
});
