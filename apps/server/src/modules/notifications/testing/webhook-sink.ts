import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A real local HTTP server standing in for a Slack incoming webhook: keeps each JSON body posted. */
export type WebhookSink = {
  url: string;
  posts: { path: string; body: { text?: string } }[];
  /** Answers the next n posts with this status instead of 200. */
  failNext(count: number, status: number): void;
  close(): Promise<void>;
};

export async function startWebhookSink(): Promise<WebhookSink> {
  const posts: WebhookSink['posts'] = [];
  let failures = 0;
  let failStatus = 500;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (failures > 0) {
        failures--;
        res.writeHead(failStatus).end('error');
        return;
      }
      posts.push({ path: req.url ?? '', body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/services/T000/B000/secret-token`,
    posts,
    failNext: (count, status) => {
      failures = count;
      failStatus = status;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
