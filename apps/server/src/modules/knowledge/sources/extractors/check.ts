import { checkCsvColumns, csvOptionsSchema } from './csv.js';
import { type SniffedDocument, sniffDocument } from './sniff.js';
import { ExtractionError } from './types.js';

/**
 * The cheap checks an upload gets before it is stored and queued: not empty, within the size
 * limit, a format we read (sniffed from the bytes), and CSV column choices that name columns
 * the file has. Reading the whole document (parsing a PDF, unzipping a .docx) is left to the
 * ingestion job, where a failure becomes the source's error.
 */
export async function checkUploadedDocument(input: {
  bytes: Uint8Array;
  fileName: string;
  options: Record<string, unknown>;
  maxBytes: number;
}): Promise<SniffedDocument> {
  const { bytes, fileName, options, maxBytes } = input;
  if (bytes.length > maxBytes) {
    throw new ExtractionError(`The file is larger than the upload limit of ${maxBytes} bytes`, 'too_large');
  }
  const sniffed = await sniffDocument(bytes, fileName, options);
  if (Object.keys(options).length > 0) {
    if (sniffed.format !== 'csv') {
      throw new ExtractionError(
        `Column choices apply to CSV files only; this file was read as ${sniffed.format === 'json-faq' ? 'JSON' : sniffed.format.toUpperCase()}`,
      );
    }
    const parsed = csvOptionsSchema.safeParse(options);
    if (!parsed.success)
      throw new ExtractionError(parsed.error.issues[0]?.message ?? 'Invalid column choice');
    checkCsvColumns(sniffed.text ?? '', fileName, parsed.data);
  }
  return sniffed;
}
