import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The bench's model: a local OpenAI-compatible server (POST /v1/chat/completions, stream: true)
 * in its own process, so its CPU is neither the client's nor Confidant's. It answers every
 * request with the same short streamed reply; the first chunk is written as soon as the request
 * body is read (after `--first-token-ms`, default 0), so a client's time to first token is the
 * transport plus whatever sits between it and this server.
 *
 * Prints `listening <base URL>` on stdout once ready. Also serves GET /healthz (a peer figure).
 */
const i = process.argv.indexOf('--first-token-ms');
const firstTokenMs = i >= 0 ? Number(process.argv[i + 1]) : 0;
const DELTAS = ['Standard shipping ', 'takes 3 to 5 ', 'business days ', 'within the United States [1].'];

const chunk = (content: string | null, finish: string | null) =>
  `data: ${JSON.stringify({
    id: 'chatcmpl-bench',
    object: 'chat.completion.chunk',
    created: 0,
    model: 'bench-model',
    choices: [
      { index: 0, delta: content === null ? {} : { role: 'assistant', content }, finish_reason: finish },
    ],
  })}\n\n`;

const server = createServer((req, res) => {
  if (req.method === 'GET') {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    return;
  }
  req.resume();
  req.on('end', () => {
    const send = () => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      for (const delta of DELTAS) res.write(chunk(delta, null));
      res.write(chunk(null, 'stop'));
      res.write(
        `data: ${JSON.stringify({
          id: 'chatcmpl-bench',
          object: 'chat.completion.chunk',
          created: 0,
          model: 'bench-model',
          choices: [],
          usage: { prompt_tokens: 200, completion_tokens: 20, total_tokens: 220 },
        })}\n\n`,
      );
      res.end('data: [DONE]\n\n');
    };
    if (firstTokenMs > 0) setTimeout(send, firstTokenMs);
    else send();
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`listening http://127.0.0.1:${port}/v1\n`);
});
