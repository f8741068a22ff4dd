import { describe, expect, it } from 'vitest';
import { derivedCandidates, irregularBase } from './word-forms.js';

describe('word forms', () => {
  it('offers a stem with and without a derivational ending, as the English stemmer leaves them', () => {
    expect(derivedCandidates('expir')).toContain('expiri');
    expect(derivedCandidates('expiri')).toContain('expir');
    expect(derivedCandidates('zip')).toContain('zipper');
    expect(derivedCandidates('zipper')).toContain('zip');
    expect(derivedCandidates('cover')).toContain('coverag');
    expect(derivedCandidates('pay')).toContain('payment');
  });

  it('adds one-letter endings only to long stems (party is no form of part, nor story of store)', () => {
    expect(derivedCandidates('part')).not.toContain('parti');
    expect(derivedCandidates('stor')).not.toContain('stori');
    expect(derivedCandidates('car')).not.toContain('care');
    expect(derivedCandidates('pay')).not.toContain('paypal');
    expect(derivedCandidates('visit')).not.toContain('visitor');
  });

  it('knows the irregular forms of common verbs and nouns', () => {
    expect(irregularBase('broke')).toBe('break');
    expect(irregularBase('worn')).toBe('wear');
    expect(irregularBase('feet')).toBe('foot');
    expect(irregularBase('break')).toBeUndefined();
  });
});
