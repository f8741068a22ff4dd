import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import { nonBlank } from '../../http/schemas.js';
import { findFirstHeading } from './chunk-markdown.js';
import { decodeTextFile, formatFromFileName, titleFromFileName } from './extract.js';
import type { NewSource } from './service.js';

export const TITLE_MAX = 300;
const FILE_NAME_MAX = 255;

/** Titles and content are stored as PostgreSQL text, which cannot hold NUL. */
export const hasNoNul = (value: string) => !value.includes('\u0000');

export const titleSchema = nonBlank(TITLE_MAX).refine(hasNoNul, 'must not contain NUL characters');

/** The file name as shown back to people: no control characters, no surrounding spaces. */
const cleanFileName = (name: string) =>
  [...name]
    .filter((c) => c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) !== 0x7f)
    .join('')
    .trim();

/** @fastify/multipart's limit errors, said in terms of this route. */
function multipartError(error: unknown, maxBytes: number): unknown {
  const code = (error as { code?: string })?.code;
  if (code === 'FST_REQ_FILE_TOO_LARGE') {
    return new AppError('payload_too_large', `The file is larger than the upload limit of ${maxBytes} bytes`);
  }
  if (code === 'FST_FILES_LIMIT') return new AppError('bad_request', 'Upload one file per request');
  if (code === 'FST_FIELDS_LIMIT' || code === 'FST_PARTS_LIMIT') {
    return new AppError('bad_request', 'Too many fields: send "file" and optionally "title"');
  }
  return error;
}

/**
 * Reads a multipart upload: exactly one file in the field `file` (.txt, .md or .markdown, UTF-8
 * text) and optionally a `title`. Any other field is refused, like unknown JSON fields are.
 * The default title is the document's first H1, else the file name without its extension.
 * The size limit is enforced while streaming (413 from @fastify/multipart), not after.
 */
export async function readUploadedSource(request: FastifyRequest, maxBytes: number): Promise<NewSource> {
  let file: { fileName: string; bytes: Buffer } | undefined;
  let title: string | undefined;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file') {
          throw new AppError(
            'bad_request',
            `Unexpected file field "${part.fieldname}": send the file in the field "file"`,
          );
        }
        // Refuse an unsupported type before reading (and buffering) the bytes.
        formatFromFileName(cleanFileName(part.filename ?? ''));
        file = { fileName: part.filename ?? '', bytes: await part.toBuffer() };
        continue;
      }
      if (part.fieldname !== 'title') {
        throw new AppError(
          'bad_request',
          `Unexpected field "${part.fieldname}": send "file" and optionally "title"`,
        );
      }
      if (title !== undefined) throw new AppError('bad_request', 'Send the field "title" once');
      if (part.valueTruncated) {
        throw new AppError('validation_failed', 'The request does not match the expected shape', [
          { path: 'body.title', message: `must be at most ${TITLE_MAX} characters` },
        ]);
      }
      title = String(part.value);
    }
  } catch (error) {
    throw multipartError(error, maxBytes);
  }
  if (!file) throw new AppError('bad_request', 'Send the document in a multipart field named "file"');

  const fileName = cleanFileName(file.fileName);
  if (fileName.length > FILE_NAME_MAX) {
    throw new AppError('bad_request', `The file name must be at most ${FILE_NAME_MAX} characters`);
  }
  const format = formatFromFileName(fileName);
  const content = decodeTextFile(file.bytes);

  let finalTitle: string;
  if (title !== undefined) {
    const parsed = titleSchema.safeParse(title);
    if (!parsed.success) {
      throw new AppError(
        'validation_failed',
        'The request does not match the expected shape',
        parsed.error.issues.map((issue) => ({ path: 'body.title', message: issue.message })),
      );
    }
    finalTitle = parsed.data;
  } else {
    const heading = format === 'markdown' ? findFirstHeading(content) : null;
    finalTitle = (heading || titleFromFileName(fileName)).slice(0, TITLE_MAX);
  }
  return { type: 'file', title: finalTitle, content, format, fileName, byteSize: file.bytes.length };
}

/** The JSON form: `{ "type": "text", "title", "content" }`, content as plain text or Markdown. */
export const textSourceBody = z.strictObject({
  type: z.literal('text', {
    error: 'must be "text" (upload .txt and .md files as multipart/form-data in the field "file")',
  }),
  title: titleSchema,
  content: z
    .string()
    .refine((value) => value.trim().length > 0, 'must not be blank')
    .refine(hasNoNul, 'must not contain NUL characters'),
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
