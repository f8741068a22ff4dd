import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGuardedFetch } from './guarded-fetch.js';
import { FetchError, FetchRefusedError, type ResolveHost } from './outbound-policy.js';
import { nodeTransport, type Transport } from './safe-fetch.js';

/**
 * The fetch-compatible guard against a real local HTTP server: methods and bodies, streaming both
 * ways, redirects (each hop checked), the deadline and the caller's abort.
 */
const PUBLIC_ADDRESS = '93.184.215.14';

type Seen = { method: string; url: string; headers: http.IncomingHttpHeaders; body: string };

describe('guarded fetch', () => {
  let server: http.Server;
  let origin: string;
  let port: number;
  const seen: Seen[] = [];
  let releaseSlow: () => void = () => {};

  beforeAll(async () => {
    server = http.createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      });
      const path = req.url ?? '';
      if (path === '/echo') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end(`${req.method} ${Buffer.concat(chunks).toString()}`);
      } else if (path === '/stream') {
        // Two parts with a pause between: the client sees the first before the second is sent.
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write('data: first\n\n');
        await new Promise<void>((resolve) => {
          releaseSlow = resolve;
        });
        res.end('data: second\n\n');
      } else if (path === '/gzip') {
        res.writeHead(200, { 'content-encoding': 'gzip', 'content-type': 'application/json' });
        res.end(gzipSync('{"ok":true}'));
      } else if (path === '/stall') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('partial');
      } else if (path.startsWith('/redirect/')) {
        const [, , status, ...target] = path.split('/');
        res.writeHead(Number(status), { location: decodeURIComponent(target.join('/')) });
        res.end();
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    origin = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const limits = { timeoutMs: 5000, maxResponseBytes: 1024 * 1024 };
  const open = createGuardedFetch({ allowPrivateNetworks: true }, limits);

  it('posts a streamed body and streams the response back as it arrives', async () => {
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode('hello '));
        controller.enqueue(encoder.encode('streamed world'));
        controller.close();
      },
    });
    const echoed = await open(`${origin}/echo`, { method: 'POST', body, duplex: 'half' } as RequestInit);
    expect(echoed.status).toBe(200);
    expect(await echoed.text()).toBe('POST hello streamed world');
    expect(seen.at(-1)!.headers['transfer-encoding']).toBe('chunked');

    const streamed = await open(`${origin}/stream`, { method: 'POST', body: '{"q":1}' });
    const reader = streamed.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe('data: first\n\n');
    releaseSlow();
    let rest = '';
    for (let part = await reader.read(); !part.done; part = await reader.read())
      rest += new TextDecoder().decode(part.value);
    expect(rest).toBe('data: second\n\n');
    expect(seen.at(-1)).toMatchObject({ method: 'POST', body: '{"q":1}' });
    expect(seen.at(-1)!.headers['content-length']).toBe('7');
  });

  it('decodes compressed responses and names the URL that answered', async () => {
    const res = await open(`${origin}/gzip`);
    expect(await res.json()).toEqual({ ok: true });
    expect(res.headers.get('content-encoding')).toBeNull();
    expect(res.url).toBe(`${origin}/gzip`);
  });

  it('fails a response that does not complete within the deadline', async () => {
    const quick = createGuardedFetch({ allowPrivateNetworks: true }, { ...limits, timeoutMs: 300 });
    const res = await quick(`${origin}/stall`);
    expect(res.status).toBe(200);
    const error = await res.text().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FetchError);
    expect((error as Error).message).toMatch(/No complete answer within 300 ms/);
  });

  it('passes the caller’s abort through as is', async () => {
    const controller = new AbortController();
    const reason = new Error('visitor left');
    controller.abort(reason);
    await expect(open(`${origin}/echo`, { signal: controller.signal })).rejects.toBe(reason);
  });

  it('follows redirects like fetch: 307 repeats the POST, 303 becomes a GET, credentials stay on their origin', async () => {
    const to = (status: number, target: string) =>
      `${origin}/redirect/${status}/${encodeURIComponent(target)}`;
    const repeated = await open(to(307, '/echo'), { method: 'POST', body: 'again' });
    expect(await repeated.text()).toBe('POST again');
    const converted = await open(to(303, '/echo'), { method: 'POST', body: 'dropped' });
    expect(await converted.text()).toBe('GET ');

    // The same server under another origin (localhost instead of 127.0.0.1).
    const resolveHost: ResolveHost = async () => [{ address: '127.0.0.1', family: 4 }];
    const named = createGuardedFetch({ allowPrivateNetworks: true, resolveHost }, limits);
    await named(to(302, `http://localhost:${port}/echo`), { headers: { authorization: 'Bearer sk-secret' } });
    expect(seen.at(-2)!.headers.authorization).toBe('Bearer sk-secret');
    expect(seen.at(-1)!.headers.authorization).toBeUndefined();

    const manual = await open(to(302, '/echo'), { redirect: 'manual' });
    expect(manual.status).toBe(302);
    await expect(open(to(302, '/echo'), { redirect: 'error' })).rejects.toBeInstanceOf(TypeError);
  });

  it('refuses private addresses at the first request and at every redirect hop, before connecting', async () => {
    const resolveHost: ResolveHost = async (host) =>
      host === 'public.example'
        ? [{ address: PUBLIC_ADDRESS, family: 4 }]
        : [{ address: '127.0.0.1', family: 4 }];
    // Connections meant for the public address reach the local server, standing in for the internet.
    const transport: Transport = (request) =>
      nodeTransport(
        request.address.address === PUBLIC_ADDRESS
          ? {
              ...request,
              url: Object.assign(new URL(request.url), { port: String(port) }),
              address: { address: '127.0.0.1', family: 4 },
            }
          : request,
      );
    const guarded = createGuardedFetch(
      { allowPrivateNetworks: false, resolveHost },
      { ...limits, transport },
    );

    expect(await (await guarded('http://public.example/echo', { method: 'POST', body: 'hi' })).text()).toBe(
      'POST hi',
    );
    const before = seen.length;
    for (const href of [
      `${origin}/echo`,
      `http://[::1]:${port}/`,
      'http://169.254.169.254/',
      `http://localhost:${port}/echo`,
    ]) {
      await expect(guarded(href, { method: 'POST', body: 'x' }), href).rejects.toBeInstanceOf(
        FetchRefusedError,
      );
    }
    expect(seen.length).toBe(before);

    for (const target of [`${origin}/echo`, `http://localhost:${port}/echo`, 'http://[::ffff:7f00:1]/echo']) {
      const hop = `http://public.example/redirect/307/${encodeURIComponent(target)}`;
      await expect(guarded(hop, { method: 'POST', body: 'secret' }), target).rejects.toBeInstanceOf(
        FetchRefusedError,
      );
    }
    // Only the public hops were requested; nothing went on to the loopback targets.
    expect(seen.slice(before).map((s) => s.url.split('/')[1])).toEqual(['redirect', 'redirect', 'redirect']);
  });

  it('with private networks allowed, still refuses cloud metadata addresses', async () => {
    for (const href of [
      'http://169.254.169.254/latest/meta-data/',
      'http://[fd00:ec2::254]/',
      'http://metadata.google.internal/',
    ]) {
      await expect(open(href), href).rejects.toThrow(/cloud metadata/);
    }
  });
});
