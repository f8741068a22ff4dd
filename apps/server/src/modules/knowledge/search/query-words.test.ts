import { describe, expect, it } from 'vitest';
import { editDistance, MAX_QUERY_WORDS, queryWords } from './query-words.js';
import { maxEdits } from './typo-correction.js';

describe('queryWords', () => {
  it('lower-cases, keeps hyphenated words and restores apostrophes in contractions', () => {
    expect(queryWords('Bike WONT unlock, cant log in… E-Bike?')).toEqual([
      'bike',
      "won't",
      'unlock',
      "can't",
      'log',
      'in',
      'e-bike',
    ]);
    expect(queryWords('it’s whats up')).toEqual(["it's", "what's", 'up']);
  });

  it('drops filler that says nothing about the topic, keeps function words for the database to judge', () => {
    expect(queryWords('Hi, I would like to know how much an ebike costs please')).toEqual([
      'i',
      'like',
      'to',
      'how',
      'an',
      'ebike',
      'costs',
    ]);
    expect(queryWords('hello?? thanks!!')).toEqual([]);
    expect(queryWords('?? !!! ...')).toEqual([]);
  });

  it('keeps words that look like filler only without context: ids, numbers, months', () => {
    expect(queryWords('id check in May for 2 bikes')).toEqual([
      'id',
      'check',
      'in',
      'may',
      'for',
      '2',
      'bikes',
    ]);
  });

  it(`reads at most ${MAX_QUERY_WORDS} words of a pasted paragraph`, () => {
    expect(queryWords('word '.repeat(500))).toHaveLength(MAX_QUERY_WORDS);
  });
});

describe('editDistance (optimal string alignment)', () => {
  it.each([
    ['receiv', 'reciev', 1],
    ['account', 'acount', 1],
    ['subscript', 'subscrpt', 1],
    ['cancel', 'cancl', 1],
    ['kitten', 'sitting', 3],
    ['', 'abc', 3],
    ['same', 'same', 0],
  ])('%s ↔ %s = %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });

  it('allows no repair below four letters, one up to six, two from seven', () => {
    expect([3, 4, 6, 7, 12].map(maxEdits)).toEqual([0, 1, 1, 2, 2]);
  });
});
