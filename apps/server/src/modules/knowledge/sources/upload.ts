import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../../platform/errors.js';
import { nonBlank, safeString } from '../../../platform/http/schemas.js';
import type { NewSource } from './service.js';

export const TITLE_MAX = 300;
/** A manual Q&A answer is one chunk: long enough for a real answer, short enough to stay whole. */
export const QA_ANSWER_MAX = 4000;
const FILE_NAME_MAX = 255;

/** Titles and content are stored as PostgreSQL text: `nonBlank` and `safeString` refuse NUL. */
export const titleSchema = nonBlank(TITLE_MAX);

/** The multipart fields that choose CSV columns (contentColumns may be repeated). */
export const CSV_OPTION_FIELDS = ['questionColumn', 'answerColumn', 'titleColumn', 'contentColumns'] as const;
const ALLOWED_FIELDS = `"file", and optionally "title", ${CSV_OPTION_FIELDS.map((f) => `"${f}"`).join(', ')}`;

/** The file name as shown back to people: no directories, no control characters, no surrounding spaces. */
const cleanFileName = (name: string) =>
  [...(name.split(/[\\/]/).at(-1) ?? '')]
    .filter((c) => c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) !== 0x7f)
    .join('')
    .trim();

/**
 * Errors while reading the upload, said in terms of this route. @fastify/multipart's carry FST_
 * codes (limits, premature close); busboy's are plain Errors without a code, and describe the
 * body itself (no boundary, a truncated body, unreadable part headers). Nothing else runs inside
 * the read loop, so a code-less Error there is the client's malformed body, not our fault.
 */
function multipartError(error: unknown, maxBytes: number): unknown {
  if (error instanceof AppError) return error;
  const code = (error as { code?: string })?.code;
  if (code === 'FST_REQ_FILE_TOO_LARGE') {
    return new AppError('payload_too_large', `The file is larger than the upload limit of ${maxBytes} bytes`);
  }
  if (code === 'FST_FILES_LIMIT') return new AppError('bad_request', 'Upload one file per request');
  if (code === 'FST_FIELDS_LIMIT' || code === 'FST_PARTS_LIMIT') {
    return new AppError('bad_request', `Too many fields: send ${ALLOWED_FIELDS}`);
  }
  if (code === undefined && error instanceof Error) {
    return new AppError(
      'bad_request',
      'The multipart/form-data body is malformed (check its boundary, part headers and closing boundary)',
    );
  }
  return error;
}

const fieldTooLong = (field: string) =>
  new AppError('validation_failed', 'The request does not match the expected shape', [
    { path: `body.${field}`, message: 'is too long' },
  ]);

export type UploadedFile = {
  bytes: Uint8Array;
  fileName: string;
  /** As sent; validated by the caller. */
  title?: string;
  /** CSV column choices, as sent. */
  options: Record<string, unknown>;
};

/**
 * Reads a multipart upload: exactly one file in the field `file`, optionally a `title` and CSV
 * column choices. Any other field is refused, like unknown JSON fields are. What the file is, is
 * decided later from its bytes (its name and declared type are not trusted). The size limit is
 * enforced while streaming (413 from @fastify/multipart), not after.
 */
export async function readUploadedFile(request: FastifyRequest, maxBytes: number): Promise<UploadedFile> {
  let file: { fileName: string; bytes: Buffer } | undefined;
  let title: string | undefined;
  const options: Record<string, unknown> = {};
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file') {
          throw new AppError(
            'bad_request',
            `Unexpected file field "${part.fieldname}": send the file in the field "file"`,
          );
        }
        file = { fileName: part.filename ?? '', bytes: await part.toBuffer() };
        continue;
      }
      const name = part.fieldname;
      if (part.valueTruncated) throw fieldTooLong(name);
      const value = String(part.value);
      if (name === 'title') {
        if (title !== undefined) throw new AppError('bad_request', 'Send the field "title" once');
        title = value;
      } else if (name === 'contentColumns') {
        options.contentColumns = [...((options.contentColumns as string[] | undefined) ?? []), value];
      } else if ((CSV_OPTION_FIELDS as readonly string[]).includes(name)) {
        if (options[name] !== undefined) throw new AppError('bad_request', `Send the field "${name}" once`);
        options[name] = value;
      } else {
        throw new AppError('bad_request', `Unexpected field "${name}": send ${ALLOWED_FIELDS}`);
      }
    }
  } catch (error) {
    throw multipartError(error, maxBytes);
  }
  if (!file) throw new AppError('bad_request', 'Send the document in a multipart field named "file"');
  const fileName = cleanFileName(file.fileName);
  if (fileName.length > FILE_NAME_MAX) {
    throw new AppError('bad_request', `The file name must be at most ${FILE_NAME_MAX} characters`);
  }
  return {
    bytes: new Uint8Array(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength),
    fileName,
    ...(title !== undefined ? { title } : {}),
    options,
  };
}

/** The JSON form: `{ "type": "text", "title", "content" }`, content as plain text or Markdown. */
export const textSourceBody = z.strictObject({
  type: z.literal('text', {
    error: 'must be "text", "qa" or "url" (upload files as multipart/form-data in the field "file")',
  }),
  title: titleSchema,
  content: safeString().refine((value) => value.trim().length > 0, 'must not be blank'),
});

/** A manual Q&A entry: `{ "type": "qa", "question", "answer" }`, indexed as one passage. */
export const qaSourceBody = z.strictObject({
  type: z.literal('qa'),
  question: titleSchema,
  answer: nonBlank(QA_ANSWER_MAX),
});

/** Turns a validated JSON body into a new source, enforcing the upload size limit on the content. */
export function textSourceFromJson(body: z.infer<typeof textSourceBody>, maxBytes: number): NewSource {
  const byteSize = Buffer.byteLength(body.content, 'utf8');
  if (byteSize > maxBytes) {
    throw new AppError(
      'payload_too_large',
      `The content is ${byteSize} bytes; the limit is ${maxBytes} bytes`,
    );
  }
  return {
    type: 'text',
    title: body.title,
    content: body.content.replace(/\r\n?/g, '\n'),
    // Pasted text is read as Markdown: plain prose is valid Markdown, and headings are kept.
    format: 'markdown',
    byteSize,
  };
}

/** A Q&A entry as a source: the question is its title, the answer its whole content. */
export function qaSourceFromJson(body: z.infer<typeof qaSourceBody>): NewSource {
  const answer = body.answer.replace(/\r\n?/g, '\n');
  return {
    type: 'qa',
    title: body.question,
    content: answer,
    format: 'markdown',
    byteSize: Buffer.byteLength(body.question, 'utf8') + Buffer.byteLength(answer, 'utf8'),
  };
}
