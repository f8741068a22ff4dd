import { APICallError } from 'ai';

/**
 * When a failed model call attempt is worth another try, and after how long.
 *
 * Retryable: the provider could not be reached (network errors), answered 408, 409, 429 or 5xx
 * (the AI SDK's `isRetryable`), or sent nothing before the attempt's deadline. Never retried: a
 * 4xx that will fail the same way again (bad key, unknown model, bad request), an address the
 * outbound guard refused, a configuration error. The gateway retries only before the first
 * token: text the visitor has seen cannot be taken back.
 *
 * The wait is short (a visitor is waiting): exponential from BASE_DELAY_MS with jitter, so many
 * answers failing together do not retry in step. A Retry-After (or retry-after-ms) header is
 * honoured when it asks for at most RETRY_AFTER_CAP_MS; asking for longer means the provider will
 * not be ready soon, so no retry — the next fallback answers sooner.
 */
export const BASE_DELAY_MS = 200;
export const RETRY_AFTER_CAP_MS = 3_000;

/** Marks a deadline the gateway set itself (an attempt that sent nothing in time). */
export class AttemptTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`The provider sent nothing within ${timeoutMs} ms`);
    this.name = 'AttemptTimeoutError';
  }
}

/** Milliseconds to wait before retry number `attempt + 1`, or null when not worth retrying. */
export function retryDelayMs(
  error: unknown,
  attempt: number,
  random: () => number = Math.random,
): number | null {
  if (error instanceof AttemptTimeoutError) return backoff(attempt, random);
  if (!APICallError.isInstance(error) || !error.isRetryable) return null;
  const asked = retryAfterMs(error.responseHeaders);
  if (asked === null) return backoff(attempt, random);
  return asked <= RETRY_AFTER_CAP_MS ? asked : null;
}

const backoff = (attempt: number, random: () => number) =>
  Math.round(BASE_DELAY_MS * 2 ** attempt * (0.5 + random() / 2));

/** The wait a response asks for (retry-after-ms, else Retry-After in seconds or as a date), or null. */
export function retryAfterMs(headers: Record<string, string> | undefined, now = Date.now()): number | null {
  if (!headers) return null;
  const ms = Number.parseFloat(headers['retry-after-ms'] ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers['retry-after'];
  if (!value) return null;
  const seconds = Number(value.trim());
  if (value.trim() !== '' && Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : null;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}
