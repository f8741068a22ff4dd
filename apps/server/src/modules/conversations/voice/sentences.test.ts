import { describe, expect, it } from 'vitest';
import { createSentenceSplitter } from './sentences.js';

describe('sentence splitter for spoken answers', () => {
  it('hands out each sentence as soon as the text that ends it arrives, without markers or Markdown', () => {
    const splitter = createSentenceSplitter();
    expect(splitter.push('Standard shipping takes 3–5 business')).toEqual([]);
    expect(splitter.push(' days [1]. Express **arrives** next')).toEqual([
      'Standard shipping takes 3–5 business days.',
    ]);
    expect(splitter.push(' day! Anything')).toEqual(['Express arrives next day!']);
    expect(splitter.finish()).toEqual(['Anything']);
  });

  it('does not cut after a short abbreviation-like start, and cuts a run-on sentence at a space', () => {
    const splitter = createSentenceSplitter();
    expect(splitter.push('Hi. It is fine. ')).toEqual(['Hi. It is fine.']);
    const long = `${'word '.repeat(120)}end`;
    const parts = splitter.push(long);
    expect(parts.length).toBeGreaterThan(0);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(400);
    expect([...parts, ...splitter.finish()].join(' ').replace(/\s+/g, ' ')).toBe(long.trim());
  });

  it('lets the first piece end at a clause break once it is long enough, then whole sentences', () => {
    const splitter = createSentenceSplitter();
    expect(splitter.push('Yes, we ship to')).toEqual([]);
    expect(splitter.push(' every country in the European Union, usually')).toEqual([
      'Yes, we ship to every country in the European Union,',
    ]);
    expect(splitter.push(' within three days, and sometimes faster. Next')).toEqual([
      'usually within three days, and sometimes faster.',
    ]);
    expect(splitter.finish()).toEqual(['Next']);
  });
});
