import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, sendProblem, toAppError, toProblem } from '../errors.js';
import { errorForLog } from '../logger.js';

/**
 * Errors raised before a request reaches a route still answer with problem+json, never Fastify's
 * or Node's plain JSON or text. Two places, passed as Fastify constructor options in app.ts:
 * - `frameworkErrors`: the router could not take the URL (bad percent-encoding such as `/%` →
 *   400, a path parameter over `maxParamLength` → 414). A request and reply exist, so the usual
 *   problem body is sent.
 * - `clientErrorHandler`: Node's HTTP parser refused the bytes (headers or URL over the header
 *   size limit → 431, a malformed request line → 400, a timeout → 408). There is no request, only
 *   the socket: a minimal response is written on it and the connection is closed.
 */

export function answerFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const appError = toAppError(error);
  if (appError) return sendProblem(reply, appError, request);
  request.log.error({ error: errorForLog(error) }, 'framework error');
  return sendProblem(reply, new AppError('internal', 'An unexpected error occurred'), request);
}

/** Node's parser error codes (llhttp) as our errors; anything else it refuses is a bad request. */
function clientErrorFor(code: string | undefined): AppError {
  if (code === 'HPE_HEADER_OVERFLOW') {
    return new AppError('headers_too_large', 'The request line and headers exceed the size limit');
  }
  if (code === 'HPE_CHUNK_EXTENSIONS_OVERFLOW') {
    return new AppError('payload_too_large', 'The chunk extensions exceed the size limit');
  }
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return new AppError('request_timeout', 'The request was not received in time');
  }
  return new AppError('bad_request', 'The request is not valid HTTP/1.1');
}

export function answerClientError(this: FastifyInstance, error: Error & { code?: string }, socket: Socket) {
  // A reset or already closed connection has no one to answer; a socket that has already sent
  // bytes is mid-response, and appending a second response would corrupt it.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  this.log.debug({ code: error.code }, 'client error before routing');
  if (!socket.writable || socket.bytesWritten > 0) {
    socket.destroy();
    return;
  }
  const appError = clientErrorFor(error.code);
  const body = JSON.stringify(toProblem(appError));
  socket.end(
    `HTTP/1.1 ${appError.status} ${STATUS_CODES[appError.status]}\r\n` +
      'Content-Type: application/problem+json\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
}
