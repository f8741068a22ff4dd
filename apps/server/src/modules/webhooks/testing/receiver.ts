import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real local HTTP server receiving webhooks: keeps each request's exact body and headers (so
 * tests verify signatures with the `standardwebhooks` library) and answers with a status the test
 * sets. Waiting is bounded, never timed.
 */
export type Received = {
  path: string;
  raw: string;
  headers: IncomingHttpHeaders;
  json: { type: string; data: Record<string, unknown> };
};

export type Receiver = {
  url: string;
  received: Received[];
  /** The status every request is answered with from now on (200 by default). */
  answerWith(status: number): void;
  waitFor(match: (r: Received) => boolean, what: string, timeoutMs?: number): Promise<Received>;
  close(): Promise<void>;
};

export async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  let status = 200;
  const waiters: { match: (r: Received) => boolean; done: (r: Received) => void }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const r: Received = { path: req.url ?? '', raw, headers: req.headers, json: JSON.parse(raw) };
      received.push(r);
      for (const w of [...waiters])
        if (w.match(r)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.done(r);
        }
      res
        .writeHead(status, { 'content-type': 'text/plain', connection: 'close' })
        .end('receiver body, never stored');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/confidant`,
    received,
    answerWith: (s) => {
      status = s;
    },
    waitFor(match, what, timeoutMs = 60_000) {
      const found = received.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`receiver: no ${what} within ${timeoutMs} ms`)),
          timeoutMs,
        );
        waiters.push({
          match,
          done: (r) => {
            clearTimeout(timer);
            resolve(r);
          },
        });
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
