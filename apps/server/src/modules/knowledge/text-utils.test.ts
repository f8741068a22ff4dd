import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors.js';
import { decodeTextFile, formatFromFileName, titleFromFileName } from './extract.js';
import { markdownToPlain, stripInlineMarkdown } from './markdown-to-plain.js';
import { buildSnippet, plainSentences, SNIPPET_MAX } from './snippet.js';
import { splitProse, splitSentences, splitWords } from './split-sentences.js';

const statusOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error instanceof AppError ? error.status : 'not an AppError';
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
  it('accepts .txt, .md and .markdown by name and refuses others with 415', () => {
    expect(formatFromFileName('a.TXT')).toBe('text');
    expect(formatFromFileName('dir/b.md')).toBe('markdown');
    expect(formatFromFileName('c.markdown')).toBe('markdown');
    for (const name of ['d.pdf', 'e.docx', 'README', '.md', ''])
      expect(statusOf(() => formatFromFileName(name))).toBe(415);
    expect(titleFromFileName('C:\\docs\\Return policy.md')).toBe('Return policy');
  });

  it('decodes UTF-8 text, drops a BOM, normalises line endings and refuses what is not text', () => {
    expect(decodeTextFile(Buffer.from('\uFEFFhé\r\nllo\rx'))).toBe('hé\nllo\nx');
    expect(statusOf(() => decodeTextFile(new Uint8Array()))).toBe(400);
    expect(statusOf(() => decodeTextFile(Buffer.from(' \n\t')))).toBe(400);
    expect(statusOf(() => decodeTextFile(new Uint8Array([0x61, 0, 0x62])))).toBe(415);
    expect(statusOf(() => decodeTextFile(new Uint8Array([0x61, 0xc3, 0x28])))).toBe(415);
    expect(statusOf(() => decodeTextFile(Buffer.from('%PDF-1.4 text-looking start')))).toBe(415);
    expect(statusOf(() => decodeTextFile(Buffer.from('ab\u0001\u0002\u0003\u0004')))).toBe(415);
    expect(decodeTextFile(Buffer.from(`${'ok '.repeat(200)}\u001b`))).toContain('ok');
  });
});
