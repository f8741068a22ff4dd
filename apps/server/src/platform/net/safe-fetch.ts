import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { nodeTransport, type RequestBody, type Transport, type TransportResponse } from './node-transport.js';
import {
  FetchError,
  FetchRefusedError,
  type OutboundPolicy,
  type ResolvedAddress,
  resolveAllowedAddresses,
} from './outbound-policy.js';

/**
 * HTTP for URLs a tenant gave, which cannot be turned against the server's own network (SSRF).
 *
 * Invariants:
 * - Only http: and https: URLs without credentials are requested.
 * - The host name is resolved here, every address it resolves to is checked against the policy
 *   (outbound-policy.ts), and the connection goes to a checked address: the socket's lookup is
 *   pinned to it (node-transport.ts), so DNS cannot answer differently between the check and the
 *   connect (DNS rebinding). TLS still verifies the certificate against the host name.
 * - Redirects are followed here, by hand, at most `maxRedirects` times, and every hop goes
 *   through the same checks as the first request. Credentials (authorization, cookie) are not
 *   sent to another origin; 303, and 301/302 after a POST, continue as a GET without a body
 *   (as fetch does); 307/308 repeat the request, which a streamed body cannot be.
 * - One deadline (`timeoutMs`) covers resolution, every hop and the whole response body;
 *   bodies are bounded (`maxBytes`) after decompression.
 */

export type { RequestBody, Transport, TransportRequest, TransportResponse } from './node-transport.js';
export { nodeTransport } from './node-transport.js';

export type SafeFetchOptions = OutboundPolicy & {
  timeoutMs: number;
  maxBytes: number;
  /** GET unless given. */
  method?: string;
  /** Sent on every hop (besides `headersFor`); names in any case. */
  headers?: Record<string, string>;
  /** Bytes and strings can be repeated on a 307/308 redirect; a stream cannot. */
  body?: RequestBody;
  signal?: AbortSignal;
  transport?: Transport;
  /** Request headers for one hop (e.g. conditional headers for that URL). */
  headersFor?: (url: URL) => Record<string, string>;
  /** Return false to stop at a redirect and get the 3xx response back (with `location`). */
  followRedirect?: (from: URL, to: URL) => boolean;
  maxRedirects?: number;
};

export type SafeResponse = {
  /** The URL that answered (after the redirects that were followed). */
  url: URL;
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** For a redirect that was not followed: where it points. */
  location?: URL;
  /** The decoded body, whole; FetchError beyond maxBytes. */
  readBody(): Promise<Buffer>;
  /** The decoded body as it arrives; it fails with a FetchError beyond maxBytes or the deadline. */
  stream(): Readable;
  /** Drops the body without reading it. */
  discard(): void;
};

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** Headers that carry the caller's credentials: never sent on to another origin. */
const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];
/** Headers that describe a body: dropped when a redirect turns the request into a GET. */
const BODY_HEADERS = [
  'content-type',
  'content-length',
  'content-encoding',
  'content-language',
  'content-location',
];
/** Computed by the transport; a caller's value could contradict the body actually sent. */
const TRANSPORT_HEADERS = ['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive'];

const isReplayable = (body: RequestBody | undefined) =>
  body === undefined || typeof body === 'string' || body instanceof Uint8Array;

/** A request under the policy on every hop; see the module comment for the invariants. */
export async function safeFetch(start: URL | string, options: SafeFetchOptions): Promise<SafeResponse> {
  const transport = options.transport ?? nodeTransport;
  const maxRedirects = options.maxRedirects ?? 5;
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  let url = new URL(start);
  url.hash = '';
  let method = (options.method ?? 'GET').toUpperCase();
  let body = options.body;
  const headers: Record<string, string> = { 'accept-encoding': 'gzip, deflate, br' };
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (!TRANSPORT_HEADERS.includes(name.toLowerCase())) headers[name.toLowerCase()] = value;
  }
  const translate = (error: unknown) => translateError(error, signal, options);
  try {
    for (let hop = 0; ; hop++) {
      const addresses = await resolveAllowedAddresses(url, options, signal);
      const response = await connectFirst(transport, addresses, isReplayable(body), {
        url,
        method,
        headers: { ...headers, ...options.headersFor?.(url) },
        body: method === 'GET' || method === 'HEAD' ? undefined : body,
        signal,
      });
      const wrap = (location?: URL): SafeResponse =>
        wrapResponse(url, response, method, options.maxBytes, translate, location);
      const locationHeader = response.headers.location;
      if (!REDIRECTS.has(response.status) || !locationHeader) return wrap();
      let next: URL;
      try {
        next = new URL(locationHeader, url);
      } catch {
        response.body.destroy();
        throw new FetchError(`${url.href} redirects to an invalid address`);
      }
      next.hash = '';
      if (options.followRedirect && !options.followRedirect(url, next)) return wrap(next);
      response.body.destroy();
      if (hop >= maxRedirects)
        throw new FetchError(`${start.toString()} redirects more than ${maxRedirects} times`);
      if (
        response.status === 303 ||
        ((response.status === 301 || response.status === 302) && method === 'POST')
      ) {
        if (method !== 'HEAD') method = 'GET';
        body = undefined;
        for (const name of BODY_HEADERS) delete headers[name];
      } else if (!isReplayable(body)) {
        throw new FetchError(`${url.href} redirects, and a streamed request body cannot be sent again`);
      }
      if (next.origin !== url.origin) for (const name of CREDENTIAL_HEADERS) delete headers[name];
      url = next;
    }
  } catch (error) {
    throw translate(error);
  }
}

function wrapResponse(
  url: URL,
  response: TransportResponse,
  method: string,
  maxBytes: number,
  translate: (error: unknown) => unknown,
  location: URL | undefined,
): SafeResponse {
  const hasBody = method !== 'HEAD' && ![204, 205, 304].includes(response.status);
  const chunks = () => (hasBody ? decodedChunks(response, maxBytes, translate) : emptyChunks(response));
  return {
    url,
    status: response.status,
    headers: response.headers,
    ...(location ? { location } : {}),
    async readBody() {
      const length = Number(response.headers['content-length']);
      if (!response.headers['content-encoding'] && Number.isFinite(length) && length > maxBytes) {
        response.body.destroy();
        throw tooLarge(maxBytes);
      }
      const parts: Buffer[] = [];
      for await (const chunk of chunks()) parts.push(chunk);
      return Buffer.concat(parts);
    },
    stream: () => Readable.from(chunks(), { objectMode: false }),
    discard: () => response.body.destroy(),
  };
}

// biome-ignore lint/correctness/useYield: a body that must be empty yields nothing.
async function* emptyChunks(response: TransportResponse): AsyncGenerator<Buffer> {
  response.body.destroy();
}

/** The body decoded and bounded; the connection is closed when the reader stops early. */
async function* decodedChunks(
  response: TransportResponse,
  maxBytes: number,
  translate: (error: unknown) => unknown,
): AsyncGenerator<Buffer> {
  const raw = response.body;
  try {
    const decoder = decoderFor(response.headers['content-encoding']);
    if (decoder) raw.on('error', (error) => decoder.destroy(error));
    let total = 0;
    for await (const chunk of decoder ? raw.pipe(decoder) : raw) {
      const buffer = chunk as Buffer;
      total += buffer.length;
      if (total > maxBytes) throw tooLarge(maxBytes);
      yield buffer;
    }
  } catch (error) {
    throw translate(error);
  } finally {
    raw.destroy();
  }
}

const tooLarge = (maxBytes: number) =>
  new FetchError(`The response is larger than the limit of ${maxBytes} bytes`);

async function connectFirst(
  transport: Transport,
  addresses: ResolvedAddress[],
  replayable: boolean,
  request: Omit<Parameters<Transport>[0], 'address'>,
): Promise<TransportResponse> {
  let lastError: unknown;
  for (const address of addresses) {
    try {
      return await transport({ ...request, address });
    } catch (error) {
      lastError = error;
      // Only a failure to connect is worth another address; anything later would repeat. A
      // streamed body may be partly consumed already, so it gets one attempt.
      const code = (error as { code?: string }).code;
      const unreachable = ['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL'].includes(
        code ?? '',
      );
      if (!unreachable || !replayable) break;
    }
  }
  throw lastError;
}

/** Turns low-level errors into FetchError messages people understand; the caller's abort passes through. */
function translateError(error: unknown, signal: AbortSignal, options: SafeFetchOptions): unknown {
  if (error instanceof FetchError || error instanceof FetchRefusedError) return error;
  if (options.signal?.aborted) return options.signal.reason;
  if (signal.aborted) return new FetchError(`No complete answer within ${options.timeoutMs} ms`);
  const code = (error as { code?: string }).code;
  const messages: Record<string, string> = {
    ECONNREFUSED: 'The connection was refused',
    ECONNRESET: 'The connection was reset',
    EHOSTUNREACH: 'The host is unreachable',
    ENETUNREACH: 'The network is unreachable',
    ETIMEDOUT: 'The connection timed out',
    CERT_HAS_EXPIRED: "The site's TLS certificate has expired",
    DEPTH_ZERO_SELF_SIGNED_CERT: "The site's TLS certificate is self-signed",
    ERR_TLS_CERT_ALTNAME_INVALID: "The site's TLS certificate does not match its name",
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: "The site's TLS certificate could not be verified",
    HPE_HEADER_OVERFLOW: 'The response headers are too large',
    Z_DATA_ERROR: 'The response is not correctly compressed',
  };
  return new FetchError((code && messages[code]) || `The request failed${code ? ` (${code})` : ''}`, {
    cause: error,
  });
}

function decoderFor(encoding: string | undefined): zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress | null {
  switch ((encoding ?? 'identity').trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip();
    case 'deflate':
      return zlib.createInflate();
    case 'br':
      return zlib.createBrotliDecompress();
    case 'identity':
    case '':
      return null;
    default:
      throw new FetchError(`The response uses an unsupported content encoding (${encoding})`);
  }
}
