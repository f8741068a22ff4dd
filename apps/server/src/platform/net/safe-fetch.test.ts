import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FetchError,
  FetchRefusedError,
  type ResolveHost,
  resolveAllowedAddresses,
} from './outbound-policy.js';
import { nodeTransport, safeFetch, type Transport } from './safe-fetch.js';
import { htmlPage, startTestSite, type TestSite } from './testing/test-site.js';

/** An address outside every private range. The tests never connect to it: see `viaLoopback`. */
const PUBLIC_ADDRESS = '93.184.215.14';

/**
 * A transport that delivers connections meant for PUBLIC_ADDRESS to a loopback test server,
 * standing in for the internet; every other address goes out as it is. The SSRF policy runs
 * before the transport, on the real resolved addresses, so what it sees is unchanged.
 */
const viaLoopback =
  (site: TestSite): Transport =>
  (request) =>
    request.address.address === PUBLIC_ADDRESS
      ? nodeTransport({
          ...request,
          url: Object.assign(new URL(request.url), { port: String(site.port) }),
          address: { address: '127.0.0.1', family: 4 },
        })
      : nodeTransport(request);

const lookupTable =
  (table: Record<string, string[]>, calls: string[] = []): ResolveHost =>
  async (hostname) => {
    calls.push(hostname);
    const addresses = table[hostname];
    if (!addresses)
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };

const base = { timeoutMs: 5000, maxBytes: 1024 * 1024 };

describe('safe fetch (GET)', () => {
  let site: TestSite;
  let publicSite: TestSite;

  beforeAll(async () => {
    site = await startTestSite({
      '/': htmlPage('<p>home</p>'),
      '/secret': htmlPage('<p>internal</p>'),
      '/hop': { status: 302, headers: { location: '/' } },
      '/loop': { status: 302, headers: { location: '/loop' } },
      '/big': htmlPage('x'.repeat(5000)),
      '/gzip': {
        headers: { 'content-type': 'text/html', 'content-encoding': 'gzip' },
        body: gzipSync(Buffer.from('<p>compressed hello</p>')),
      },
      '/gzip-bomb': {
        headers: { 'content-type': 'text/html', 'content-encoding': 'gzip' },
        body: gzipSync(Buffer.alloc(2 * 1024 * 1024, 0x61)),
      },
      '/host': (req) => htmlPage(`host=${req.headers.host}`),
    });
    // The "public" site: what PUBLIC_ADDRESS serves, redirecting to internal addresses.
    publicSite = await startTestSite({
      '/': htmlPage('<p>public home</p>'),
      '/to-loopback': { status: 301, headers: { location: `${site.origin}/secret` } },
      '/to-localhost': { status: 302, headers: { location: `http://localhost:${site.port}/secret` } },
      '/to-metadata': { status: 307, headers: { location: 'http://169.254.169.254/latest/meta-data/' } },
      '/to-decimal': { status: 308, headers: { location: `http://2130706433:${site.port}/secret` } },
      '/to-mapped': { status: 302, headers: { location: `http://[::ffff:127.0.0.1]:${site.port}/secret` } },
      '/to-rebound': { status: 302, headers: { location: 'http://rebound.example/secret' } },
      '/to-file': { status: 302, headers: { location: 'file:///etc/passwd' } },
      '/to-credentials': { status: 302, headers: { location: 'http://user:pw@public.example/' } },
    });
  });
  afterAll(async () => {
    await site?.close();
    await publicSite?.close();
  });

  it('refuses loopback, private and metadata addresses at the first request, before connecting', async () => {
    const before = site.requests.length;
    for (const href of [
      `${site.origin}/secret`,
      `http://localhost:${site.port}/secret`,
      `http://[::1]:${site.port}/secret`,
      `http://2130706433:${site.port}/secret`,
      `http://0x7f.1:${site.port}/secret`,
      `http://[::ffff:127.0.0.1]:${site.port}/secret`,
      'http://169.254.169.254/latest/meta-data/',
      'http://10.0.0.1/',
      'http://[fd00:ec2::254]/',
      'http://0.0.0.0/',
    ]) {
      await expect(safeFetch(href, { ...base, allowPrivateNetworks: false }), href).rejects.toBeInstanceOf(
        FetchRefusedError,
      );
    }
    expect(site.requests.length).toBe(before);
  });

  it('refuses a name that resolves to a private address, even when it also resolves to a public one', async () => {
    const lookup = lookupTable({
      'intranet.example': ['10.0.0.8'],
      'mixed.example': [PUBLIC_ADDRESS, '127.0.0.1'],
    });
    await expect(
      resolveAllowedAddresses(new URL('http://intranet.example/'), {
        allowPrivateNetworks: false,
        resolveHost: lookup,
      }),
    ).rejects.toThrow(/intranet\.example resolves to a private network address/);
    await expect(
      resolveAllowedAddresses(new URL('http://mixed.example/'), {
        allowPrivateNetworks: false,
        resolveHost: lookup,
      }),
    ).rejects.toThrow(/loopback/);
    await expect(
      resolveAllowedAddresses(new URL('http://mixed.example/'), {
        allowPrivateNetworks: true,
        resolveHost: lookup,
      }),
    ).resolves.toHaveLength(2);
  });

  it('refuses other schemes and credentials in the URL', async () => {
    for (const href of [
      'file:///etc/passwd',
      'ftp://example.com/',
      'gopher://x/',
      'http://user:pw@example.com/',
    ]) {
      await expect(safeFetch(href, { ...base, allowPrivateNetworks: true }), href).rejects.toBeInstanceOf(
        FetchRefusedError,
      );
    }
  });

  it('checks every redirect hop: a public page redirecting to an internal address is refused', async () => {
    const lookup = lookupTable({
      'public.example': [PUBLIC_ADDRESS],
      'rebound.example': ['127.0.0.1'],
      localhost: ['127.0.0.1'],
    });
    const options = {
      ...base,
      allowPrivateNetworks: false,
      resolveHost: lookup,
      transport: viaLoopback(publicSite),
    };

    // The public page itself is fetched (through the stand-in for the internet).
    const ok = await safeFetch('http://public.example/', options);
    expect(ok.status).toBe(200);
    expect((await ok.readBody()).toString()).toContain('public home');

    const before = site.requests.length;
    for (const path of [
      '/to-loopback',
      '/to-localhost',
      '/to-metadata',
      '/to-decimal',
      '/to-mapped',
      '/to-rebound',
    ]) {
      await expect(safeFetch(`http://public.example${path}`, options), path).rejects.toBeInstanceOf(
        FetchRefusedError,
      );
    }
    await expect(safeFetch('http://public.example/to-file', options)).rejects.toThrow(/Only http and https/);
    await expect(safeFetch('http://public.example/to-credentials', options)).rejects.toThrow(
      /user name or password/,
    );
    // Nothing reached the internal server.
    expect(site.requests.length).toBe(before);
    expect(publicSite.paths()).toEqual(expect.arrayContaining(['/to-loopback', '/to-rebound']));
  });

  it('connects to the address it checked, once per hop (no second DNS answer to rebind to)', async () => {
    const calls: string[] = [];
    const lookup = lookupTable({ 'site.example': ['127.0.0.1'] }, calls);
    const response = await safeFetch(`http://site.example:${site.port}/hop`, {
      ...base,
      allowPrivateNetworks: true,
      resolveHost: lookup,
    });
    expect(response.status).toBe(200);
    expect(response.url.href).toBe(`http://site.example:${site.port}/`);
    expect(calls).toEqual(['site.example', 'site.example']);
    // The request still names the host it is for.
    const hostPage = await safeFetch(`http://site.example:${site.port}/host`, {
      ...base,
      allowPrivateNetworks: true,
      resolveHost: lookup,
    });
    expect((await hostPage.readBody()).toString()).toContain(`host=site.example:${site.port}`);
  });

  it('stops after five redirects', async () => {
    await expect(safeFetch(`${site.origin}/loop`, { ...base, allowPrivateNetworks: true })).rejects.toThrow(
      /redirects more than 5 times/,
    );
  });

  it('can stop at a redirect and hand it back', async () => {
    const response = await safeFetch(`${site.origin}/hop`, {
      ...base,
      allowPrivateNetworks: true,
      followRedirect: () => false,
    });
    expect(response.status).toBe(302);
    expect(response.location?.href).toBe(`${site.origin}/`);
  });

  it('bounds the body, after decompression too', async () => {
    const small = { ...base, allowPrivateNetworks: true, maxBytes: 1000 };
    await expect((await safeFetch(`${site.origin}/big`, small)).readBody()).rejects.toThrow(
      /larger than the limit of 1000 bytes/,
    );
    await expect((await safeFetch(`${site.origin}/gzip-bomb`, small)).readBody()).rejects.toBeInstanceOf(
      FetchError,
    );
    const gzip = await safeFetch(`${site.origin}/gzip`, small);
    expect((await gzip.readBody()).toString()).toBe('<p>compressed hello</p>');
  });

  it('gives up on a server that does not answer in time', async () => {
    // A server that accepts the request and never answers.
    const server = http.createServer(() => {});
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const hanging = { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
    try {
      await expect(
        safeFetch(hanging.url, { ...base, timeoutMs: 200, allowPrivateNetworks: true }),
      ).rejects.toThrow(/No complete answer within 200 ms/);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('does not wait for a resolver that never answers beyond the deadline', async () => {
    const lookup: ResolveHost = () => new Promise(() => {});
    await expect(
      safeFetch('http://slow-dns.example/', {
        ...base,
        timeoutMs: 100,
        allowPrivateNetworks: false,
        resolveHost: lookup,
      }),
    ).rejects.toThrow(/No complete answer within 100 ms/);
  });

  it('passes the caller’s abort through as is', async () => {
    const controller = new AbortController();
    const reason = new Error('job cancelled');
    controller.abort(reason);
    await expect(
      safeFetch(`${site.origin}/`, { ...base, allowPrivateNetworks: true, signal: controller.signal }),
    ).rejects.toBe(reason);
  });
});
