/**
 * An error body, RFC 9457 `application/problem+json`; also the data of an SSE `error` event.
 * `code` is the server's stable error code (e.g. `validation`, `not_found`, `rate_limited`).
 */
export type Problem = {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  [extension: string]: unknown;
};
