import type { CallSegment } from '@confidant/contract';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalise, verifyEvidence } from './verify-evidence.js';

const WORDS = ['price', 'team', 'demo', 'Tuesday', "don't", 'twelve', 'agents', 'budget', 'renewal', 'Acme'];

describe('verifyEvidence (properties)', () => {
  const segments = fc
    .array(fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 8 }), {
      minLength: 1,
      maxLength: 6,
    })
    .map((lines) =>
      lines.map(
        (words, index): CallSegment => ({
          index,
          start: index * 10,
          end: index * 10 + 5,
          speaker: index % 2 ? 'B' : 'A',
          text: `${words.join(', ')}.`,
        }),
      ),
    );

  it('finds any run of a segment’s words, whatever the case, punctuation or cited index, with the stored timings', () => {
    fc.assert(
      fc.property(
        segments.chain((list) =>
          fc.tuple(
            fc.constant(list),
            fc.nat({ max: list.length - 1 }),
            fc.nat(),
            fc.nat(),
            fc.integer({ min: -2, max: 8 }),
          ),
        ),
        ([list, which, a, b, citedIndex]) => {
          const words = list[which]!.text.replace(/[.,]/g, '').split(' ');
          const from = a % words.length;
          const to = from + (b % (words.length - from)) + 1;
          const quote = `  ${words.slice(from, to).join(' ').toUpperCase()}!? `;
          const [found] = verifyEvidence([{ segmentIndex: citedIndex, quote }], list);
          expect(found).toBeDefined();
          const segment = list.find((s) => s.index === found!.segmentIndex)!;
          expect({ start: found!.start, end: found!.end }).toEqual({
            start: segment.start,
            end: segment.end,
          });
          // The quote kept is the transcript's own wording, a span of the segment's text.
          expect(segment.text).toContain(found!.quote);
          expect(normalise(found!.quote).text).toBe(normalise(quote).text);
          // The cited segment wins when it has the words.
          const cited = list.find((s) => s.index === citedIndex);
          if (cited && normalise(cited.text).text.includes(normalise(quote).text)) {
            expect(found!.segmentIndex).toBe(citedIndex);
          }
        },
      ),
    );
  });

  it('never keeps words that are in no segment', () => {
    fc.assert(
      fc.property(segments, fc.integer({ min: 0, max: 5 }), (list, citedIndex) => {
        expect(verifyEvidence([{ segmentIndex: citedIndex, quote: 'refund policy' }], list)).toEqual([]);
      }),
    );
  });
});
