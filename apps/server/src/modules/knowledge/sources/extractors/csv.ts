import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { safeString } from '../../../../platform/http/schemas.js';
import { escapeBody, type FaqEntry, faqToMarkdown, oneLine } from './faq-markdown.js';
import { ExtractionError } from './types.js';

/**
 * CSV files as FAQ entries or records. The first row names the columns. The admin may choose
 * them (`{ questionColumn, answerColumn }` or `{ titleColumn, contentColumns }`); otherwise a
 * question-like and an answer-like header make it an FAQ, and failing that the first column is
 * each record's title and the others its body.
 */

/** Column names arrive as multipart fields (no JSON parser check) and are stored in jsonb. */
const columnName = safeString().trim().min(1).max(200);

export const csvOptionsSchema = z
  .object({
    questionColumn: columnName.optional(),
    answerColumn: columnName.optional(),
    titleColumn: columnName.optional(),
    contentColumns: z.array(columnName).min(1).max(50).optional(),
  })
  .refine((o) => (o.questionColumn === undefined) === (o.answerColumn === undefined), {
    message: 'questionColumn and answerColumn go together',
  })
  .refine((o) => !(o.questionColumn && (o.titleColumn || o.contentColumns)), {
    message: 'choose either questionColumn/answerColumn or titleColumn/contentColumns',
  });
export type CsvOptions = z.infer<typeof csvOptionsSchema>;

const QUESTION_HEADERS = ['question', 'questions', 'q', 'title', 'faq', 'query'];
const ANSWER_HEADERS = ['answer', 'answers', 'a', 'response', 'body', 'content', 'reply', 'text'];
const normalizeHeader = (h: string) =>
  h
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase();

/** The delimiter used most on the first line (outside quotes): comma, semicolon or tab. */
function detectDelimiter(text: string, fileName: string): string {
  if (fileName.toLowerCase().endsWith('.tsv')) return '\t';
  const counts = new Map<string, number>([
    [',', 0],
    [';', 0],
    ['\t', 0],
  ]);
  let quoted = false;
  for (const c of text) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === '\n') break;
    else if (!quoted && counts.has(c)) counts.set(c, counts.get(c)! + 1);
  }
  let best = ',';
  for (const [d, n] of counts) if (n > counts.get(best)!) best = d;
  return best;
}

function parseRows(text: string, fileName: string, maxRows: number): string[][] {
  let rows: string[][];
  try {
    rows = parse(text, {
      delimiter: detectDelimiter(text, fileName),
      bom: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      trim: true,
      // Header + maxRows data rows + one more, to tell "at the limit" from "over it".
      to: maxRows + 2,
      max_record_size: 1024 * 1024,
    }) as string[][];
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    throw new ExtractionError(
      `The CSV file could not be read${line ? ` (near line ${line})` : ''}: check its quoting`,
    );
  }
  if (rows.length > maxRows + 1) {
    throw new ExtractionError(
      `The CSV file has more than ${maxRows} rows (the limit); split it into smaller files`,
    );
  }
  if (rows.length < 2) throw new ExtractionError('The CSV file has a header row but no data rows', 'empty');
  return rows;
}

/** Column index of `name` in the header (case-insensitive), or a clear error listing the columns. */
function columnIndex(header: string[], name: string, option: string): number {
  const i = header.findIndex((h) => normalizeHeader(h) === normalizeHeader(name));
  if (i < 0) {
    const shown = header.map((h) => `"${h}"`).join(', ');
    throw new ExtractionError(
      `The ${option} "${name}" is not a column of the CSV file; its columns are ${shown}`,
    );
  }
  return i;
}

type Mapping = { heading: number; body: number[]; labelled: boolean };

function chooseMapping(header: string[], options: CsvOptions): Mapping {
  if (options.questionColumn && options.answerColumn) {
    return {
      heading: columnIndex(header, options.questionColumn, 'questionColumn'),
      body: [columnIndex(header, options.answerColumn, 'answerColumn')],
      labelled: false,
    };
  }
  if (options.titleColumn || options.contentColumns) {
    const heading = options.titleColumn ? columnIndex(header, options.titleColumn, 'titleColumn') : 0;
    const body = options.contentColumns
      ? options.contentColumns.map((c) => columnIndex(header, c, 'contentColumns'))
      : header.map((_, i) => i).filter((i) => i !== heading);
    return { heading, body, labelled: body.length > 1 };
  }
  const normalized = header.map(normalizeHeader);
  const question = normalized.findIndex((h) => QUESTION_HEADERS.includes(h));
  const answer = normalized.findIndex((h, i) => i !== question && ANSWER_HEADERS.includes(h));
  if (question >= 0 && answer >= 0) return { heading: question, body: [answer], labelled: false };
  const body = header.map((_, i) => i).filter((i) => i !== 0);
  return { heading: 0, body, labelled: body.length > 1 };
}

/** Checks the header against the options without reading the rows (for a 400 at upload). */
export function checkCsvColumns(text: string, fileName: string, options: CsvOptions): void {
  let header: string[] | undefined;
  try {
    [header] = parse(text, {
      delimiter: detectDelimiter(text, fileName),
      bom: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      trim: true,
      to: 1,
    }) as string[][];
  } catch {
    return; // Reading the file will explain what is wrong with it.
  }
  chooseMapping(header ?? [], options);
}

export function extractCsv(
  text: string,
  fileName: string,
  rawOptions: Record<string, unknown>,
  maxRows: number,
): string {
  const parsedOptions = csvOptionsSchema.safeParse(rawOptions);
  if (!parsedOptions.success) {
    throw new ExtractionError(`The CSV column choice is invalid: ${parsedOptions.error.issues[0]?.message}`);
  }
  const [header, ...rows] = parseRows(text, fileName, maxRows);
  const mapping = chooseMapping(header!, parsedOptions.data);
  const entries: FaqEntry[] = [];
  for (const row of rows) {
    const heading = oneLine(row[mapping.heading] ?? '');
    const parts = mapping.body
      .map((i) => ({ label: oneLine(header![i] ?? ''), value: escapeBody(row[i] ?? '') }))
      .filter((p) => p.value !== '');
    // A record with no title is not an entry; with a title but no body it has nothing to find.
    if (!heading || parts.length === 0) continue;
    const body = mapping.labelled
      ? parts.map((p) => `${p.label}: ${p.value}`).join('\n\n')
      : parts.map((p) => p.value).join('\n\n');
    entries.push({ heading, body });
  }
  if (entries.length === 0) {
    throw new ExtractionError(
      'No row of the CSV file has both a title (or question) and some content',
      'empty',
    );
  }
  return faqToMarkdown(entries);
}
