import { createHash, randomBytes } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/query-rows.js';
import { withTenant } from '../../db/tenancy.js';
import { testDatabaseKinds } from '../../db/test-database.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { buildDocx, buildPdf, docxEntries, withDeclaredSize } from './extractors/test-fixtures.js';

/**
 * Uploaded files end to end, through the real upload route, the job worker and search: every
 * supported format becomes a ready, searchable source; bad files are refused at upload (4xx,
 * nothing written) or end as `failed` sources with a reason; originals are stored once per
 * content hash and removed from disk with the last source that uses them.
 */

const MAX_UPLOAD = 256 * 1024;
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const utf8 = (text: string) => new TextEncoder().encode(text);

type Part = { name: string; filename?: string; data: string | Uint8Array };

function multipart(parts: Part[]) {
  const boundary = `----confidant-${randomBytes(8).toString('hex')}`;
  const pieces: Buffer[] = [];
  for (const part of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"`;
    if (part.filename !== undefined)
      head += `; filename="${part.filename}"\r\nContent-Type: application/octet-stream`;
    pieces.push(Buffer.from(`${head}\r\n\r\n`), Buffer.from(part.data), Buffer.from('\r\n'));
  }
  pieces.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(pieces),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

describe.each(testDatabaseKinds)('file sources on %s', (kind) => {
  let t: TestApp;
  let a: { orgId: string; apiKey: string };
  let b: { orgId: string; apiKey: string };

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
    b = await t.createOrg('Org B');
  });
  afterAll(() => t?.close());

  const auth = (key: string) => ({ authorization: `Bearer ${key}` });
  const upload = (key: string, fileName: string, data: string | Uint8Array, fields: Part[] = []) => {
    const body = multipart([...fields, { name: 'file', filename: fileName, data }]);
    return t.app.inject({
      method: 'POST',
      url: '/v1/knowledge/sources',
      headers: { ...auth(key), ...body.headers },
      payload: body.payload,
    });
  };
  /** Uploads, expects 201 (queued), and waits for the ingestion job to finish. */
  const uploadAndWait = async (
    key: string,
    fileName: string,
    data: string | Uint8Array,
    fields: Part[] = [],
  ) => {
    const res = await upload(key, fileName, data, fields);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ type: 'file', status: 'queued' });
    return t.waitForSource(key, res.json().id);
  };
  const search = async (key: string, query: string) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/knowledge/search',
      headers: auth(key),
      payload: { query },
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().results as { sourceId: string; title: string; headingPath: string; snippet: string }[];
  };
  const remove = (key: string, id: string) =>
    t.app.inject({ method: 'DELETE', url: `/v1/knowledge/sources/${id}`, headers: auth(key) });
  const blobFile = (orgId: string, hash: string) =>
    path.join(t.config.dataDir, 'blobs', orgId, hash.slice(0, 2), hash);
  const exists = (file: string) =>
    stat(file).then(
      () => true,
      () => false,
    );
  const blobRows = (orgId: string) =>
    withTenant(t.database, [orgId], (tx) =>
      queryRows<{ hash: string; byte_size: number; mime_type: string }>(
        tx,
        sql`select hash, byte_size, mime_type from blobs order by hash`,
      ),
    );
  /** Everything an upload may write: sources, blobs, audit entries, files on disk. */
  const footprint = async (orgId: string) => {
    const [row] = await withTenant(t.database, [orgId], (tx) =>
      queryRows<{ sources: number; blobs: number; audit: number }>(
        tx,
        sql`select (select count(*) from knowledge_sources)::int as sources,
                               (select count(*) from blobs)::int as blobs,
                               (select count(*) from audit_log)::int as audit`,
      ),
    );
    const files = await readdir(path.join(t.config.dataDir, 'blobs', orgId), { recursive: true }).catch(
      () => [],
    );
    return { ...row, files: files.length };
  };

  const formats: {
    name: string;
    fileName: string;
    data: () => Uint8Array;
    fields?: Part[];
    title: string;
    query: string;
    heading?: string;
  }[] = [
    {
      name: 'PDF',
      fileName: 'care.pdf',
      data: () =>
        buildPdf(
          [[{ heading: 'Waxing skis' }, 'Wax your zephyrite skis every ten outings.'], ['Store them dry.']],
          {
            title: 'Ski care',
          },
        ),
      title: 'Ski care',
      query: 'how often should i wax zephyrite skis',
      heading: 'Waxing skis',
    },
    {
      name: 'Word',
      fileName: 'warranty.docx',
      data: () =>
        buildDocx([
          { heading: 1, text: 'Quillon warranty' },
          { heading: 2, text: 'Claims' },
          { paragraph: 'Send quillon warranty claims with a photo of the damage.' },
          {
            table: [
              ['Part', 'Years'],
              ['Quillon frame', '5'],
            ],
          },
        ]),
      // No title property and no cheap way to read the first heading at upload: the file name.
      title: 'warranty',
      query: 'quillon warranty claim photo',
      heading: 'Quillon warranty > Claims',
    },
    {
      name: 'HTML',
      fileName: 'export/delivery.html',
      data: () =>
        utf8(
          '<!doctype html><html><head><title>Delivery | Help</title></head><body><nav>Home · Account · Sign in</nav><main><h1>Marrowbay delivery</h1><p>Parcels to Marrowbay arrive within four days by courier.</p><h2>Tracking</h2><p>Track your marrowbay parcel from the order page.</p></main><footer>© Shop</footer></body></html>',
        ),
      title: 'Marrowbay delivery',
      query: 'when will my parcel reach marrowbay',
    },
    {
      name: 'Markdown',
      fileName: 'gift.md',
      data: () =>
        utf8('# Glimmet cards\n\n## Balance\n\nCheck the balance of a glimmet card on the cards page.\n'),
      title: 'Glimmet cards',
      query: 'glimmet card balance',
      heading: 'Glimmet cards > Balance',
    },
    {
      name: 'plain text',
      fileName: 'Opening hours.txt',
      data: () => utf8('Our Tervander store is closed on public holidays.\n\nCall us any weekday.'),
      title: 'Opening hours',
      query: 'is tervander open on holidays',
    },
    {
      name: 'CSV FAQ (detected columns)',
      fileName: 'faq.csv',
      data: () =>
        utf8(
          'Question,Answer\nCan I pay with brindlecoin?,"Yes, brindlecoin is accepted at checkout."\nDo you gift wrap?,No.\n',
        ),
      title: 'faq',
      query: 'pay with brindlecoin',
      heading: 'Can I pay with brindlecoin?',
    },
    {
      name: 'CSV records (chosen columns)',
      fileName: 'products.csv',
      data: () =>
        utf8('sku;name;details;internal\n1;Osterlamp;Osterlamp runs ten hours on one charge;secret\n'),
      fields: [
        { name: 'titleColumn', data: 'name' },
        { name: 'contentColumns', data: 'details' },
      ],
      title: 'products',
      query: 'osterlamp battery hours',
      heading: 'Osterlamp',
    },
    {
      name: 'JSON FAQ',
      fileName: 'faq.json',
      data: () =>
        utf8(
          JSON.stringify({ faqs: [{ q: 'Do you ship to Vellmark?', a: 'Vellmark orders ship weekly.' }] }),
        ),
      title: 'faq',
      query: 'shipping to vellmark',
      heading: 'Do you ship to Vellmark?',
    },
  ];

  it.each(formats)('$name becomes a ready source found by search', async (format) => {
    const source = await uploadAndWait(a.apiKey, format.fileName, format.data(), format.fields);
    expect(source, JSON.stringify(source)).toMatchObject({
      status: 'ready',
      error: null,
      title: format.title,
    });
    expect(source.progress.chunksTotal).toBeGreaterThan(0);
    const [top] = await search(a.apiKey, format.query);
    expect(top?.sourceId, JSON.stringify(top)).toBe(source.id);
    if (format.heading) expect(top?.headingPath).toBe(format.heading);
  });

  it('keeps the chosen CSV columns only', async () => {
    expect(await search(a.apiKey, 'secret')).toEqual([]);
  });

  it('adds manual Q&A entries as one passage titled by the question', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/knowledge/sources',
      headers: auth(a.apiKey),
      payload: {
        type: 'qa',
        question: 'Can I return a worn Pellory jacket?',
        answer: 'Worn Pellory jackets can be returned within 14 days if unwashed.',
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      type: 'qa',
      title: 'Can I return a worn Pellory jacket?',
      status: 'queued',
    });
    const source = await t.waitForSource(a.apiKey, res.json().id);
    expect(source).toMatchObject({ status: 'ready', progress: { chunksDone: 1, chunksTotal: 1 } });
    const [top] = await search(a.apiKey, 'return pellory jacket');
    expect(top).toMatchObject({ sourceId: source.id, title: 'Can I return a worn Pellory jacket?' });
    expect(top?.snippet).toContain('within 14 days');

    for (const payload of [
      { type: 'qa', question: 'Q?', answer: '  ' },
      { type: 'qa', question: '', answer: 'A' },
      { type: 'qa', question: 'Q?', answer: 'A', title: 'extra' },
      { type: 'qa', question: 'Q?', answer: 'a'.repeat(4001) },
    ]) {
      const bad = await t.app.inject({
        method: 'POST',
        url: '/v1/knowledge/sources',
        headers: auth(a.apiKey),
        payload,
      });
      expect(bad.statusCode, JSON.stringify(payload)).toBe(400);
    }
  });

  describe('bad files are refused at upload with a 4xx and leave nothing behind', () => {
    const zeros = new Uint8Array(64);
    const cases: [string, number, RegExp, () => ReturnType<typeof upload>][] = [
      ['an empty file', 400, /empty/, () => upload(a.apiKey, 'empty.pdf', '')],
      ['a blank text file', 400, /no text/, () => upload(a.apiKey, 'blank.txt', ' \n\t ')],
      [
        'an oversized file',
        413,
        new RegExp(`${MAX_UPLOAD} bytes`),
        () => upload(a.apiKey, 'big.pdf', `%PDF-1.4 ${'x'.repeat(MAX_UPLOAD)}`),
      ],
      [
        'a PNG named .pdf',
        415,
        /PNG image/,
        () =>
          upload(
            a.apiKey,
            'manual.pdf',
            new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...zeros]),
          ),
      ],
      [
        'an Excel workbook',
        415,
        /Excel workbook/,
        () => upload(a.apiKey, 'faq.xlsx', zipSync({ 'xl/workbook.xml': strToU8('<w/>') })),
      ],
      [
        'a password-protected Office file',
        415,
        /password-protected/,
        () =>
          upload(
            a.apiKey,
            'locked.docx',
            new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, ...zeros]),
          ),
      ],
      [
        'a damaged zip',
        415,
        /not a readable ZIP/,
        () => upload(a.apiKey, 'cut.docx', buildDocx([{ paragraph: 'x' }]).slice(0, 100)),
      ],
      [
        'invalid UTF-8',
        415,
        /not valid UTF-8/,
        () => upload(a.apiKey, 'x.txt', new Uint8Array([0x68, 0x69, 0xff, 0xfe, 0x41])),
      ],
      [
        'a CSV column that does not exist',
        400,
        /"Frage" is not a column/,
        () =>
          upload(a.apiKey, 'faq.csv', 'Question,Answer\nq,a\n', [
            { name: 'questionColumn', data: 'Frage' },
            { name: 'answerColumn', data: 'Answer' },
          ]),
      ],
      [
        'column choices on a PDF',
        400,
        /CSV files only/,
        () => upload(a.apiKey, 'a.pdf', buildPdf([['x']]), [{ name: 'titleColumn', data: 'x' }]),
      ],
      [
        'an unknown field',
        400,
        /Unexpected field "colour"/,
        () => upload(a.apiKey, 'a.md', 'text', [{ name: 'colour', data: 'red' }]),
      ],
    ];
    it.each(cases)('%s → %i', async (_name, status, detail, send) => {
      const before = await footprint(a.orgId);
      const res = await send();
      expect(res.statusCode, res.body).toBe(status);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().detail).toMatch(detail);
      expect(await footprint(a.orgId)).toEqual(before);
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
      ['a decompression bomb', 'bomb.docx', () => bomb, /expands to more than 1048576 bytes/],
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
      const source = await uploadAndWait(a.apiKey, fileName, data());
      expect(source.status).toBe('failed');
      expect(source.error).toMatch(reason);
      expect(source.progress.chunksTotal).toBe(0);
    });

    it('and the server keeps working', async () => {
      const ok = await uploadAndWait(a.apiKey, 'after.md', '# After\n\nStill indexing fine after bad files.');
      expect(ok.status).toBe('ready');
    });
  });

  it('stores an original once per org and content, and deletes it with the last source using it', async () => {
    const pdf = buildPdf([['Dedupe check: the Harrowdale manual.']], { title: 'Harrowdale' });
    const hash = sha256(pdf);
    const first = await uploadAndWait(a.apiKey, 'harrowdale.pdf', pdf);
    const second = await uploadAndWait(a.apiKey, 'copy of harrowdale.pdf', pdf);
    const other = await uploadAndWait(b.apiKey, 'harrowdale.pdf', pdf);
    for (const s of [first, second, other]) expect(s.status).toBe('ready');

    expect((await blobRows(a.orgId)).filter((r) => r.hash === hash)).toEqual([
      { hash, byte_size: pdf.length, mime_type: 'application/pdf' },
    ]);
    const fileA = blobFile(a.orgId, hash);
    const fileB = blobFile(b.orgId, hash);
    expect((await stat(fileA)).mode & 0o777).toBe(0o600);
    expect(await exists(fileB)).toBe(true);
    const filesNamed = (
      await readdir(path.join(t.config.dataDir, 'blobs', a.orgId), { recursive: true })
    ).filter((f) => f.endsWith(hash));
    expect(filesNamed).toHaveLength(1);

    expect((await remove(a.apiKey, first.id)).statusCode).toBe(204);
    expect(await exists(fileA)).toBe(true);
    expect((await blobRows(a.orgId)).some((r) => r.hash === hash)).toBe(true);

    expect((await remove(a.apiKey, second.id)).statusCode).toBe(204);
    expect(await exists(fileA)).toBe(false);
    expect((await blobRows(a.orgId)).some((r) => r.hash === hash)).toBe(false);
    // Org B's copy is its own.
    expect(await exists(fileB)).toBe(true);
    expect((await search(b.apiKey, 'harrowdale manual'))[0]?.sourceId).toBe(other.id);
  });
});
