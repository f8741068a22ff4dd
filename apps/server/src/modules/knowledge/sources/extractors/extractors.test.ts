import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { checkUploadedDocument, ExtractionError, type ExtractLimits, extractDocument } from './index.js';
import { buildDocx, buildPdf, docxEntries, withDeclaredSize } from './test-fixtures.js';

const limits: ExtractLimits = {
  maxBytes: 5 * 1024 * 1024,
  maxPages: 5,
  maxExpandedBytes: 2 * 1024 * 1024,
  maxRows: 50,
};
const text = (s: string) => new TextEncoder().encode(s);
const extract = (bytes: Uint8Array, fileName: string, options?: Record<string, unknown>, l = limits) =>
  extractDocument({ bytes, fileName, options, limits: l });

/** The ExtractionError an extraction ends with (failing the test if it succeeds). */
async function failure(promise: Promise<unknown>): Promise<ExtractionError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ExtractionError);
    return error as ExtractionError;
  }
  throw new Error('expected an ExtractionError');
}

describe('PDF', () => {
  it('reads every page, takes larger lines as headings and the title from the document info', async () => {
    const pdf = buildPdf(
      [
        [
          { heading: 'Returns' },
          'You can return any item within 30 days.',
          'Keep the receipt (or the email).',
        ],
        [{ heading: 'Exchanges' }, 'Exchanges are free in every store.'],
      ],
      { title: 'Store policies' },
    );
    const doc = await extract(pdf, 'policies.pdf');
    expect(doc).toMatchObject({
      format: 'pdf',
      mimeType: 'application/pdf',
      title: 'Store policies',
      pages: 2,
    });
    expect(doc.markdown).toBe(
      '# Returns\n\nYou can return any item within 30 days.\nKeep the receipt (or the email).\n\n# Exchanges\n\nExchanges are free in every store.',
    );
  });

  it('refuses encrypted, damaged, over-long and text-less PDFs with reasons', async () => {
    expect((await failure(extract(buildPdf([['secret']], { encrypt: true }), 'a.pdf'))).message).toMatch(
      /password-protected/,
    );
    expect((await failure(extract(text('%PDF-1.7\n1 0 obj garbage'), 'a.pdf'))).message).toMatch(
      /not a readable PDF/,
    );
    const truncated = buildPdf([['Some text here']]).slice(0, 200);
    expect((await failure(extract(truncated, 'a.pdf'))).message).toMatch(/PDF/);
    const long = buildPdf(Array.from({ length: 6 }, (_, i) => [`Page ${i}`]));
    expect((await failure(extract(long, 'a.pdf'))).message).toBe(
      'The PDF has 6 pages; the limit is 5. Split it into smaller files',
    );
    expect((await failure(extract(buildPdf([[], []]), 'scan.pdf'))).message).toMatch(/no text to read/);
  });

  it('reads compressed content streams, and refuses ones that inflate past the expansion limit', async () => {
    const small = buildPdf([['Compressed but fine.']], { compressedPadding: 100_000 });
    expect((await extract(small, 'ok.pdf')).markdown).toBe('Compressed but fine.');
    const bomb = buildPdf([['Boom.']], { compressedPadding: 3 * 1024 * 1024 });
    expect(bomb.length).toBeLessThan(20_000);
    expect((await failure(extract(bomb, 'bomb.pdf'))).message).toMatch(
      /expands to more than 2097152 bytes of content when decompressed/,
    );
  });
});

describe('Word', () => {
  it('keeps headings, lists and tables, and takes the title from the document properties', async () => {
    const docx = buildDocx(
      [
        { heading: 1, text: 'Warranty' },
        { paragraph: 'Every tent has a two-year warranty.' },
        { heading: 2, text: 'What is covered' },
        { bullet: 'Broken poles' },
        { bullet: 'Torn seams' },
        {
          table: [
            ['Product', 'Years'],
            ['Tent', '2'],
            ['Stove | gas', '1'],
          ],
        },
      ],
      { title: 'Warranty guide' },
    );
    const doc = await extract(docx, 'warranty.docx');
    expect(doc.format).toBe('docx');
    expect(doc.title).toBe('Warranty guide');
    expect(doc.markdown).toBe(
      [
        '# Warranty',
        'Every tent has a two-year warranty.',
        '## What is covered',
        '-   Broken poles\n-   Torn seams',
        '| Product | Years |\n| --- | --- |\n| Tent | 2 |\n| Stove \\| gas | 1 |',
      ].join('\n\n'),
    );
    // No document title: the first H1 is the title.
    expect(
      (await extract(buildDocx([{ heading: 1, text: 'Sizing' }, { paragraph: 'Fits.' }]), 'x.docx')).title,
    ).toBe('Sizing');
  });

  it('stops decompression bombs by declared size, by ratio and by actual size', async () => {
    const zeros = new Uint8Array(3 * 1024 * 1024);
    const bomb = zipSync({ ...docxEntries([{ paragraph: 'x' }]), 'word/document.xml': zeros });
    expect((await failure(extract(bomb, 'bomb.docx'))).message).toMatch(/expands to more than 2097152 bytes/);

    const ratio = zipSync({ ...docxEntries([{ paragraph: 'x' }]), 'word/footnotes.xml': zeros });
    expect(
      (await failure(extract(ratio, 'bomb.docx', undefined, { ...limits, maxExpandedBytes: 100e6 }))).message,
    ).toMatch(/compresses \d+:1/);

    // The archive lies: it declares 1 KB for a part that inflates to 1.5 MB.
    const filler = strToU8(`<w:document>${'<w:p/>'.repeat(250_000)}</w:document>`);
    const lying = withDeclaredSize(
      zipSync({ ...docxEntries([]), 'word/document.xml': filler }),
      'word/document.xml',
      1024,
    );
    expect((await failure(extract(lying, 'liar.docx'))).message).toMatch(/inflates to more than it declares/);
  });

  it('refuses damaged archives, legacy or password-protected Office files and other zips', async () => {
    const docx = buildDocx([{ paragraph: 'Hello' }]);
    expect((await failure(extract(docx.slice(0, docx.length - 30), 'cut.docx'))).message).toMatch(
      /not a readable ZIP/,
    );
    const cfb = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]);
    const locked = await failure(extract(cfb, 'locked.docx'));
    expect(locked.reason).toBe('unsupported');
    expect(locked.message).toMatch(/password-protected/);
    const xlsx = zipSync({ 'xl/workbook.xml': strToU8('<workbook/>') });
    expect((await failure(extract(xlsx, 'faq.xlsx'))).message).toMatch(
      /Excel workbook \(export the sheet as CSV\)/,
    );
    expect((await failure(extract(zipSync({ 'a.txt': strToU8('a') }), 'a.zip'))).reason).toBe('unsupported');
  });
});

describe('HTML', () => {
  it('keeps the article with its headings and drops navigation, header, footer and scripts', async () => {
    const html = `<!DOCTYPE html><html><head><title>Shipping – Acme Help Centre</title><script>track()</script></head>
      <body><header><nav><a href="/">Home</a> <a href="/help">Help</a> Sign in</nav></header>
      <main><article><h1>Shipping times</h1><p>Orders ship within <strong>two business days</strong> from our warehouse in Lyon.</p>
      <h2>International</h2><p>International orders take five to ten days. See <a href="https://acme.example/rates">our rates</a> and <a href="/faq">the FAQ</a>.</p>
      <ul><li>Europe: 5 days</li><li>Elsewhere: 10 days</li></ul></article></main>
      <footer>© Acme 2025 · Privacy · Cookies</footer></body></html>`;
    const doc = await extract(text(html), 'shipping.html');
    expect(doc).toMatchObject({ format: 'html', mimeType: 'text/html', title: 'Shipping times' });
    expect(doc.markdown).toContain('# Shipping times');
    expect(doc.markdown).toContain('## International');
    expect(doc.markdown).toContain('Orders ship within **two business days**');
    expect(doc.markdown).toContain('[our rates](https://acme.example/rates) and the FAQ');
    expect(doc.markdown).toMatch(/-\s+Europe: 5 days/);
    for (const boilerplate of ['Sign in', 'Privacy', 'track()', 'Acme Help Centre']) {
      expect(doc.markdown).not.toContain(boilerplate);
    }
  });
});

describe('CSV and JSON FAQs', () => {
  const faqCsv =
    'Question,Answer\n"How do I reset my password?","Use the ""Forgot password"" link."\nWhat is the fee?,None\n,orphan answer\n';

  it('reads question/answer columns by their names, or the columns the admin chose', async () => {
    const doc = await extract(text(faqCsv), 'faq.csv');
    expect(doc).toMatchObject({ format: 'csv', mimeType: 'text/csv' });
    expect(doc.markdown).toBe(
      '## How do I reset my password?\n\nUse the "Forgot password" link.\n\n## What is the fee?\n\nNone',
    );
    const chosen = 'id;Kérdés;Válasz;notes\n1;Where are you?;In Lyon;# not a heading\n';
    const mapped = await extract(text(chosen), 'export.txt', {
      questionColumn: 'kérdés',
      answerColumn: 'Válasz',
    });
    expect(mapped.format).toBe('csv');
    expect(mapped.markdown).toBe('## Where are you?\n\nIn Lyon');
    const records = await extract(text(chosen), 'export.csv', {
      titleColumn: 'Kérdés',
      contentColumns: ['Válasz', 'notes'],
    });
    expect(records.markdown).toBe('## Where are you?\n\nVálasz: In Lyon\n\nnotes: \\# not a heading');
  });

  it('falls back to first column = title, other columns = body', async () => {
    const doc = await extract(text('Product\tPrice\tDescription\nTent\t200\tSleeps two\n'), 'products.tsv');
    expect(doc.markdown).toBe('## Tent\n\nPrice: 200\n\nDescription: Sleeps two');
  });

  it('refuses missing columns, too many rows and files without entries', async () => {
    const missing = await failure(
      extract(text(faqCsv), 'faq.csv', { questionColumn: 'Q', answerColumn: 'Answer' }),
    );
    expect(missing.message).toBe(
      'The questionColumn "Q" is not a column of the CSV file; its columns are "Question", "Answer"',
    );
    const rows = `q,a\n${'x,y\n'.repeat(51)}`;
    expect((await failure(extract(text(rows), 'big.csv'))).message).toMatch(/more than 50 rows/);
    expect((await extract(text(`q,a\n${'x,y\n'.repeat(50)}`), 'ok.csv')).markdown).toContain('## x');
    expect((await failure(extract(text('Question,Answer\n'), 'empty.csv'))).message).toMatch(/no data rows/);
  });

  it('reads JSON FAQ files in the common shapes and explains the expected shape otherwise', async () => {
    const expected = '## Do you ship abroad?\n\nYes, to 30 countries.';
    for (const json of [
      [{ question: 'Do you ship abroad?', answer: 'Yes, to 30 countries.' }],
      [{ Q: 'Do you ship abroad?', A: 'Yes, to 30 countries.' }],
      { faqs: [{ title: 'Do you ship abroad?', body: 'Yes, to 30 countries.' }] },
    ]) {
      const doc = await extract(text(JSON.stringify(json)), 'faq.json');
      expect(doc).toMatchObject({ format: 'json-faq', mimeType: 'application/json', markdown: expected });
    }
    expect((await failure(extract(text('{"hello": "world"}'), 'faq.json'))).message).toMatch(
      /no list of FAQ entries: a JSON FAQ file holds an array of \{ "question", "answer" \}/,
    );
    expect((await failure(extract(text('[{"question": "Q?"}]'), 'faq.json'))).message).toMatch(
      /^Entry 1 of the JSON file has no text question and answer/,
    );
  });
});

describe('sniffing and limits', () => {
  it('trusts the bytes, not the name', async () => {
    expect((await extract(text('Plain words, not a PDF.'), 'manual.pdf')).format).toBe('text');
    expect((await extract(buildPdf([['Real PDF']]), 'notes.txt')).format).toBe('pdf');
    expect((await extract(buildDocx([{ paragraph: 'Real Word' }]), 'notes.md')).format).toBe('docx');
    expect((await extract(text('<!doctype html><p>Hello there</p>'), 'page.txt')).format).toBe('html');
    expect((await extract(text('# Title\n\nBody'), 'README')).format).toBe('text');
    expect((await extract(text('# Title\n\nBody'), 'guide.md')).title).toBe('Title');
  });

  it('refuses empty, oversized and binary files with the reason the HTTP layer maps', async () => {
    expect((await failure(extract(new Uint8Array(), 'a.txt'))).reason).toBe('empty');
    expect((await failure(extract(text(' \n '), 'a.txt'))).reason).toBe('empty');
    expect(
      (await failure(extract(text('x'.repeat(100)), 'a.txt', undefined, { ...limits, maxBytes: 99 }))).reason,
    ).toBe('too_large');
    const png = await failure(
      extract(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), 'photo.md'),
    );
    expect(png).toMatchObject({ reason: 'unsupported' });
    expect(png.message).toMatch(/^The file is a PNG image, which is not supported/);
    expect((await failure(extract(new Uint8Array([0x61, 0xc3, 0x28]), 'a.txt'))).reason).toBe('unsupported');
    expect((await failure(extract(text('# Only a heading'), 'a.md'))).message).toMatch(/no text to index/);
  });

  it('checks uploads cheaply: format, and column choices against the CSV header', async () => {
    const check = (bytes: Uint8Array, fileName: string, options: Record<string, unknown> = {}) =>
      checkUploadedDocument({ bytes, fileName, options, maxBytes: 1000 });
    expect((await check(text('q,a\nx,y'), 'f.csv')).format).toBe('csv');
    expect(
      (await failure(check(text('q,a\nx,y'), 'f.csv', { questionColumn: 'nope', answerColumn: 'a' })))
        .message,
    ).toMatch(/"nope" is not a column/);
    expect((await failure(check(text('q,a\nx,y'), 'f.csv', { questionColumn: 'q' }))).message).toBe(
      'questionColumn and answerColumn go together',
    );
    expect((await failure(check(buildPdf([['x']]), 'f.pdf', { titleColumn: 'q' }))).message).toMatch(
      /CSV files only; this file was read as PDF/,
    );
    expect((await failure(check(text('x'.repeat(1001)), 'f.txt'))).reason).toBe('too_large');
  });
});
