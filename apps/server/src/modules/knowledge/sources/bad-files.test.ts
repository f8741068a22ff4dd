import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKinds } from '../../../platform/db/test-database.js';
import { createTestApp, type TestApp } from '../../../testing/test-app.js';
import { uploadKit, utf8 } from '../testing/file-upload-kit.js';
import { buildDocx, buildPdf, docxEntries, withDeclaredSize } from './extractors/test-fixtures.js';

/**
 * Bad files through the real upload route: refused at upload with a 4xx that writes nothing (no
 * source, no blob row, no file, no audit entry), or stored and then failed by the ingestion job
 * with a reason the uploader can act on. The server keeps working either way.
 */

const MAX_UPLOAD = 256 * 1024;

describe.each(testDatabaseKinds)('bad files on %s', (kind) => {
  let t: TestApp;
  let a: { orgId: string; apiKey: string };
  let k: ReturnType<typeof uploadKit>;

  beforeAll(async () => {
    t = await createTestApp({
      kind,
      env: {
        CONFIDANT_MAX_UPLOAD_BYTES: String(MAX_UPLOAD),
        CONFIDANT_MAX_PDF_PAGES: '3',
        CONFIDANT_MAX_EXPANDED_BYTES: String(1024 * 1024),
        CONFIDANT_MAX_CSV_ROWS: '20',
      },
    });
    a = await t.createOrg('Org A');
    k = uploadKit(t);
  });
  afterAll(() => t?.close());
  describe('bad files are refused at upload with a 4xx and leave nothing behind', () => {
    const zeros = new Uint8Array(64);
    const cases: [string, number, RegExp, () => ReturnType<ReturnType<typeof uploadKit>['upload']>][] = [
      ['an empty file', 400, /empty/, () => k.upload(a.apiKey, 'empty.pdf', '')],
      ['a blank text file', 400, /no text/, () => k.upload(a.apiKey, 'blank.txt', ' \n\t ')],
      [
        'an oversized file',
        413,
        new RegExp(`${MAX_UPLOAD} bytes`),
        () => k.upload(a.apiKey, 'big.pdf', `%PDF-1.4 ${'x'.repeat(MAX_UPLOAD)}`),
      ],
      [
        'a PNG named .pdf',
        415,
        /PNG image/,
        () =>
          k.upload(
            a.apiKey,
            'manual.pdf',
            new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...zeros]),
          ),
      ],
      [
        'an Excel workbook',
        415,
        /Excel workbook/,
        () => k.upload(a.apiKey, 'faq.xlsx', zipSync({ 'xl/workbook.xml': strToU8('<w/>') })),
      ],
      [
        'a password-protected Office file',
        415,
        /password-protected/,
        () =>
          k.upload(
            a.apiKey,
            'locked.docx',
            new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, ...zeros]),
          ),
      ],
      [
        'a damaged zip',
        415,
        /not a readable ZIP/,
        () => k.upload(a.apiKey, 'cut.docx', buildDocx([{ paragraph: 'x' }]).slice(0, 100)),
      ],
      [
        'invalid UTF-8',
        415,
        /not valid UTF-8/,
        () => k.upload(a.apiKey, 'x.txt', new Uint8Array([0x68, 0x69, 0xff, 0xfe, 0x41])),
      ],
      [
        'a CSV column that does not exist',
        400,
        /"Frage" is not a column/,
        () =>
          k.upload(a.apiKey, 'faq.csv', 'Question,Answer\nq,a\n', [
            { name: 'questionColumn', data: 'Frage' },
            { name: 'answerColumn', data: 'Answer' },
          ]),
      ],
      [
        'column choices on a PDF',
        400,
        /CSV files only/,
        () => k.upload(a.apiKey, 'a.pdf', buildPdf([['x']]), [{ name: 'titleColumn', data: 'x' }]),
      ],
      [
        'an unknown field',
        400,
        /Unexpected field "colour"/,
        () => k.upload(a.apiKey, 'a.md', 'text', [{ name: 'colour', data: 'red' }]),
      ],
    ];
    it.each(cases)('%s → %i', async (_name, status, detail, send) => {
      const before = await k.footprint(a.orgId);
      const res = await send();
      expect(res.statusCode, res.body).toBe(status);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().detail).toMatch(detail);
      expect(await k.footprint(a.orgId)).toEqual(before);
    });
  });

  describe('files that cannot be read end as failed sources with a reason', () => {
    const bomb = zipSync({
      ...docxEntries([{ paragraph: 'x' }]),
      'word/document.xml': new Uint8Array(3 * 1024 * 1024),
    });
    const filler = strToU8(`<w:document>${'<w:p/>'.repeat(250_000)}</w:document>`);
    const liar = withDeclaredSize(
      zipSync({ ...docxEntries([]), 'word/document.xml': filler }),
      'word/document.xml',
      1000,
    );
    const cases: [string, string, () => Uint8Array, RegExp][] = [
      [
        'a damaged PDF named .txt',
        'notes.txt',
        () => utf8('%PDF-1.7\n1 0 obj << broken'),
        /not a readable PDF/,
      ],
      [
        'a password-protected PDF',
        'secret.pdf',
        () => buildPdf([['hidden']], { encrypt: true }),
        /PDF is password-protected/,
      ],
      [
        'a PDF over the page limit',
        'long.pdf',
        () => buildPdf([['1'], ['2'], ['3'], ['4']]),
        /4 pages; the limit is 3/,
      ],
      ['a scanned PDF without text', 'scan.pdf', () => buildPdf([[]]), /no text to read/],
      [
        'a PDF decompression bomb',
        'bomb.pdf',
        () => buildPdf([['Boom.']], { compressedPadding: 3 * 1024 * 1024 }),
        /expands to more than 1048576 bytes of content/,
      ],
      ['a Word decompression bomb', 'bomb.docx', () => bomb, /expands to more than 1048576 bytes/],
      ['an archive lying about its sizes', 'liar.docx', () => liar, /inflates to more than it declares/],
      ['a CSV over the row limit', 'rows.csv', () => utf8(`q,a\n${'x,y\n'.repeat(21)}`), /more than 20 rows/],
      [
        'a JSON file that is not an FAQ',
        'data.json',
        () => utf8('{"users": [1, 2]}'),
        /no list of FAQ entries/,
      ],
    ];
    it.each(cases)('%s', async (_name, fileName, data, reason) => {
      const source = await k.uploadAndWait(a.apiKey, fileName, data());
      expect(source.status).toBe('failed');
      expect(source.error).toMatch(reason);
      expect(source.progress.chunksTotal).toBe(0);
    });

    it('and the server keeps working', async () => {
      const ok = await k.uploadAndWait(
        a.apiKey,
        'after.md',
        '# After\n\nStill indexing fine after bad files.',
      );
      expect(ok.status).toBe('ready');
    });
  });
});
