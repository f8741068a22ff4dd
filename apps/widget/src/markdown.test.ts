import { describe, expect, it } from 'vitest';
import { parseInline, parseMarkdown } from './markdown.js';

describe('parseMarkdown', () => {
  it('splits paragraphs, headings and lists', () => {
    const blocks = parseMarkdown(
      '## Refunds\n\nWe refund in **5–7 days**.\nBanks vary.\n\n- Card\n- PayPal\n\n1. One\n2. Two',
    );
    expect(blocks.map((b) => b.kind)).toEqual(['heading', 'paragraph', 'list', 'list']);
    const paragraph = blocks[1];
    expect(paragraph?.kind === 'paragraph' && paragraph.lines.length).toBe(2);
    const ordered = blocks[3];
    expect(ordered?.kind === 'list' && ordered.ordered && ordered.items.length).toBe(2);
  });

  it('never turns a non-http link into an anchor', () => {
    const inlines = parseInline('[click](javascript:alert(1)) and [docs](https://example.com/a)');
    expect(inlines.filter((i) => i.kind === 'link')).toEqual([
      { kind: 'link', text: 'docs', href: 'https://example.com/a' },
    ]);
    expect(inlines[0]).toEqual({ kind: 'text', text: 'click' });
  });

  it('keeps markup-like text as text', () => {
    expect(parseInline('<img src=x onerror=alert(1)> `a<b`')).toEqual([
      { kind: 'text', text: '<img src=x onerror=alert(1)> ' },
      { kind: 'code', text: 'a<b' },
    ]);
  });
});
