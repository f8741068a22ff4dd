import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Test helper: a real local HTTP server speaking OpenAI chat completions for structured output:
 * `POST /v1/chat/completions` with `response_format: { type: 'json_schema', … }`, streamed (SSE
 * chunks, a usage chunk, `data: [DONE]`) or not, as the request asks. The reply's content is the
 * scripted object as JSON (or scripted raw text, to test an answer that is not valid JSON).
 * Every request body is recorded so tests can check exactly what a provider received.
 */
export type FakeStructuredReply = {
  /** The object the model answers with (serialised as the message content)… */
  object?: unknown;
  /** …or this raw content. */
  raw?: string;
  usage?: { prompt_tokens: number; completion_tokens: number };
  /** Answer with this HTTP status and an OpenAI-style error body instead. */
  status?: number;
  /** Accept the request and never answer (a provider that hangs). */
  hang?: boolean;
};

export type FakeStructuredOpenAi = {
  baseUrl: string;
  requests: { body: Record<string, unknown>; raw: string }[];
  reply: FakeStructuredReply;
  /** Replies for the next requests, one each, before `reply` applies again. */
  queue: FakeStructuredReply[];
  close(): Promise<void>;
};

export async function startFakeStructuredOpenAi(initial: FakeStructuredReply): Promise<FakeStructuredOpenAi> {
  const fake: FakeStructuredOpenAi = {
    baseUrl: '',
    requests: [],
    reply: initial,
    queue: [],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer((req, res) => {
    void (async () => {
      const raw = await readBody(req);
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(raw) as Record<string, unknown>;
      } catch {}
      fake.requests.push({ body, raw });
      const reply = fake.queue.shift() ?? fake.reply;
      if (reply.hang) return;
      if (reply.status) {
        res.writeHead(reply.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'upstream failed', type: 'server_error' } }));
        return;
      }
      const content = reply.raw ?? JSON.stringify(reply.object ?? {});
      const usage = reply.usage ?? { prompt_tokens: 1000, completion_tokens: 200 };
      const usageBody = { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens };
      const base = { id: 'chatcmpl-1', created: 1_700_000_000, model: String(body.model ?? 'fake') };
      if (body.stream !== true) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            ...base,
            object: 'chat.completion',
            choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
            usage: usageBody,
          }),
        );
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      const send = (data: object) =>
        res.write(`data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', ...data })}\n\n`);
      const half = Math.floor(content.length / 2);
      for (const [i, piece] of [content.slice(0, half), content.slice(half)].entries()) {
        send({
          choices: [
            {
              index: 0,
              delta: i === 0 ? { role: 'assistant', content: piece } : { content: piece },
              finish_reason: null,
            },
          ],
        });
      }
      send({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
      send({ choices: [], usage: usageBody });
      res.end('data: [DONE]\n\n');
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return fake;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
