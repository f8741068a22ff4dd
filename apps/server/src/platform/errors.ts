import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { errorForLog } from './logger.js';

/**
 * One error type for the whole server. Services throw AppError with a code; the HTTP layer maps
 * the code to a status through one table and answers with RFC 9457 problem+json. Anything that is
 * not an AppError is an internal fault: logged with its stack, answered with a bare 500.
 */
export const errorStatus = {
  bad_request: 400,
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  /** The organization is scheduled for deletion: refused until an owner restores it. */
  org_deleted: 403,
  /** The signed-in person's account is scheduled for deletion: only restoring it is allowed. */
  account_deleted: 403,
  not_found: 404,
  method_not_allowed: 405,
  request_timeout: 408,
  conflict: 409,
  gone: 410,
  payload_too_large: 413,
  uri_too_long: 414,
  unsupported_media_type: 415,
  unprocessable: 422,
  rate_limited: 429,
  /** The organization's monthly usage limit is reached and a model call was asked for. */
  quota_exceeded: 429,
  headers_too_large: 431,
  internal: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;

const titles: Record<ErrorCode, string> = {
  bad_request: 'Bad request',
  validation_failed: 'Validation failed',
  unauthorized: 'Unauthorized',
  forbidden: 'Forbidden',
  org_deleted: 'Organization scheduled for deletion',
  account_deleted: 'Account scheduled for deletion',
  not_found: 'Not found',
  method_not_allowed: 'Method not allowed',
  request_timeout: 'Request timeout',
  conflict: 'Conflict',
  gone: 'Gone',
  payload_too_large: 'Payload too large',
  uri_too_long: 'URI too long',
  unsupported_media_type: 'Unsupported media type',
  unprocessable: 'Unprocessable content',
  rate_limited: 'Too many requests',
  quota_exceeded: 'Usage limit reached',
  headers_too_large: 'Request header fields too large',
  internal: 'Internal server error',
  unavailable: 'Service unavailable',
};

export type ProblemIssue = { path: string; message: string };

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly issues?: ProblemIssue[],
  ) {
    super(message ?? titles[code]);
    this.name = 'AppError';
    this.status = errorStatus[code];
  }
}

export const notFound = (what = 'Resource') => new AppError('not_found', `${what} not found`);

export type Problem = {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  instance?: string;
  requestId?: string;
  issues?: ProblemIssue[];
};

export function toProblem(err: AppError, requestId?: string, instance?: string): Problem {
  return {
    type: `https://confidant.dev/problems/${err.code.replaceAll('_', '-')}`,
    title: titles[err.code],
    status: err.status,
    detail: err.message,
    code: err.code,
    ...(instance ? { instance } : {}),
    ...(requestId ? { requestId } : {}),
    ...(err.issues && err.issues.length > 0 ? { issues: err.issues } : {}),
  };
}

/**
 * Fastify's own client errors (bad JSON, body too large, bad content type, a URL it cannot route,
 * a malformed multipart upload…) mapped to our codes.
 */
const fastifyCodeMap: Record<string, ErrorCode> = {
  FST_ERR_BAD_URL: 'bad_request',
  FST_ERR_MAX_PARAM_LENGTH: 'uri_too_long',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'bad_request',
  FST_ERR_CTP_INVALID_JSON_BODY: 'bad_request',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad_request',
  FST_ERR_CTP_INVALID_TYPE: 'bad_request',
  FST_ERR_VALIDATION: 'validation_failed',
  FST_ERR_NOT_FOUND: 'not_found',
  FST_REQ_FILE_TOO_LARGE: 'payload_too_large',
  FST_FILES_LIMIT: 'payload_too_large',
  FST_PARTS_LIMIT: 'payload_too_large',
  FST_FIELDS_LIMIT: 'payload_too_large',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'unsupported_media_type',
  FST_MP_PREMATURE_CLOSE: 'bad_request',
  FST_PROTO_VIOLATION: 'bad_request',
  FST_INVALID_JSON_FIELD_ERROR: 'bad_request',
  FST_ERR_RATE_LIMIT: 'rate_limited',
};

/** Our words for Fastify errors whose own message would echo the request or say too little. */
const fastifyMessages: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'The body is not valid JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'The body is empty but JSON was declared',
  FST_ERR_BAD_URL: 'The URL is not validly percent-encoded',
  FST_ERR_MAX_PARAM_LENGTH: 'A path segment of the URL is too long',
  FST_MP_PREMATURE_CLOSE: 'The multipart/form-data body ended before its closing boundary',
};

/** Normalises anything thrown in a request into an AppError (or null for an internal fault). */
export function toAppError(error: unknown): AppError | null {
  if (error instanceof AppError) return error;
  const e = error as FastifyError & { statusCode?: number };
  if (hasZodFastifySchemaValidationErrors(e)) {
    const issues = e.validation.map((v) => ({
      path: [e.validationContext, v.instancePath.replace(/^\//, '').replaceAll('/', '.')]
        .filter(Boolean)
        .join('.'),
      message: v.message ?? 'invalid',
    }));
    return new AppError('validation_failed', 'The request does not match the expected shape', issues);
  }
  if (e?.code && fastifyCodeMap[e.code]) {
    const code = fastifyCodeMap[e.code]!;
    return new AppError(code, fastifyMessages[e.code]);
  }
  if (e?.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
    const code =
      (Object.entries(errorStatus).find(([, s]) => s === e.statusCode)?.[0] as ErrorCode | undefined) ??
      'bad_request';
    // Library 4xx messages are short and describe the client's mistake; they never carry SQL.
    return new AppError(code, code === 'rate_limited' ? undefined : e.message);
  }
  return null;
}

export function sendProblem(reply: FastifyReply, err: AppError, request: FastifyRequest) {
  return reply
    .status(err.status)
    .type('application/problem+json')
    .send(toProblem(err, String(request.id), request.url.split('?')[0]));
}

export function registerErrorHandling(app: FastifyInstance) {
  app.setErrorHandler((error, request, reply) => {
    const appError = toAppError(error);
    if (appError) {
      if (appError.status >= 500) request.log.error({ error: errorForLog(error) }, 'request failed');
      return sendProblem(reply, appError, request);
    }
    request.log.error({ error: errorForLog(error) }, 'unhandled error');
    return sendProblem(reply, new AppError('internal', 'An unexpected error occurred'), request);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      reply,
      new AppError('not_found', `No route for ${request.method} ${request.url.split('?')[0]}`),
      request,
    ),
  );
}
