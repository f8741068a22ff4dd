import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CHUNK_HARD_MAX,
  CHUNK_TARGET_MAX,
  chunkMarkdown,
  chunkPlainText,
  findFirstHeading,
  parseSections,
} from './chunk-markdown.js';

const sentence = (i: number) => `Sentence number ${i} explains one more detail about the refund process.`;
const paragraph = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => sentence(from + i)).join(' ');
const words = (text: string) => text.match(/[\p{L}\p{N}]+/gu) ?? [];

describe('chunkMarkdown', () => {
  it('carries the heading path into each chunk and keeps the preamble without one', () => {
    const chunks = chunkMarkdown(
      [
        'Welcome to the help centre.',
        '# Returns',
        'How returns work.',
        '## Refund timing',
        'Refunds take five days.',
        '### Card refunds',
        'Cards take longer.',
        '## Exchanges',
        'Swap sizes for free.',
        '# Shipping ##',
        'We ship worldwide.',
      ].join('\n\n'),
    );
    expect(chunks).toEqual([
      { headingPath: '', content: 'Welcome to the help centre.' },
      { headingPath: 'Returns', content: 'How returns work.' },
      { headingPath: 'Returns > Refund timing', content: 'Refunds take five days.' },
      { headingPath: 'Returns > Refund timing > Card refunds', content: 'Cards take longer.' },
      { headingPath: 'Returns > Exchanges', content: 'Swap sizes for free.' },
      { headingPath: 'Shipping', content: 'We ship worldwide.' },
    ]);
  });

  it('reads setext headings, cleans inline markup in headings, and skips skipped levels gracefully', () => {
    const chunks = chunkMarkdown(
      'Getting *started*\n=================\n\nIntro.\n\nThe [API](https://x.example)\n---\n\nCalls.\n\n#### Deep\n\nDeep text.\n\n## Next\n\nNext text.',
    );
    expect(chunks.map((c) => c.headingPath)).toEqual([
      'Getting started',
      'Getting started > The API',
      'Getting started > The API > Deep',
      'Getting started > Next',
    ]);
  });

  it('ignores # lines inside fenced code and keeps the code block whole', () => {
    const md = '# Scripts\n\n```bash\n# install\nnpm ci\n\n# run\nnpm start\n```\n\nAfter the code.';
    const chunks = chunkMarkdown(md);
    expect(chunks).toHaveLength(1);
    expect(chunks[0]!.headingPath).toBe('Scripts');
    expect(chunks[0]!.content).toBe('```bash\n# install\nnpm ci\n\n# run\nnpm start\n```\n\nAfter the code.');
  });

  it('drops front matter and thematic breaks, and sections that only have a heading', () => {
    const chunks = chunkMarkdown('---\ntitle: Hidden\n---\n# A\n\n## B\n\nText.\n\n***\n\nMore.');
    expect(chunks).toEqual([{ headingPath: 'A > B', content: 'Text.\n\nMore.' }]);
  });

  it('splits a long section on paragraphs, then sentences, within the size limits, with a one-sentence overlap', () => {
    const md = `# Refunds\n\n${paragraph(0, 8)}\n\n${paragraph(8, 30)}\n\n${paragraph(38, 4)}`;
    const chunks = chunkMarkdown(md);
    expect(chunks.length).toBeGreaterThan(3);
    for (const chunk of chunks) {
      expect(chunk.headingPath).toBe('Refunds');
      expect(chunk.content.length).toBeLessThanOrEqual(CHUNK_HARD_MAX);
      // Cuts fall between sentences: every chunk starts and ends with a whole sentence.
      expect(chunk.content).toMatch(/^Sentence number \d+/);
      expect(chunk.content).toMatch(/process\.$/);
    }
    expect(chunks.filter((c) => c.content.length > CHUNK_TARGET_MAX + 250)).toEqual([]);
    // Each chunk after the first repeats the last sentence of the one before.
    for (let i = 1; i < chunks.length; i++) {
      const prevLast = chunks[i - 1]!.content.match(/Sentence number \d+[^.]*\.$/)![0];
      expect(chunks[i]!.content.startsWith(prevLast)).toBe(true);
    }
    // Nothing is lost, and order is kept.
    const seen = chunks.flatMap((c) =>
      [...c.content.matchAll(/Sentence number (\d+)/g)].map((m) => Number(m[1])),
    );
    expect([...new Set(seen)]).toEqual(Array.from({ length: 42 }, (_, i) => i));
  });

  it('keeps a list or a table whole when it fits under the hard maximum', () => {
    const list = Array.from(
      { length: 16 },
      (_, i) => `- Item ${i}: a step with a few words of explanation`,
    ).join('\n');
    const table = [
      '| Plan | Price | Seats |',
      '|---|---|---|',
      ...Array.from({ length: 20 }, (_, i) => `| P${i} | ${i} € | ${i} |`),
    ].join('\n');
    expect(list.length).toBeGreaterThan(CHUNK_TARGET_MAX / 2);
    const chunks = chunkMarkdown(`# Steps\n\n${paragraph(0, 6)}\n\n${list}\n\n${table}`);
    expect(chunks.some((c) => c.content.includes(list))).toBe(true);
    expect(chunks.some((c) => c.content.includes(table))).toBe(true);
  });

  it('keeps a loose list (blank lines between items) together', () => {
    const chunks = chunkMarkdown('# FAQ\n\n- One\n\n- Two\n\n  More about two.\n\n- Three\n\nAfter.');
    expect(chunks[0]!.content).toBe('- One\n\n- Two\n\n  More about two.\n\n- Three\n\nAfter.');
  });

  it('splits a huge table by rows and repeats its header in every piece', () => {
    const rows = Array.from({ length: 120 }, (_, i) => `| Row ${i} | value ${i} |`);
    const chunks = chunkMarkdown(`# Prices\n\n| Name | Value |\n|---|---|\n${rows.join('\n')}`);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) {
      expect(chunk.content.startsWith('| Name | Value |\n|---|---|\n| Row')).toBe(true);
      expect(chunk.content.length).toBeLessThanOrEqual(CHUNK_HARD_MAX);
    }
    expect(chunks.flatMap((c) => c.content.split('\n').filter((l) => l.startsWith('| Row')))).toEqual(rows);
  });

  it('splits a huge list by items and a huge code block by lines, re-fencing the code', () => {
    const items = Array.from({ length: 60 }, (_, i) => `1. Step ${i} of the long installation procedure.`);
    const code = Array.from({ length: 80 }, (_, i) => `echo "line ${i} of the script"`);
    const chunks = chunkMarkdown(`# Install\n\n${items.join('\n')}\n\n\`\`\`sh\n${code.join('\n')}\n\`\`\``);
    for (const chunk of chunks) expect(chunk.content.length).toBeLessThanOrEqual(CHUNK_HARD_MAX);
    const codeChunks = chunks.filter((c) => c.content.startsWith('```sh'));
    expect(codeChunks.length).toBeGreaterThan(1);
    for (const chunk of codeChunks) expect(chunk.content.endsWith('\n```')).toBe(true);
    const all = chunks.map((c) => c.content).join('\n');
    for (const line of [...items, ...code]) expect(all).toContain(line);
  });

  it('cuts text without sentence boundaries or spaces without exceeding the limit', () => {
    const chunks = chunkMarkdown(`# Blob\n\n${'x'.repeat(5000)}\n\n${'word '.repeat(800)}`);
    for (const chunk of chunks) {
      expect(chunk.content.length).toBeGreaterThan(0);
      expect(chunk.content.length).toBeLessThanOrEqual(CHUNK_HARD_MAX);
    }
    expect(
      chunks
        .map((c) => c.content)
        .join('')
        .replaceAll(/[^x]/g, '').length,
    ).toBeGreaterThanOrEqual(5000);
  });

  it('never exceeds the hard maximum, never emits an empty chunk, and loses no word (property)', () => {
    const block = fc.oneof(
      fc.constantFrom(
        '# Title',
        '## Section',
        '### Sub',
        '- item one',
        '1. first',
        '| a | b |\n|---|---|\n| 1 | 2 |',
        '```\ncode\n```',
        '---',
      ),
      fc
        .array(
          fc.constantFrom(
            'Short one.',
            'A somewhat longer sentence with several words in it.',
            'Why?',
            'x'.repeat(120),
          ),
          {
            minLength: 1,
            maxLength: 40,
          },
        )
        .map((s) => s.join(' ')),
    );
    fc.assert(
      fc.property(fc.array(block, { maxLength: 30 }), (blocks) => {
        const md = blocks.join('\n\n');
        const chunks = chunkMarkdown(md);
        for (const chunk of chunks) {
          expect(chunk.content.trim()).not.toBe('');
          expect(chunk.content.length).toBeLessThanOrEqual(CHUNK_HARD_MAX);
        }
        const headingWords = new Set(
          parseSections(md).flatMap((s) => (s.heading ? words(s.heading.text) : [])),
        );
        const chunkWords = new Set(chunks.flatMap((c) => words(c.content)));
        for (const word of words(md)) if (!headingWords.has(word)) expect(chunkWords.has(word)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

describe('chunkPlainText', () => {
  it('chunks by paragraphs, with no heading path, and treats # as text', () => {
    const chunks = chunkPlainText(`# not a heading\n\n${paragraph(0, 12)}\n\n${paragraph(12, 12)}`);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks[0]!.content.startsWith('# not a heading')).toBe(true);
    for (const chunk of chunks) {
      expect(chunk.headingPath).toBe('');
      expect(chunk.content.length).toBeLessThanOrEqual(CHUNK_HARD_MAX);
    }
  });

  it('packs short paragraphs together', () => {
    expect(chunkPlainText('One.\r\n\r\nTwo.\n\n\n\nThree.')).toEqual([
      { headingPath: '', content: 'One.\n\nTwo.\n\nThree.' },
    ]);
  });
});

describe('findFirstHeading', () => {
  it('finds the first H1 (ATX or setext), not an earlier H2', () => {
    expect(findFirstHeading('## Sub\n\n# Main *title*\n\n# Second')).toBe('Main title');
    expect(findFirstHeading('Big title\n===\n\ntext')).toBe('Big title');
    expect(findFirstHeading('no headings here')).toBeNull();
    expect(findFirstHeading('```\n# in code\n```')).toBeNull();
  });
});
