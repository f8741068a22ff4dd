import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real HTTP service for action tests (node:http on 127.0.0.1, a free port): every request is
 * recorded whole (method, URL, headers, body) and answered by a handler the test sets.
 */
export type ReceivedRequest = {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
};
export type ActionReply = {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  delayMs?: number;
};

export type ActionServer = {
  /** e.g. http://127.0.0.1:40123 */
  origin: string;
  received: ReceivedRequest[];
  reply: (request: ReceivedRequest) => ActionReply;
  close(): Promise<void>;
};

export const json = (value: unknown, status = 200): ActionReply => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(value),
});

export async function startActionServer(): Promise<ActionServer> {
  const timers = new Set<NodeJS.Timeout>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request: ReceivedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      site.received.push(request);
      const answer = site.reply(request);
      const send = () => {
        res.writeHead(answer.status ?? 200, answer.headers ?? {});
        res.end(answer.body ?? '');
      };
      if (answer.delayMs) {
        const timer = setTimeout(() => {
          timers.delete(timer);
          send();
        }, answer.delayMs);
        timers.add(timer);
      } else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const site: ActionServer = {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received: [],
    reply: () => json({ ok: true }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return site;
}
