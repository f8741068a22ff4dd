import type { ActionCallOutcome } from '@confidant/contract';
import type { Keyring } from '../../platform/crypto/keyring.js';
import { FetchRefusedError, type OutboundPolicy } from '../../platform/net/outbound-policy.js';
import { safeFetch, type Transport } from '../../platform/net/safe-fetch.js';
import { type ActionRow, decryptHeaders } from './service.js';
import { buildActionRequest } from './url-template.js';

/**
 * Runs one HTTP action with checked arguments. The only code that sends an action's request.
 *
 * Invariants:
 * - Every request goes through the outbound address guard (safeFetch): a URL that resolves to a
 *   loopback, private, link-local or metadata address is refused at call time, whatever it
 *   resolved to when the action was saved (DNS may have changed).
 * - One deadline (the action's timeoutMs) covers resolution, connection and the whole body.
 * - The response may hold at most maxResponseBytes (decoded); beyond that the call fails
 *   (`too_large`) and the body is dropped, never passed on cut in half.
 * - Redirects are not followed (a 3xx is an http_error): the action's headers carry its secrets,
 *   and a redirect must not take them to another address.
 * - Header values are decrypted here, for this request only; neither they nor the response body
 *   are logged. The result carries the response for the caller (the model's tool result, or the
 *   admin's test panel); the call log keeps only status and size (action-log.ts).
 */
export type ExecutionResult = {
  outcome: Exclude<ActionCallOutcome, 'rejected' | 'pending_approval'>;
  httpStatus: number | null;
  durationMs: number;
  responseBytes: number | null;
  contentType: string | null;
  /** Parsed JSON when the response says JSON (and parses), else the text; null without a response. */
  response: unknown;
  /** What went wrong, in words for the admin (never header values or parameter values). */
  error: string | null;
};

export type ExecuteDeps = { keyring: Keyring; net: OutboundPolicy; transport?: Transport };

const ACCEPT = 'application/json, text/plain;q=0.9, */*;q=0.5';

export async function executeAction(
  deps: ExecuteDeps,
  action: ActionRow,
  values: Readonly<Record<string, string | number | boolean>>,
  signal?: AbortSignal,
): Promise<ExecutionResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const fail = (outcome: ExecutionResult['outcome'], error: string, httpStatus: number | null = null) => ({
    outcome,
    httpStatus,
    durationMs: elapsed(),
    responseBytes: null,
    contentType: null,
    response: null,
    error,
  });
  // Our own deadline, so a timeout is told apart from other network failures by its reason.
  const deadline = AbortSignal.timeout(action.timeoutMs);
  const request = buildActionRequest(action.urlTemplate, action.method, values);
  try {
    const response = await safeFetch(request.url, {
      ...deps.net,
      // A backstop only: `deadline` fires first.
      timeoutMs: action.timeoutMs + 1000,
      maxBytes: action.maxResponseBytes,
      method: action.method,
      headers: {
        accept: ACCEPT,
        'user-agent': 'Confidant-Actions/1',
        ...(request.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...decryptHeaders(deps.keyring, action),
      },
      ...(request.body !== undefined ? { body: request.body } : {}),
      signal: signal ? AbortSignal.any([signal, deadline]) : deadline,
      followRedirect: () => false,
      ...(deps.transport ? { transport: deps.transport } : {}),
    });
    const body = await response.readBody();
    const contentType = response.headers['content-type'] ?? null;
    const text = body.toString('utf8');
    let parsed: unknown = text;
    if (contentType && /\bjson\b/i.test(contentType) && text.length > 0) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    const ok = response.status >= 200 && response.status < 300;
    return {
      outcome: ok ? 'ok' : 'http_error',
      httpStatus: response.status,
      durationMs: elapsed(),
      responseBytes: body.length,
      contentType,
      response: parsed,
      error: ok ? null : `The service answered with HTTP status ${response.status}`,
    };
  } catch (error) {
    // The answer was abandoned (the visitor left): the request may have reached the service, so
    // the call is still reported (and logged), never dropped.
    if (signal?.aborted) return fail('failed', 'The answer was abandoned before the service replied');
    if (deadline.aborted) return fail('timeout', `No complete answer within ${action.timeoutMs} ms`);
    if (error instanceof FetchRefusedError) return fail('refused', error.message);
    const message = error instanceof Error ? error.message : String(error);
    // safeFetch's words for a body over maxBytes (platform/net/safe-fetch.ts tooLarge).
    if (/larger than the limit/.test(message)) {
      return fail('too_large', `The response is larger than ${action.maxResponseBytes} bytes`);
    }
    return fail('failed', message);
  }
}
