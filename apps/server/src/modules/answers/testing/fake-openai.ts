import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Test helper: a real local HTTP server speaking the OpenAI chat-completions streaming protocol
 * (`POST /v1/chat/completions` with `stream: true` → SSE `data: {chunk}` lines, a usage chunk,
 * `data: [DONE]`). It records every request body so tests can check what a provider receives.
 *
 * Behaviours per response: stream the scripted deltas, then any scripted tool calls (streamed
 * `tool_calls` deltas, finish_reason 'tool_calls': the model asking to call a tool; the next
 * request then carries the tool's result, and `queue` holds what to answer it); hold after N deltas until `release()`
 * (a slow provider, for disconnect and shutdown tests); drop the connection after N deltas (a
 * provider failing mid-stream); or answer with an HTTP error status.
 */
export type FakeReply = {
  deltas: string[];
  usage?: { prompt_tokens: number; completion_tokens: number };
  /** Send this many deltas, then wait for release() before sending the rest. */
  holdAfter?: number;
  /** Send this many deltas, then destroy the connection. */
  failAfter?: number;
  /** Answer with this HTTP status and an OpenAI-style error body instead of a stream. */
  status?: number;
  /** Tool calls to stream after the text deltas (arguments as an object or raw JSON text). */
  toolCalls?: FakeToolCall[];
};

/** A scripted tool call: the model asks for `name` with `arguments`. */
export type FakeToolCall = { name: string; arguments: Record<string, unknown> | string; id?: string };

export type FakeOpenAi = {
  baseUrl: string;
  requests: { body: Record<string, unknown>; raw: string; authorization: string | undefined }[];
  /** The reply for the next request(s); stays until changed. */
  reply: FakeReply;
  /** Replies for the next requests, one each, before `reply` applies again (a tool call, then…). */
  queue: FakeReply[];
  /** Lets a held response continue. */
  release(): void;
  /** Resolves when a request's connection was closed by the client before the response ended. */
  clientAborted: Promise<void>;
  close(): Promise<void>;
};

export async function startFakeOpenAi(initial: FakeReply): Promise<FakeOpenAi> {
  let releaseHeld: () => void = () => {};
  let held = new Promise<void>((resolve) => {
    releaseHeld = resolve;
  });
  let markAborted: () => void = () => {};
  const clientAborted = new Promise<void>((resolve) => {
    markAborted = resolve;
  });
  const fake: Omit<FakeOpenAi, 'baseUrl' | 'close'> = {
    requests: [],
    reply: initial,
    queue: [],
    release: () => {
      releaseHeld();
      held = new Promise<void>((resolve) => {
        releaseHeld = resolve;
      });
    },
    clientAborted,
  };

  const server: Server = createServer((req, res) => {
    void handle(req, res);
  });
  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    fake.requests.push({ body: JSON.parse(raw), raw, authorization: req.headers.authorization });
    const reply = fake.queue.shift() ?? fake.reply;
    let finished = false;
    res.on('close', () => {
      if (!finished) markAborted();
    });
    if (reply.status) {
      finished = true;
      res.writeHead(reply.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'upstream overloaded', type: 'server_error' } }));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const chunk = (body: object) =>
      res.write(
        `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 0, model: 'fake', ...body })}\n\n`,
      );
    for (const [i, delta] of reply.deltas.entries()) {
      if (reply.failAfter !== undefined && i === reply.failAfter) {
        res.destroy();
        return;
      }
      if (reply.holdAfter !== undefined && i === reply.holdAfter) await held;
      if (res.destroyed) return;
      chunk({
        choices: [
          {
            index: 0,
            delta: i === 0 ? { role: 'assistant', content: delta } : { content: delta },
            finish_reason: null,
          },
        ],
      });
      await new Promise((resolve) => setImmediate(resolve));
    }
    for (const [index, call] of (reply.toolCalls ?? []).entries()) {
      const args = typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments);
      const half = Math.ceil(args.length / 2);
      // The name and id first, then the arguments in two pieces, as real providers stream them.
      const pieces = [args.slice(0, half), args.slice(half)];
      chunk({
        choices: [
          {
            index: 0,
            delta: {
              ...(index === 0 && reply.deltas.length === 0 ? { role: 'assistant', content: null } : {}),
              tool_calls: [
                {
                  index,
                  id: call.id ?? `call_${index + 1}`,
                  type: 'function',
                  function: { name: call.name, arguments: '' },
                },
              ],
            },
            finish_reason: null,
          },
        ],
      });
      for (const piece of pieces) {
        chunk({
          choices: [
            {
              index: 0,
              delta: { tool_calls: [{ index, function: { arguments: piece } }] },
              finish_reason: null,
            },
          ],
        });
      }
    }
    chunk({
      choices: [{ index: 0, delta: {}, finish_reason: reply.toolCalls?.length ? 'tool_calls' : 'stop' }],
    });
    if (reply.usage)
      chunk({
        choices: [],
        usage: { ...reply.usage, total_tokens: reply.usage.prompt_tokens + reply.usage.completion_tokens },
      });
    res.write('data: [DONE]\n\n');
    finished = true;
    res.end();
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  }) as FakeOpenAi;
}
