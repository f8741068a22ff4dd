import { APICallError } from 'ai';
import { AppError } from '../../../platform/errors.js';
import { FetchRefusedError } from '../../../platform/net/outbound-policy.js';
import { ProviderConfigurationError } from '../provider-registry.js';
import { AttemptTimeoutError } from '../retry-policy.js';

/**
 * Why a speech provider call failed, for callers to map to their own answer:
 * - 'timeout': nothing arrived within the provider's deadline;
 * - 'unavailable': the provider could not be reached, failed (5xx), rate-limited us or answered
 *   with something unusable;
 * - 'refused': it will fail the same way again: the provider refused the key, the model, the
 *   audio (4xx), the address is not allowed by the outbound policy, or the configuration is
 *   incomplete.
 */
export type SpeechFailureReason = 'timeout' | 'unavailable' | 'refused';

/**
 * A speech call that failed for good (after retries). An AppError('unavailable') so that, thrown
 * out of a route, it becomes a 503 problem with a fixed message. `detail` says in words an admin
 * can act on what went wrong (HTTP status, address refused, timeout) and never holds the
 * provider's response text, which may echo input or internals.
 */
export class SpeechProviderError extends AppError {
  constructor(
    readonly reason: SpeechFailureReason,
    readonly detail: string,
    readonly providerStatus?: number,
  ) {
    super('unavailable', MESSAGES[reason]);
    this.name = 'SpeechProviderError';
  }
}

const MESSAGES: Record<SpeechFailureReason, string> = {
  timeout: 'The speech provider did not answer in time; please try again',
  unavailable: 'The speech provider is not available; please try again',
  refused: 'The speech provider refused the request',
};

/** The typed error for anything an attempt threw (never the caller's abort: that is rethrown as is). */
export function toSpeechProviderError(error: unknown, timeoutMs: number): SpeechProviderError {
  if (error instanceof SpeechProviderError) return error;
  const cause = error instanceof Error && error.cause ? error.cause : undefined;
  if (error instanceof FetchRefusedError || cause instanceof FetchRefusedError) {
    return new SpeechProviderError(
      'refused',
      `The address is not allowed: ${((cause ?? error) as FetchRefusedError).message}`,
    );
  }
  if (error instanceof ProviderConfigurationError) return new SpeechProviderError('refused', error.message);
  if (
    error instanceof AttemptTimeoutError ||
    (error instanceof DOMException && error.name === 'TimeoutError')
  ) {
    return new SpeechProviderError('timeout', `The provider did not answer within ${timeoutMs / 1000} s.`);
  }
  if (APICallError.isInstance(error)) {
    const status = error.statusCode;
    if (status === 401 || status === 403)
      return new SpeechProviderError('refused', `The provider refused the API key (HTTP ${status}).`, status);
    if (status === 404)
      return new SpeechProviderError(
        'refused',
        `The provider does not know this model or URL (HTTP ${status}).`,
        status,
      );
    if (status === 429)
      return new SpeechProviderError(
        'unavailable',
        'The provider is rate-limiting this key (HTTP 429); try again later.',
        status,
      );
    if (status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 409)
      return new SpeechProviderError('refused', `The provider refused the request (HTTP ${status}).`, status);
    if (status !== undefined)
      return new SpeechProviderError(
        'unavailable',
        `The provider answered with an error (HTTP ${status}).`,
        status,
      );
  }
  if (error instanceof UnusableResponseError) return new SpeechProviderError('unavailable', error.message);
  return new SpeechProviderError('unavailable', 'The provider could not be reached.');
}

/** The provider answered 2xx with something we cannot read (not JSON, missing fields, no audio). */
export class UnusableResponseError extends Error {}

/**
 * Throws an APICallError for a non-2xx answer (so retry-policy.ts decides about a retry as for
 * chat calls). The body is read and dropped: it may echo what we sent.
 */
export async function ensureOk(response: Response, url: string): Promise<void> {
  if (response.ok) return;
  await response.body?.cancel().catch(() => {});
  throw new APICallError({
    message: `HTTP ${response.status}`,
    url,
    requestBodyValues: undefined,
    statusCode: response.status,
    responseHeaders: Object.fromEntries(response.headers),
  });
}
