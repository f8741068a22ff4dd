import { getDocumentProxy } from 'unpdf';
import { checkPdfExpansion } from './pdf-expansion.js';
import { ExtractionError } from './types.js';

/**
 * PDFs → Markdown with pdf.js (through unpdf, which runs it without a worker or a canvas).
 * PDFs carry no headings, only positioned text; lines set noticeably larger than the body text
 * are taken as headings (the largest size → `#`, the next → `##`, smaller ones → `###`), and a
 * vertical gap wider than a line starts a new paragraph, so the chunker sees the document's shape.
 */

type Line = { text: string; size: number; y: number; page: number };
type TextItem = { str: string; transform: number[]; hasEOL: boolean; height: number };

const HEADING_RATIO = 1.2;
const HEADING_MAX_CHARS = 150;

async function readLines(pdf: Awaited<ReturnType<typeof getDocumentProxy>>): Promise<Line[]> {
  const lines: Line[] = [];
  for (let n = 1; n <= pdf.numPages; n++) {
    const page = await pdf.getPage(n);
    const content = await page.getTextContent();
    let current: Line | null = null;
    const flush = () => {
      if (current?.text.trim()) lines.push({ ...current, text: current.text.replace(/\s+/g, ' ').trim() });
      current = null;
    };
    for (const raw of content.items) {
      if (!('str' in raw)) continue;
      const item = raw as TextItem;
      const size = Math.hypot(item.transform[2] ?? 0, item.transform[3] ?? 0) || item.height;
      current ??= { text: '', size: 0, y: item.transform[5] ?? 0, page: n };
      current.text += item.str;
      if (item.str.trim()) current.size = Math.max(current.size, size);
      if (item.hasEOL) flush();
    }
    flush();
    page.cleanup();
  }
  return lines;
}

/** The font size most of the text is set in. */
function bodySize(lines: Line[]): number {
  const chars = new Map<number, number>();
  for (const line of lines) {
    const size = Math.round(line.size * 2) / 2;
    chars.set(size, (chars.get(size) ?? 0) + line.text.length);
  }
  let best = 0;
  let most = -1;
  for (const [size, n] of chars) if (n > most) [best, most] = [size, n];
  return best;
}

function linesToMarkdown(lines: Line[]): string {
  const body = bodySize(lines);
  const isHeading = (l: Line) =>
    body > 0 && l.size >= body * HEADING_RATIO && l.text.length <= HEADING_MAX_CHARS && /\p{L}/u.test(l.text);
  const headingSizes = [...new Set(lines.filter(isHeading).map((l) => Math.round(l.size)))].sort(
    (a, b) => b - a,
  );
  const out: string[] = [];
  let previous: Line | null = null;
  for (const line of lines) {
    if (isHeading(line)) {
      const level = Math.min(headingSizes.indexOf(Math.round(line.size)) + 1, 3);
      out.push('', `${'#'.repeat(level)} ${line.text}`, '');
    } else {
      const gap = previous && previous.page === line.page ? previous.y - line.y : Number.POSITIVE_INFINITY;
      if (!previous || isHeading(previous) || gap > Math.max(line.size, body) * 1.6 || gap < 0) out.push('');
      out.push(line.text);
    }
    previous = line;
  }
  return out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

export async function extractPdf(
  bytes: Uint8Array,
  maxPages: number,
  maxExpandedBytes: number,
): Promise<{ title: string | null; markdown: string; pages: number }> {
  checkPdfExpansion(bytes, maxExpandedBytes);
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    // A copy: pdf.js may take ownership of (detach) the buffer it is given.
    pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 });
  } catch (error) {
    const name = (error as Error)?.name;
    if (name === 'PasswordException') {
      throw new ExtractionError('The PDF is password-protected: remove the password and upload it again');
    }
    throw new ExtractionError('The file is not a readable PDF (it may be damaged or incomplete)');
  }
  try {
    if (pdf.numPages > maxPages) {
      throw new ExtractionError(
        `The PDF has ${pdf.numPages} pages; the limit is ${maxPages}. Split it into smaller files`,
      );
    }
    let lines: Line[];
    let title: string | null = null;
    try {
      lines = await readLines(pdf);
      const info = (await pdf.getMetadata()).info as { Title?: unknown };
      if (typeof info?.Title === 'string' && info.Title.trim())
        title = info.Title.replace(/\s+/g, ' ').trim();
    } catch {
      throw new ExtractionError('The PDF could not be read to the end (it may be damaged)');
    }
    const markdown = linesToMarkdown(lines);
    if (!markdown) {
      throw new ExtractionError(
        'The PDF has no text to read (it may be scanned pages, which are images; text recognition is not supported)',
        'empty',
      );
    }
    title ??= /^# (.+)$/m.exec(markdown)?.[1] ?? null;
    return { title, markdown, pages: pdf.numPages };
  } finally {
    await pdf.loadingTask.destroy().catch(() => {});
  }
}
