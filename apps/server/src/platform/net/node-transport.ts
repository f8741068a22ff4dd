import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { pipeline, Readable } from 'node:stream';
import type { ResolvedAddress } from './outbound-policy.js';

/**
 * One HTTP/1.1 exchange with an address that was already checked (safe-fetch.ts checks it). The
 * socket's name lookup is pinned to that address: whatever name it asks for, it gets the checked
 * address, so a second DNS answer can never be connected (DNS rebinding). A fresh connection per
 * request (no pooled socket could have been opened for another address).
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

export const nodeTransport: Transport = (request) =>
  new Promise((resolve, reject) => {
    const { url, address, body } = request;
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
        method: request.method,
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
        resolve({ status: res.statusCode ?? 0, headers, body: res });
      },
    );
    req.on('error', reject);
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
