import { APICallError } from 'ai';
import { describe, expect, it } from 'vitest';
import { FetchRefusedError } from '../../platform/net/outbound-policy.js';
import {
  AttemptTimeoutError,
  BASE_DELAY_MS,
  RETRY_AFTER_CAP_MS,
  retryAfterMs,
  retryDelayMs,
} from './retry-policy.js';

const apiError = (statusCode: number | undefined, headers?: Record<string, string>) =>
  new APICallError({
    message: 'failed',
    url: 'http://provider.test/v1',
    requestBodyValues: {},
    ...(statusCode !== undefined ? { statusCode } : { isRetryable: true }),
    ...(headers ? { responseHeaders: headers } : {}),
  });

describe('retry policy', () => {
  it('retries network errors, 408, 409, 429, 5xx and timeouts, with growing jittered backoff', () => {
    for (const status of [408, 409, 429, 500, 502, 503]) {
      expect(
        retryDelayMs(apiError(status), 0, () => 1),
        String(status),
      ).toBe(BASE_DELAY_MS);
    }
    expect(retryDelayMs(apiError(undefined), 0, () => 1)).toBe(BASE_DELAY_MS);
    expect(retryDelayMs(new AttemptTimeoutError(1000), 1, () => 1)).toBe(BASE_DELAY_MS * 2);
    // Jitter: between half and the whole of the exponential step.
    expect(retryDelayMs(apiError(500), 2, () => 0)).toBe(BASE_DELAY_MS * 2);
  });

  it('never retries what would fail again', () => {
    for (const status of [400, 401, 403, 404, 422]) expect(retryDelayMs(apiError(status), 0)).toBeNull();
    expect(retryDelayMs(new FetchRefusedError('private address'), 0)).toBeNull();
    expect(retryDelayMs(new Error('bad configuration'), 0)).toBeNull();
  });

  it('honours Retry-After up to the cap and refuses to wait longer', () => {
    expect(retryDelayMs(apiError(429, { 'retry-after': '2' }), 0)).toBe(2000);
    expect(retryDelayMs(apiError(429, { 'retry-after-ms': '150' }), 0)).toBe(150);
    expect(
      retryDelayMs(apiError(503, { 'retry-after': String(RETRY_AFTER_CAP_MS / 1000 + 1) }), 0),
    ).toBeNull();
    const now = Date.parse('2026-11-29T12:00:00Z');
    expect(retryAfterMs({ 'retry-after': 'Sun, 29 Nov 2026 12:00:02 GMT' }, now)).toBe(2000);
    expect(retryAfterMs({ 'retry-after': 'soon' }, now)).toBeNull();
    expect(retryAfterMs({}, now)).toBeNull();
  });
});
