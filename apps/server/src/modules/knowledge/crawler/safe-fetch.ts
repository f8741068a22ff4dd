import { lookup as dnsLookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { type AddressClass, addressClassLabel, classifyAddress } from './address-policy.js';

/**
 * HTTP GET for the crawler that cannot be turned against the server's own network (SSRF).
 *
 * Invariants:
 * - Only http: and https: URLs without credentials are fetched.
 * - The host name is resolved here, every address it resolves to is checked (unless private
 *   networks are allowed), and the connection goes to a checked address: the socket's lookup is
 *   pinned to it, so DNS cannot answer differently between the check and the connect
 *   (DNS rebinding). TLS still verifies the certificate against the host name.
 * - Redirects are followed here, by hand, at most `maxRedirects` times, and every hop goes
 *   through the same checks as the first request.
 * - One deadline covers all hops and the body; bodies are bounded after decompression.
 */

export const USER_AGENT_TOKEN = 'ConfidantBot';
export const USER_AGENT = `${USER_AGENT_TOKEN}/1.0 (+https://confidant.dev/bot)`;

/** The URL or the address it leads to is not allowed. The message is for the person who gave the URL. */
export class FetchRefusedError extends Error {
  constructor(
    message: string,
    readonly addressClass?: AddressClass,
  ) {
    super(message);
    this.name = 'FetchRefusedError';
  }
}

/** The fetch did not work (DNS, connection, timeout, size, redirects). The message is for people. */
export class FetchError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FetchError';
  }
}

export type ResolvedAddress = { address: string; family: 4 | 6 };
/** Resolves a host name to its addresses (the system resolver by default; tests pass their own). */
export type LookupHost = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemLookup: LookupHost = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map((a) => ({
    address: a.address,
    family: a.family === 6 ? 6 : 4,
  }));

export type TransportRequest = {
  url: URL;
  /** The checked address to connect to; never resolve `url.hostname` again. */
  address: ResolvedAddress;
  headers: Record<string, string>;
  signal: AbortSignal;
  maxBytes: number;
};
export type TransportResponse = {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** The decoded body, at most maxBytes (FetchError beyond). */
  readBody(): Promise<Buffer>;
  /** Drops the body without reading it. */
  discard(): void;
};
/** One HTTP exchange with a given address. The default speaks HTTP/1.1 with node:http(s). */
export type Transport = (request: TransportRequest) => Promise<TransportResponse>;

export type SafeFetchOptions = {
  allowPrivateNetworks: boolean;
  timeoutMs: number;
  maxBytes: number;
  signal?: AbortSignal;
  lookup?: LookupHost;
  transport?: Transport;
  /** Request headers for one hop (e.g. conditional headers for that URL), besides the defaults. */
  headersFor?: (url: URL) => Record<string, string>;
  /** Return false to stop at a redirect and get the 3xx response back (with `location`). */
  followRedirect?: (from: URL, to: URL) => boolean;
  maxRedirects?: number;
};

export type SafeResponse = {
  /** The URL that answered (after the redirects that were followed). */
  url: URL;
  status: number;
  headers: Record<string, string>;
  /** For a redirect that was not followed: where it points. */
  location?: URL;
  readBody(): Promise<Buffer>;
  discard(): void;
};

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** Checks the URL itself: scheme, credentials, host. Returns the host as DNS sees it (no brackets). */
export function checkUrlShape(url: URL): string {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new FetchRefusedError(`Only http and https addresses can be fetched, not ${url.protocol}`);
  }
  if (url.username || url.password) {
    throw new FetchRefusedError('Addresses with a user name or password cannot be fetched');
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!host) throw new FetchRefusedError('The address has no host name');
  return host;
}

/**
 * Resolves the URL's host and checks every address against the policy. Returns the addresses to
 * connect to (all of them checked). Used before each hop and when a URL source is created.
 */
export async function resolveAllowedAddresses(
  url: URL,
  options: { allowPrivateNetworks: boolean; lookup?: LookupHost; signal?: AbortSignal },
): Promise<ResolvedAddress[]> {
  const host = checkUrlShape(url);
  const family = isIP(host);
  let addresses: ResolvedAddress[];
  if (family === 4 || family === 6) addresses = [{ address: host, family }];
  else {
    try {
      addresses = await raceAbort((options.lookup ?? systemLookup)(host), options.signal);
    } catch (error) {
      if (options.signal?.aborted) throw error;
      throw new FetchError(`The host name ${host} could not be resolved`, { cause: error });
    }
    if (addresses.length === 0) throw new FetchError(`The host name ${host} could not be resolved`);
  }
  if (!options.allowPrivateNetworks) {
    // Refuse when any answer is not public: a name that mixes public and private addresses is
    // either misconfigured or an attempt to get one of the private ones connected.
    for (const { address } of addresses) {
      const cls = classifyAddress(address);
      if (cls !== 'public') {
        const what = family ? `${host} is` : `${host} resolves to`;
        throw new FetchRefusedError(
          `${what} ${addressClassLabel[cls]}; this server does not fetch private or reserved network addresses`,
          cls,
        );
      }
    }
  }
  return addresses;
}

/** The system resolver cannot be cancelled; a deadline or an abort stops waiting for it. */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** GET with the SSRF policy on every hop; see the module comment for the invariants. */
export async function safeFetch(start: URL | string, options: SafeFetchOptions): Promise<SafeResponse> {
  const transport = options.transport ?? nodeTransport;
  const maxRedirects = options.maxRedirects ?? 5;
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  let url = new URL(start);
  url.hash = '';
  try {
    for (let hop = 0; ; hop++) {
      const addresses = await resolveAllowedAddresses(url, { ...options, signal });
      const headers = {
        'user-agent': USER_AGENT,
        accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5',
        'accept-encoding': 'gzip, deflate, br',
        ...options.headersFor?.(url),
      };
      const response = await connectFirst(transport, addresses, {
        url,
        headers,
        signal,
        maxBytes: options.maxBytes,
      });
      const wrap = (location?: URL): SafeResponse => ({
        url,
        status: response.status,
        headers: response.headers,
        ...(location ? { location } : {}),
        readBody: () => withFetchErrors(response.readBody(), signal, options),
        discard: response.discard,
      });
      const locationHeader = response.headers.location;
      if (!REDIRECTS.has(response.status) || !locationHeader) return wrap();
      response.discard();
      let next: URL;
      try {
        next = new URL(locationHeader, url);
      } catch {
        throw new FetchError(`${url.href} redirects to an invalid address`);
      }
      next.hash = '';
      if (options.followRedirect && !options.followRedirect(url, next)) return wrap(next);
      if (hop >= maxRedirects)
        throw new FetchError(`${start.toString()} redirects more than ${maxRedirects} times`);
      url = next;
    }
  } catch (error) {
    throw translateError(error, signal, options);
  }
}

async function connectFirst(
  transport: Transport,
  addresses: ResolvedAddress[],
  request: Omit<TransportRequest, 'address'>,
): Promise<TransportResponse> {
  let lastError: unknown;
  for (const address of addresses) {
    try {
      return await transport({ ...request, address });
    } catch (error) {
      lastError = error;
      // Only a failure to connect is worth another address; anything later would repeat.
      const code = (error as { code?: string }).code;
      if (!['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL'].includes(code ?? '')) break;
    }
  }
  throw lastError;
}

async function withFetchErrors<T>(promise: Promise<T>, signal: AbortSignal, options: SafeFetchOptions) {
  try {
    return await promise;
  } catch (error) {
    throw translateError(error, signal, options);
  }
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

/** Reads a stream up to maxBytes; beyond that the stream is destroyed and a FetchError thrown. */
export async function readLimited(stream: Readable, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const buffer = chunk as Buffer;
    total += buffer.length;
    if (total > maxBytes) {
      stream.destroy();
      throw new FetchError(`The response is larger than the limit of ${maxBytes} bytes`);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/** The default transport: one HTTP/1.1 request over a fresh connection to the checked address. */
export const nodeTransport: Transport = (request) =>
  new Promise((resolve, reject) => {
    const { url, address } = request;
    // Pinned resolution: whatever name the socket asks for, it gets the address checked above.
    const lookup: LookupFunction = (_hostname, opts, callback) => {
      if (opts.all) callback(null, [{ address: address.address, family: address.family }]);
      else callback(null, address.address, address.family);
    };
    const client = url.protocol === 'https:' ? https : http;
    const req = client.request(
      {
        protocol: url.protocol,
        hostname: url.hostname.replace(/^\[|\]$/g, ''),
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        method: 'GET',
        headers: request.headers,
        lookup,
        agent: false,
        signal: request.signal,
      },
      (res) => {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(res.headers)) {
          if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
        }
        resolve({
          status: res.statusCode ?? 0,
          headers,
          async readBody() {
            const length = Number(headers['content-length']);
            const encoding = headers['content-encoding'];
            if (!encoding && Number.isFinite(length) && length > request.maxBytes) {
              res.destroy();
              throw new FetchError(`The response is larger than the limit of ${request.maxBytes} bytes`);
            }
            const decoder = decoderFor(encoding);
            if (!decoder) return readLimited(res, request.maxBytes);
            res.on('error', (error) => decoder.destroy(error));
            try {
              return await readLimited(res.pipe(decoder), request.maxBytes);
            } finally {
              res.destroy();
            }
          },
          discard: () => res.destroy(),
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
