import { extractCsv } from './csv.js';
import { extractDocx } from './docx.js';
import { extractHtml } from './html.js';
import { extractJsonFaq } from './json-faq.js';
import { extractPdf } from './pdf.js';
import { sniffDocument } from './sniff.js';
import { type ExtractedDocument, ExtractionError, type ExtractLimits } from './types.js';

/**
 * Uploaded bytes → Markdown, whatever the format. The format is sniffed from the bytes (see
 * sniff.ts); every failure a file can cause — empty, oversized, corrupt, encrypted, mislabeled,
 * a decompression bomb, too many pages or rows — is an ExtractionError whose message tells the
 * uploader what to do. Anything else thrown from here is a bug in us, not in the file.
 */

export { checkUploadedDocument } from './check.js';
export { htmlToMarkdown } from './html-to-markdown.js';
export { type SniffedDocument, sniffDocument } from './sniff.js';
export { readDocumentTitle } from './title.js';
export * from './types.js';

/** Markdown with something to index besides headings and markup. */
const hasText = (markdown: string) =>
  markdown
    .split('\n')
    .filter((line) => !/^\s{0,3}(#{1,6}\s|[-|:\s]*$)/.test(line))
    .some((line) => /[\p{L}\p{N}]/u.test(line));

async function extractSniffed(input: {
  bytes: Uint8Array;
  fileName: string;
  options: Record<string, unknown>;
  limits: ExtractLimits;
}): Promise<ExtractedDocument> {
  const { bytes, fileName, options, limits } = input;
  const sniffed = await sniffDocument(bytes, fileName, options);
  const base = { format: sniffed.format, mimeType: sniffed.mimeType };
  const text = sniffed.text ?? '';
  switch (sniffed.format) {
    case 'pdf': {
      const pdf = await extractPdf(bytes, limits.maxPages, limits.maxExpandedBytes);
      return { ...base, ...pdf };
    }
    case 'docx':
      return { ...base, ...(await extractDocx(bytes, limits.maxExpandedBytes)) };
    case 'html':
      return { ...base, ...extractHtml(text) };
    case 'csv':
      return { ...base, title: null, markdown: extractCsv(text, fileName, options, limits.maxRows) };
    case 'json-faq':
      return { ...base, title: null, markdown: extractJsonFaq(text, limits.maxRows) };
    case 'markdown': {
      const h1 = /^ {0,3}# +(.+?)[ #]*$/m.exec(text)?.[1]?.trim() ?? null;
      return { ...base, title: h1 || null, markdown: text };
    }
    case 'text':
      return { ...base, title: null, markdown: text };
  }
}

export async function extractDocument(input: {
  bytes: Uint8Array;
  fileName: string;
  options?: Record<string, unknown>;
  limits: ExtractLimits;
}): Promise<ExtractedDocument> {
  const { bytes, limits } = input;
  if (bytes.length === 0) throw new ExtractionError('The file is empty', 'empty');
  if (bytes.length > limits.maxBytes) {
    throw new ExtractionError(
      `The file is ${bytes.length} bytes; the limit is ${limits.maxBytes} bytes`,
      'too_large',
    );
  }
  const document = await extractSniffed({ ...input, options: input.options ?? {} });
  if (!hasText(document.markdown)) {
    throw new ExtractionError(
      'The document has no text to index (it holds only headings or markup)',
      'empty',
    );
  }
  return document;
}
