import type { FastifyRequest } from 'fastify';
import { AppError } from '../../platform/errors.js';
import { UPLOAD_FIELD_NAMES, uploadFields } from './schemas.js';
import type { NewCall } from './service.js';

const ALLOWED = `"file", and optionally ${UPLOAD_FIELD_NAMES.map((f) => `"${f}"`).join(', ')}`;

/** The file name as shown back: no directories, no control characters. */
const cleanFileName = (name: string) =>
  [...(name.split(/[\\/]/).at(-1) ?? '')]
    .filter((c) => c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) !== 0x7f)
    .join('')
    .trim()
    .slice(0, 255);

/** @fastify/multipart's limit errors (FST_ codes) and busboy's code-less parse errors, in words. */
function multipartError(error: unknown, maxBytes: number): unknown {
  if (error instanceof AppError) return error;
  const code = (error as { code?: string })?.code;
  if (code === 'FST_REQ_FILE_TOO_LARGE') {
    return new AppError(
      'payload_too_large',
      `The recording is larger than the upload limit of ${maxBytes} bytes`,
    );
  }
  if (code === 'FST_FILES_LIMIT') return new AppError('bad_request', 'Upload one recording per request');
  if (code === 'FST_FIELDS_LIMIT' || code === 'FST_PARTS_LIMIT') {
    return new AppError('bad_request', `Too many fields: send ${ALLOWED}`);
  }
  if (code === undefined && error instanceof Error) {
    return new AppError(
      'bad_request',
      'The multipart/form-data body is malformed (check its boundary, part headers and closing boundary)',
    );
  }
  return error;
}

/**
 * Reads a call upload: exactly one file in `file`, and the optional text fields of uploadFields
 * (any other field is refused). The byte limit is enforced while streaming (the server's hard
 * cap); the org's own limit, the type and the duration are checked from the bytes (audio-file.ts).
 */
export async function readCallUpload(request: FastifyRequest, maxBytes: number): Promise<NewCall> {
  let file: { fileName: string; bytes: Buffer } | undefined;
  const fields: Record<string, string> = {};
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file') {
          throw new AppError(
            'bad_request',
            `Unexpected file field "${part.fieldname}": send the recording in "file"`,
          );
        }
        if (file) throw new AppError('bad_request', 'Upload one recording per request');
        file = { fileName: part.filename ?? '', bytes: await part.toBuffer() };
        continue;
      }
      const name = part.fieldname;
      if (!UPLOAD_FIELD_NAMES.includes(name)) {
        throw new AppError('bad_request', `Unexpected field "${name}": send ${ALLOWED}`);
      }
      if (part.valueTruncated) {
        throw new AppError('validation_failed', 'The request does not match the expected shape', [
          { path: `body.${name}`, message: 'is too long' },
        ]);
      }
      if (fields[name] !== undefined) throw new AppError('bad_request', `Send the field "${name}" once`);
      fields[name] = String(part.value);
    }
  } catch (error) {
    throw multipartError(error, maxBytes);
  }
  const parsed = uploadFields.safeParse(fields);
  if (!parsed.success) {
    throw new AppError(
      'validation_failed',
      'The request does not match the expected shape',
      parsed.error.issues.map((i) => ({ path: `body.${i.path.join('.')}`, message: i.message })),
    );
  }
  if (!file) throw new AppError('bad_request', 'Send the recording in a multipart field named "file"');
  return {
    bytes: new Uint8Array(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength),
    fileName: cleanFileName(file.fileName),
    ...parsed.data,
  };
}
