import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKinds } from '../../../platform/db/test-database.js';
import { createTestApp, type TestApp } from '../../../testing/test-app.js';
import { type Part, sha256, uploadKit, utf8 } from '../testing/file-upload-kit.js';
import { buildDocx, buildPdf } from './extractors/test-fixtures.js';

/**
 * Uploaded files end to end, through the real upload route, the job worker and search: every
 * supported format becomes a ready, searchable source; manual Q&A entries too; originals are
 * stored once per org and content hash and removed from disk with the last source using them.
 * (Bad files: bad-files.test.ts.)
 */

const MAX_UPLOAD = 256 * 1024;

describe.each(testDatabaseKinds)('file sources on %s', (kind) => {
  let t: TestApp;
  let a: { orgId: string; apiKey: string };
  let b: { orgId: string; apiKey: string };
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
    b = await t.createOrg('Org B');
    k = uploadKit(t);
  });
  afterAll(() => t?.close());
  const auth = (key: string) => ({ authorization: `Bearer ${key}` });
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
    const source = await k.uploadAndWait(a.apiKey, format.fileName, format.data(), format.fields);
    expect(source, JSON.stringify(source)).toMatchObject({
      status: 'ready',
      error: null,
      title: format.title,
    });
    expect(source.progress.chunksTotal).toBeGreaterThan(0);
    const [top] = await k.search(a.apiKey, format.query);
    expect(top?.sourceId, JSON.stringify(top)).toBe(source.id);
    if (format.heading) expect(top?.headingPath).toBe(format.heading);
  });

  it('keeps the chosen CSV columns only', async () => {
    expect(await k.search(a.apiKey, 'secret')).toEqual([]);
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
    const [top] = await k.search(a.apiKey, 'return pellory jacket');
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

  it('stores an original once per org and content, and deletes it with the last source using it', async () => {
    const pdf = buildPdf([['Dedupe check: the Harrowdale manual.']], { title: 'Harrowdale' });
    const hash = sha256(pdf);
    const first = await k.uploadAndWait(a.apiKey, 'harrowdale.pdf', pdf);
    const second = await k.uploadAndWait(a.apiKey, 'copy of harrowdale.pdf', pdf);
    const other = await k.uploadAndWait(b.apiKey, 'harrowdale.pdf', pdf);
    for (const s of [first, second, other]) expect(s.status).toBe('ready');

    expect((await k.blobRows(a.orgId)).filter((r) => r.hash === hash)).toEqual([
      { hash, byte_size: pdf.length, mime_type: 'application/pdf' },
    ]);
    const fileA = k.blobFile(a.orgId, hash);
    const fileB = k.blobFile(b.orgId, hash);
    expect((await stat(fileA)).mode & 0o777).toBe(0o600);
    expect(await k.exists(fileB)).toBe(true);
    const filesNamed = (
      await readdir(path.join(t.config.dataDir, 'blobs', a.orgId), { recursive: true })
    ).filter((f) => f.endsWith(hash));
    expect(filesNamed).toHaveLength(1);

    expect((await k.remove(a.apiKey, first.id)).statusCode).toBe(204);
    expect(await k.exists(fileA)).toBe(true);
    expect((await k.blobRows(a.orgId)).some((r) => r.hash === hash)).toBe(true);

    expect((await k.remove(a.apiKey, second.id)).statusCode).toBe(204);
    expect(await k.exists(fileA)).toBe(false);
    expect((await k.blobRows(a.orgId)).some((r) => r.hash === hash)).toBe(false);
    // Org B's copy is its own.
    expect(await k.exists(fileB)).toBe(true);
    expect((await k.search(b.apiKey, 'harrowdale manual'))[0]?.sourceId).toBe(other.id);
  });
});
