import { describe, expect, it } from 'vitest';
import { buildSnippet, plainSentences, SNIPPET_MAX } from '../search/snippet.js';
import { titleFromFileName } from '../sources/extract.js';
import { decodeText } from '../sources/extractors/decode-text.js';
import { ExtractionError } from '../sources/extractors/types.js';
import { markdownToPlain, stripInlineMarkdown } from './markdown-to-plain.js';
import { splitProse, splitSentences, splitWords } from './split-sentences.js';

const reasonOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error instanceof ExtractionError ? error.reason : 'not an ExtractionError';
  }
  return 'no error';
};

describe('splitSentences', () => {
  it('splits on terminators followed by a capitalised start, keeping decimals and abbreviations whole', () => {
    expect(
      splitSentences('Hello there. It costs $3.50, e.g. on Mondays. Dr. Smith agrees! Really? yes, really.'),
    ).toEqual([
      'Hello there.',
      'It costs $3.50, e.g. on Mondays.',
      'Dr. Smith agrees!',
      'Really? yes, really.',
    ]);
    expect(splitSentences('He said "Stop." Then left.')).toEqual(['He said "Stop."', 'Then left.']);
    expect(splitSentences('日本語です。次の文です。')).toEqual(['日本語です。', '次の文です。']);
    expect(splitSentences('  ')).toEqual([]);
  });

  it('splitWords and splitProse respect their maximum', () => {
    expect(splitWords('aa bb cc dd', 5)).toEqual(['aa bb', 'cc dd']);
    expect(splitWords('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
    const prose = 'First sentence here. Second sentence here. Third one.';
    expect(splitProse(prose, 45)).toEqual(['First sentence here. Second sentence here.', 'Third one.']);
    expect(splitProse(prose, 1000)).toEqual([prose]);
  });
});

describe('markdown to plain text', () => {
  it('removes markup a reader does not see and keeps the words', () => {
    expect(
      stripInlineMarkdown(
        '**Bold**, _it_, `code`, [link](https://x.example) and ![alt](a.png) snake_case 2*3',
      ),
    ).toBe('Bold, it, code, link and alt snake_case 2*3');
    expect(
      markdownToPlain(
        '## Title\n\n- one\n- [x] two\n\n> quote\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```js\nx()\n```',
      ),
    ).toBe('Title\n\none\ntwo\n\nquote\n\na · b\n1 · 2\n\nx()');
  });
});

describe('snippets', () => {
  it('widens the best sentence with its neighbours up to the limit, marking cuts with …', () => {
    const sentences = ['Alpha one.', 'Beta two.', 'Gamma three.', 'Delta four.'];
    expect(buildSnippet(sentences, 1, [], 1000)).toBe('Alpha one. Beta two. Gamma three. Delta four.');
    expect(buildSnippet(sentences, 2, [], 26)).toBe('…Gamma three. Delta four.');
    expect(buildSnippet(sentences, 1, [], 24)).toBe('…Beta two. Gamma three.…');
  });

  it('cuts a long best sentence around its matching word', () => {
    const long =
      `${'filler words '.repeat(40)}the refund arrives quickly ${'more filler '.repeat(40)}`.trim();
    const snippet = buildSnippet([long], 0, ['refund']);
    expect(snippet.length).toBeLessThanOrEqual(SNIPPET_MAX);
    expect(snippet).toContain('the refund arrives quickly');
    expect(snippet.startsWith('…')).toBe(true);
    expect(snippet.endsWith('…')).toBe(true);
  });

  it('reads a chunk as plain sentences, list items and table rows included', () => {
    expect(plainSentences('Intro text. Second **bold** one.\n\n- item a\n- item b')).toEqual([
      'Intro text.',
      'Second bold one.',
      'item a',
      'item b',
    ]);
  });
});

describe('extract', () => {
  it('takes a fallback title from the file name', () => {
    expect(titleFromFileName('C:\\docs\\Return policy.md')).toBe('Return policy');
    expect(titleFromFileName('dir/notes.v2.txt')).toBe('notes.v2');
    expect(titleFromFileName('.md')).toBe('.md');
  });

  it('decodes UTF-8 and UTF-16 text, drops a BOM, normalises line endings and refuses what is not text', () => {
    expect(decodeText(Buffer.from('\uFEFFhé\r\nllo\rx'))).toBe('hé\nllo\nx');
    expect(decodeText(Buffer.from('\uFEFFhé', 'utf16le'))).toBe('hé');
    expect(reasonOf(() => decodeText(new Uint8Array()))).toBe('empty');
    expect(reasonOf(() => decodeText(Buffer.from(' \n\t')))).toBe('empty');
    expect(reasonOf(() => decodeText(new Uint8Array([0x61, 0, 0x62])))).toBe('unsupported');
    expect(reasonOf(() => decodeText(new Uint8Array([0x61, 0xc3, 0x28])))).toBe('unsupported');
    expect(reasonOf(() => decodeText(Buffer.from('ab\u0001\u0002\u0003\u0004')))).toBe('unsupported');
    expect(decodeText(Buffer.from(`${'ok '.repeat(200)}\u001b`))).toContain('ok');
  });
});
