import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real website for crawler tests, served with node:http on 127.0.0.1 and a free port. Routes
 * are static answers or functions of the request; every request is recorded (path and headers)
 * and the most requests in flight at once is tracked. Paths without a route answer 404.
 */
export type TestResponse = { status?: number; headers?: Record<string, string>; body?: string | Buffer };
export type TestRoute =
  | TestResponse
  | ((request: http.IncomingMessage, site: TestSite) => TestResponse | Promise<TestResponse>);

export type TestSite = {
  /** e.g. http://127.0.0.1:40123 */
  origin: string;
  port: number;
  requests: { path: string; headers: http.IncomingHttpHeaders }[];
  /** Paths requested, in order. */
  paths(): string[];
  maxInFlight: number;
  routes: Record<string, TestRoute>;
  close(): Promise<void>;
};

export const html = (title: string, body: string, head = '') =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title>${head}</head><body>${body}</body></html>`;

export const htmlPage = (body: string, headers: Record<string, string> = {}): TestResponse => ({
  headers: { 'content-type': 'text/html; charset=utf-8', ...headers },
  body,
});

export async function startTestSite(routes: Record<string, TestRoute> = {}): Promise<TestSite> {
  let inFlight = 0;
  const site: TestSite = {
    origin: '',
    port: 0,
    requests: [],
    paths: () => site.requests.map((r) => r.path),
    maxInFlight: 0,
    routes,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server = http.createServer((req, res) => {
    inFlight++;
    site.maxInFlight = Math.max(site.maxInFlight, inFlight);
    site.requests.push({ path: req.url ?? '', headers: req.headers });
    const route = site.routes[req.url ?? ''] ?? site.routes[(req.url ?? '').split('?')[0]!];
    const answer = Promise.resolve(
      route
        ? typeof route === 'function'
          ? route(req, site)
          : route
        : { status: 404, headers: { 'content-type': 'text/plain' }, body: 'not found' },
    );
    // Answer on a later turn at the earliest, so that concurrent requests really overlap.
    void answer.then((a) =>
      setImmediate(() => {
        res.writeHead(a.status ?? 200, a.headers ?? {});
        res.end(a.body ?? '');
        inFlight--;
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  site.port = (server.address() as AddressInfo).port;
  site.origin = `http://127.0.0.1:${site.port}`;
  return site;
}
