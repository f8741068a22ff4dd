import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeTransport, type TransportRequest } from './node-transport.js';

/**
 * The transport's connection reuse against a real local server: sockets are reused within one
 * (host, port, checked address) pool, never across addresses, and a request that meets a socket
 * the server has just closed is sent again on a new connection.
 */
type Served = { server: http.Server; url: string; sockets: Socket[]; requests: number };
const servers: http.Server[] = [];

async function serve(
  handler: (req: http.IncomingMessage, res: http.ServerResponse, s: Served) => void,
  host = '127.0.0.1',
) {
  const served = { sockets: [], requests: 0 } as unknown as Served;
  const server = http.createServer((req, res) => {
    served.requests++;
    handler(req, res, served);
  });
  server.on('connection', (socket) => served.sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  served.server = server;
  served.url = `http://localhost:${(server.address() as AddressInfo).port}/x`;
  servers.push(server);
  return served;
}

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

const request = (url: string, address = '127.0.0.1', body?: string): TransportRequest => ({
  url: new URL(url),
  address: { address, family: 4 },
  method: body ? 'POST' : 'GET',
  headers: {},
  body,
  signal: AbortSignal.timeout(5_000),
});

async function text(r: TransportRequest) {
  const res = await nodeTransport(r);
  const parts: Buffer[] = [];
  for await (const chunk of res.body) parts.push(chunk as Buffer);
  return `${res.status} ${Buffer.concat(parts).toString()}`;
}

describe('node transport', () => {
  it('reuses one connection for requests to the same checked address', async () => {
    const s = await serve((_req, res) => res.end('ok'));
    expect(await text(request(s.url))).toBe('200 ok');
    expect(await text(request(s.url))).toBe('200 ok');
    expect(await text(request(s.url, '127.0.0.1', 'body'))).toBe('200 ok');
    expect(s.requests).toBe(3);
    expect(s.sockets).toHaveLength(1);
  });

  it('never reuses a socket opened for another address of the same host name', async () => {
    // Listening on every address: 127.0.0.1 and 127.0.0.2 both reach it (Linux loopback).
    const s = await serve((req, res) => res.end(req.socket.localAddress ?? ''), '0.0.0.0');
    expect(await text(request(s.url, '127.0.0.1'))).toBe('200 127.0.0.1');
    expect(await text(request(s.url, '127.0.0.2'))).toBe('200 127.0.0.2');
    expect(await text(request(s.url, '127.0.0.1'))).toBe('200 127.0.0.1');
    expect(await text(request(s.url, '127.0.0.2'))).toBe('200 127.0.0.2');
    expect(s.sockets.map((x) => x.localAddress).sort()).toEqual(['127.0.0.1', '127.0.0.2']);
  });

  it('sends a request again on a new connection when the reused socket was closed by the server', async () => {
    // The server answers the first request, then drops that connection when the next request
    // arrives on it, without answering: what a client sees when a server's idle timeout closes
    // the socket just as the request is sent (the keep-alive race).
    const served = new WeakMap<object, number>();
    let dropped = 0;
    const s = await serve((req, res) => {
      const n = (served.get(req.socket) ?? 0) + 1;
      served.set(req.socket, n);
      if (n === 2 && dropped++ === 0) req.socket.destroy();
      else res.end('ok');
    });
    expect(await text(request(s.url))).toBe('200 ok');
    expect(await text(request(s.url, '127.0.0.1', 'again'))).toBe('200 ok');
    expect(dropped).toBe(1);
    expect(s.sockets).toHaveLength(2);
  });

  it('does not send a streamed body twice', async () => {
    const served = new WeakMap<object, number>();
    const s = await serve((req, res) => {
      const n = (served.get(req.socket) ?? 0) + 1;
      served.set(req.socket, n);
      if (n === 2) req.socket.destroy();
      else res.end('ok');
    });
    expect(await text(request(s.url))).toBe('200 ok');
    const streamed = {
      ...request(s.url),
      method: 'POST',
      body: (async function* () {
        yield new TextEncoder().encode('once');
      })(),
    };
    await expect(text(streamed)).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(s.requests).toBe(2);
  });
});
