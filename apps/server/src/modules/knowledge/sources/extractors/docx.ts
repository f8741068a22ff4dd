import { zipSync } from 'fflate';
import mammoth from 'mammoth';
import { oneLine } from './faq-markdown.js';
import { htmlToMarkdown } from './html-to-markdown.js';
import { ExtractionError } from './types.js';
import { readZipEntries } from './zip.js';

/**
 * Word (.docx) documents → HTML (mammoth, which maps Word's heading styles, lists and tables) →
 * Markdown. mammoth never sees the uploaded archive: only its XML parts are inflated here, under
 * the expansion limit, and handed over re-packed without compression, so a decompression bomb is
 * stopped before mammoth's own unzipping could run into it. Images are not read.
 */

const isXmlPart = (name: string) => /\.(xml|rels)$/i.test(name) && !/^word\/(media|embeddings)\//i.test(name);

/** The title in docProps/core.xml (Word's File > Properties), if set. */
export function coreTitle(xml: Uint8Array | undefined): string | null {
  if (!xml) return null;
  const match = /<dc:title>([\s\S]*?)<\/dc:title>/.exec(Buffer.from(xml).toString('utf8'));
  const decoded = match?.[1]
    ?.replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
  return decoded ? oneLine(decoded) || null : null;
}

export async function extractDocx(
  bytes: Uint8Array,
  maxExpandedBytes: number,
): Promise<{ title: string | null; markdown: string }> {
  const parts = await readZipEntries(bytes, isXmlPart, maxExpandedBytes);
  if (!parts.has('word/document.xml'))
    throw new ExtractionError('The Word document has no body (word/document.xml)');
  const repacked = zipSync(Object.fromEntries(parts), { level: 0 });
  let html: string;
  try {
    const result = await mammoth.convertToHtml(
      { buffer: Buffer.from(repacked.buffer, repacked.byteOffset, repacked.byteLength) },
      {
        externalFileAccess: false,
        ignoreEmptyParagraphs: true,
        // Images are dropped from the text; do not read them at all.
        convertImage: mammoth.images.imgElement(async () => ({ src: '' })),
      },
    );
    html = result.value;
  } catch {
    throw new ExtractionError('The Word document could not be read (it may be damaged)');
  }
  const markdown = htmlToMarkdown(html);
  const h1 = /^# (.+)$/m.exec(markdown)?.[1] ?? null;
  return { title: coreTitle(parts.get('docProps/core.xml')) ?? (h1 ? oneLine(h1) : null), markdown };
}
