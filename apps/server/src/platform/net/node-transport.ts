import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { pipeline, Readable } from 'node:stream';
import type { ResolvedAddress } from './outbound-policy.js';

/**
 * One HTTP/1.1 exchange with an address that was already checked (safe-fetch.ts checks it). The
 * socket's name lookup is pinned to that address: whatever name it asks for, it gets the checked
 * address, so a second DNS answer can never be connected (DNS rebinding).
 *
 * Connections are kept alive and reused, but only within one pool per (scheme, host name, port,
 * checked address): a pooled socket was opened to exactly the address this request was checked
 * for, and its TLS session verified exactly this host name. Reuse spares a model provider call
 * the TCP and TLS handshakes (two or three round trips to the provider: most of a voice turn's
 * overhead when the provider is far away). Idle sockets close after IDLE_MS (sooner when the
 * server's Keep-Alive hint says so) and never keep the process alive. A request whose reused
 * socket turns out to have been closed by the server (ECONNRESET before any response: the
 * keep-alive race) is sent once more on a new connection when its body can be sent again.
 */

/** A request body: bytes or text are sent with a length; a stream is sent chunked as it comes. */
export type RequestBody = string | Uint8Array | Readable | AsyncIterable<Uint8Array>;

export type TransportRequest = {
  url: URL;
  /** The checked address to connect to; never resolve `url.hostname` again. */
  address: ResolvedAddress;
  method: string;
  headers: Record<string, string>;
  body: RequestBody | undefined;
  signal: AbortSignal;
};
export type TransportResponse = {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** The raw (still encoded) body; destroy it to drop the rest. */
  body: Readable;
};
export type Transport = (request: TransportRequest) => Promise<TransportResponse>;

const IDLE_MS = 10_000;
/** Pools kept (least recently used dropped first; a dropped pool's idle sockets still time out). */
const MAX_POOLS = 100;
const pools = new Map<string, http.Agent>();

function poolFor(url: URL, address: ResolvedAddress): http.Agent {
  const key = `${url.protocol}//${url.hostname}:${url.port}@${address.address}`;
  let agent = pools.get(key);
  if (agent) pools.delete(key);
  else {
    const options = { keepAlive: true, timeout: IDLE_MS, maxFreeSockets: 16, scheduling: 'lifo' as const };
    agent = url.protocol === 'https:' ? new https.Agent(options) : new http.Agent(options);
  }
  pools.set(key, agent);
  if (pools.size > MAX_POOLS) pools.delete(pools.keys().next().value!);
  return agent;
}

const canResend = (body: RequestBody | undefined) =>
  body === undefined || typeof body === 'string' || body instanceof Uint8Array;

export const nodeTransport: Transport = async (request) => {
  try {
    return await exchange(request, true);
  } catch (error) {
    if (!(error as { reusedSocket?: boolean }).reusedSocket || !canResend(request.body)) throw error;
    return exchange(request, false);
  }
};

function exchange(request: TransportRequest, pooled: boolean): Promise<TransportResponse> {
  return new Promise((resolve, reject) => {
    const { url, address, body } = request;
    const lookup: LookupFunction = (_hostname, opts, callback) => {
      if (opts.all) callback(null, [{ address: address.address, family: address.family }]);
      else callback(null, address.address, address.family);
    };
    const client = url.protocol === 'https:' ? https : http;
    let responded = false;
    const req = client.request(
      {
        protocol: url.protocol,
        hostname: url.hostname.replace(/^\[|\]$/g, ''),
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        method: request.method,
        headers: request.headers,
        lookup,
        agent: pooled ? poolFor(url, address) : false,
        signal: request.signal,
      },
      (res) => {
        responded = true;
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(res.headers)) {
          if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
        }
        resolve({ status: res.statusCode ?? 0, headers, body: res });
      },
    );
    req.on('error', (error) => {
      // Only a reset before any response is the keep-alive race (see the module comment).
      if (req.reusedSocket && !responded && (error as { code?: string }).code === 'ECONNRESET')
        Object.assign(error, { reusedSocket: true });
      reject(error);
    });
    if (body === undefined) req.end();
    else if (typeof body === 'string' || body instanceof Uint8Array) req.end(body);
    else {
      const source = body instanceof Readable ? body : Readable.from(body, { objectMode: false });
      // A failing body stream fails the request (the error reaches `reject` through req).
      pipeline(source, req, (error) => {
        if (error) req.destroy(error);
      });
    }
  });
}
