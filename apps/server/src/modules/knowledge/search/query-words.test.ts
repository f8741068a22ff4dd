import { describe, expect, it } from 'vitest';
import { letterDigitTokens } from './query-terms.js';
import { editDistance, MAX_CUES, MAX_QUERY_WORDS, queryWords, questionCues } from './query-words.js';
import { maxEdits } from './typo-correction.js';

describe('queryWords', () => {
  it('lower-cases, keeps hyphenated words and writes contractions out, with or without the apostrophe', () => {
    expect(queryWords('Bike WONT unlock, cant log in… E-Bike?')).toEqual([
      'bike',
      'will',
      'not',
      'unlock',
      'can',
      'not',
      'log',
      'in',
      'e-bike',
    ]);
    expect(queryWords('it’s whats up')).toEqual(['it', 'is', 'what', 'is', 'up']);
    // "i'm" must not leave a term "m" (the size M) behind; "ill" and "its" are words of their own.
    expect(queryWords("I'm between sizes, im ill, its fine")).toEqual([
      'i',
      'am',
      'between',
      'sizes',
      'i',
      'am',
      'ill',
      'its',
      'fine',
    ]);
  });

  it('splits a French verb from the pronoun that follows it, dropping an auxiliary, and keeps other hyphenated words whole', () => {
    expect(queryWords('Quand serai-je remboursé ? Puis-je payer, a-t-il dit, livrez-vous')).toEqual([
      'quand',
      'je',
      'remboursé',
      'je',
      'payer',
      'il',
      'dit',
      'livrez',
      'vous',
    ]);
    expect(queryWords('e-bike wi-fi')).toEqual(['e-bike', 'wi-fi']);
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

describe('questionCues', () => {
  it('keeps question words, alone and with the word after them, which queryWords drops as filler', () => {
    expect(questionCues('How much is council tax?')).toEqual([['how'], ['how', 'much']]);
    expect(questionCues('who can get a permit')).toEqual([['who'], ['who', 'can'], ['can'], ['can', 'get']]);
    expect(questionCues('Do I need a licence')).toEqual([['do'], ['do', 'i']]);
    // "do" opens a question only at the start; plain keywords have no cues.
    expect(questionCues('what to do')).toEqual([['what'], ['what', 'to']]);
    expect(questionCues('council tax bands')).toEqual([]);
    expect(questionCues('Combien coûte le permis ?')).toEqual([['combien'], ['combien', 'coûte']]);
    expect(questionCues('how how how how how how how what where who')).toHaveLength(MAX_CUES);
  });
});

describe('letterDigitTokens', () => {
  it('finds letters followed by digits, in one word or two', () => {
    expect(letterDigitTokens(['covid-19', 'rules'])).toEqual([
      { at: 0, span: 1, letters: 'covid', digits: '19' },
    ]);
    expect(letterDigitTokens(['covid19'])).toEqual([{ at: 0, span: 1, letters: 'covid', digits: '19' }]);
    expect(letterDigitTokens(['covid', '19'])).toEqual([{ at: 0, span: 2, letters: 'covid', digits: '19' }]);
    expect(letterDigitTokens(['19', 'covid', 'e-bike'])).toEqual([]);
  });
});
