import { FetchError, type OutboundPolicy } from './outbound-policy.js';
import { type RequestBody, type SafeResponse, safeFetch, type Transport } from './safe-fetch.js';

/**
 * A function with the signature of the global `fetch`, built from a policy, for libraries that
 * take a `fetch` option (the AI SDK's provider instances): every request it makes, redirects
 * included, goes through safeFetch, so a tenant's URL is checked at call time against the
 * addresses it resolves to then, not only when it was saved.
 *
 * What differs from the global fetch: the response body is decoded here (gzip, deflate, br), so
 * `content-encoding` and `content-length` are not passed on; a refused address rejects with
 * FetchRefusedError and other network failures with FetchError (both TypeErrors, as fetch's
 * own); the caller's abort rejects with the signal's reason, as fetch does.
 */
export type FetchFunction = typeof globalThis.fetch;

export type GuardedFetchLimits = {
  /** One deadline for the whole exchange: resolution, redirects and the complete response body. */
  timeoutMs: number;
  /** The most the decoded response body may hold. */
  maxResponseBytes: number;
  /** Tests only: how one HTTP exchange with a checked address is made. */
  transport?: Transport;
};

export function createGuardedFetch(policy: OutboundPolicy, limits: GuardedFetchLimits): FetchFunction {
  return async (input, init) => {
    const request = new Request(input, init);
    const response = await safeFetch(request.url, {
      ...policy,
      timeoutMs: limits.timeoutMs,
      maxBytes: limits.maxResponseBytes,
      ...(limits.transport ? { transport: limits.transport } : {}),
      method: request.method,
      headers: Object.fromEntries(request.headers),
      ...(request.body ? { body: await requestBody(request, init) } : {}),
      signal: request.signal,
      ...(request.redirect === 'follow' ? {} : { followRedirect: () => false }),
    });
    if (request.redirect === 'error' && response.location) {
      response.discard();
      throw new TypeError(`fetch failed: ${request.url} redirects and the request allows no redirect`);
    }
    return toWebResponse(response);
  };
}

/**
 * A body given as a stream is streamed on (and cannot follow a 307/308 redirect); anything else
 * (text, bytes, form data, a Blob) is read into bytes first, so it has a length and can be sent
 * again after a redirect.
 */
async function requestBody(request: Request, init: RequestInit | undefined): Promise<RequestBody> {
  if (init?.body instanceof ReadableStream && request.body) {
    return request.body as unknown as AsyncIterable<Uint8Array>;
  }
  return new Uint8Array(await request.arrayBuffer());
}

const NULL_BODY_STATUSES = new Set([204, 205, 304]);

function toWebResponse(response: SafeResponse): Response {
  // Node's HTTP client hands over no 1xx response but an upgrade's, which fetch cannot represent.
  if (response.status < 200 || response.status > 599) {
    response.discard();
    throw new FetchError(`The server answered with HTTP status ${response.status}`);
  }
  const headers = new Headers();
  for (const [name, value] of Object.entries(response.headers)) {
    // The body below is decoded: its original encoding and length no longer describe it.
    if (name !== 'content-encoding' && name !== 'content-length') headers.set(name, value);
  }
  let body: ReadableStream<Uint8Array> | null = null;
  if (NULL_BODY_STATUSES.has(response.status)) response.discard();
  else {
    const chunks = response.stream()[Symbol.asyncIterator]();
    body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const { value, done } = await chunks.next();
        if (done) controller.close();
        else controller.enqueue(new Uint8Array(value as Buffer));
      },
      async cancel() {
        await chunks.return?.();
      },
    });
  }
  const web = new Response(body, { status: response.status, headers });
  // A Response built by hand has an empty url; fetch's names the URL that answered.
  Object.defineProperty(web, 'url', { value: response.url.href });
  return web;
}
