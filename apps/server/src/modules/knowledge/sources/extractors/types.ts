/**
 * The contract between uploaded bytes and the indexing pipeline: what a document became once
 * read, and the one error type whose message is shown to the person who uploaded the file.
 */

export type ExtractLimits = {
  /** Largest file accepted, in bytes. */
  maxBytes: number;
  /** Most pages a PDF may have. */
  maxPages: number;
  /** Most bytes an archive (a .docx) may expand to once unzipped. */
  maxExpandedBytes: number;
  /** Most data rows a CSV file may have. */
  maxRows: number;
};

export const documentFormats = ['pdf', 'docx', 'html', 'markdown', 'text', 'csv', 'json-faq'] as const;
export type DocumentFormat = (typeof documentFormats)[number];

export type ExtractedDocument = {
  format: DocumentFormat;
  /** Sniffed from the bytes, never taken from the file name or the client. */
  mimeType: string;
  /** From the document itself (PDF title, first H1, <title>…) when it has one. */
  title: string | null;
  /** The text as Markdown: headings kept; FAQ rows and entries as `## Question\n\nAnswer`. */
  markdown: string;
  /** PDFs: how many pages were read. */
  pages?: number;
};

export const mimeTypeOf: Record<DocumentFormat, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  html: 'text/html',
  markdown: 'text/markdown',
  text: 'text/plain',
  csv: 'text/csv',
  'json-faq': 'application/json',
};

/**
 * Why a file cannot become knowledge. `reason` lets the HTTP layer pick a status when this is
 * raised at upload: `empty` → 400, `too_large` → 413, `unsupported` → 415, `invalid` → 400 when
 * it is about the request (a CSV column that does not exist), else a `failed` source.
 */
export type ExtractionFailure = 'empty' | 'too_large' | 'unsupported' | 'invalid';

export class ExtractionError extends Error {
  constructor(
    message: string,
    readonly reason: ExtractionFailure = 'invalid',
  ) {
    super(message);
    this.name = 'ExtractionError';
  }
}
