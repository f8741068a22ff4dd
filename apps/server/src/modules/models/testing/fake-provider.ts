import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Test helper: a real local HTTP server speaking one provider's streaming protocol, as the AI
 * SDK's provider for that kind reads it:
 * - 'openai-responses': POST {base}/responses → SSE `response.*` events (OpenAI Responses API);
 * - 'anthropic': POST {base}/messages → SSE message_start, content_block_*, message_delta, message_stop;
 * - 'gemini': POST {base}/models/{model}:streamGenerateContent?alt=sse → SSE `data:` JSON chunks.
 * (OpenAI chat completions: answers/testing/fake-openai.ts.)
 * A reply may also script tool calls (`toolCalls`, after its text): 'openai-responses' streams
 * them as `function_call` output items, 'anthropic' as `tool_use` blocks; `queue` then holds
 * the reply to the request that carries the tool's result.
 * Every request is recorded so tests can check what the provider received.
 */
export type FakeProtocol = 'openai-responses' | 'anthropic' | 'gemini';

export type FakeProviderReply = {
  deltas: string[];
  usage: { input: number; output: number };
  /** Answer with this HTTP status and an error body instead of a stream. */
  status?: number;
  /** Accept the request and never answer (a provider that hangs). */
  hang?: boolean;
  /** Extra response headers (e.g. Retry-After with a status). */
  headers?: Record<string, string>;
  /** Tool calls the model makes after its text ('openai-responses' and 'anthropic'). */
  toolCalls?: { name: string; arguments: Record<string, unknown>; id?: string }[];
};

export type FakeProvider = {
  /** The base URL to configure for the kind (what the SDK appends its paths to). */
  baseUrl: string;
  requests: { url: string; raw: string; headers: IncomingMessage['headers'] }[];
  reply: FakeProviderReply;
  /** Replies for the next requests, one each, before `reply` applies again (a 500 once, then…). */
  queue: FakeProviderReply[];
  close(): Promise<void>;
};

const BASE_PATH: Record<FakeProtocol, string> = {
  'openai-responses': '/v1',
  anthropic: '/v1',
  gemini: '/v1beta',
};

export async function startFakeProvider(
  protocol: FakeProtocol,
  initial: FakeProviderReply,
): Promise<FakeProvider> {
  const open = new Set<ServerResponse>();
  const fake: FakeProvider = {
    baseUrl: '',
    requests: [],
    reply: initial,
    queue: [],
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of open) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer((req, res) => {
    void handle(req, res);
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    fake.requests.push({
      url: req.url ?? '',
      raw: Buffer.concat(chunks).toString('utf8'),
      headers: req.headers,
    });
    const reply = fake.queue.shift() ?? fake.reply;
    if (reply.hang) {
      open.add(res);
      res.on('close', () => open.delete(res));
      return;
    }
    if (reply.status) {
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(
        JSON.stringify({
          error: { message: 'upstream overloaded', type: 'server_error', code: reply.status },
        }),
      );
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const send = (data: object, event?: string) =>
      res.write(`${event ? `event: ${event}\n` : ''}data: ${JSON.stringify(data)}\n\n`);
    const text = reply.deltas.join('');
    if (protocol === 'openai-responses') openAiResponses(send, reply, text);
    else if (protocol === 'anthropic') anthropicMessages(send, reply);
    else gemini(send, reply);
    res.end();
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  fake.baseUrl = `http://127.0.0.1:${port}${BASE_PATH[protocol]}`;
  return fake;
}

type Send = (data: object, event?: string) => void;

function openAiResponses(send: Send, reply: FakeProviderReply, text: string) {
  const response = {
    id: 'resp_1',
    object: 'response',
    created_at: 1_700_000_000,
    model: 'fake-model',
    status: 'in_progress',
    output: [],
    incomplete_details: null,
  };
  send({ type: 'response.created', sequence_number: 0, response }, 'response.created');
  const item = { type: 'message', id: 'msg_1', status: 'in_progress', role: 'assistant', content: [] };
  send({ type: 'response.output_item.added', output_index: 0, item, sequence_number: 1 });
  let n = 2;
  for (const delta of reply.deltas) {
    send({
      type: 'response.output_text.delta',
      item_id: 'msg_1',
      output_index: 0,
      content_index: 0,
      delta,
      logprobs: [],
      sequence_number: n++,
    });
  }
  const done = {
    ...item,
    status: 'completed',
    content: [{ type: 'output_text', text, annotations: [], logprobs: [] }],
  };
  send({ type: 'response.output_item.done', output_index: 0, item: done, sequence_number: n++ });
  const calls = (reply.toolCalls ?? []).map((call, i) => {
    const output_index = i + 1;
    const args = JSON.stringify(call.arguments);
    const fc = {
      type: 'function_call',
      id: `fc_${output_index}`,
      call_id: call.id ?? `call_${output_index}`,
      name: call.name,
      arguments: '',
      status: 'in_progress',
    };
    send({ type: 'response.output_item.added', output_index, item: fc, sequence_number: n++ });
    send({
      type: 'response.function_call_arguments.delta',
      item_id: fc.id,
      output_index,
      delta: args,
      sequence_number: n++,
    });
    const finished = { ...fc, arguments: args, status: 'completed' };
    send({ type: 'response.output_item.done', output_index, item: finished, sequence_number: n++ });
    return finished;
  });
  send({
    type: 'response.completed',
    sequence_number: n,
    response: {
      ...response,
      status: 'completed',
      output: [done, ...calls],
      usage: {
        input_tokens: reply.usage.input,
        input_tokens_details: { cached_tokens: 0 },
        output_tokens: reply.usage.output,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: reply.usage.input + reply.usage.output,
      },
    },
  });
}

function anthropicMessages(send: Send, reply: FakeProviderReply) {
  send(
    {
      type: 'message_start',
      message: {
        id: 'msg_1',
        type: 'message',
        role: 'assistant',
        content: [],
        model: 'fake-model',
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: reply.usage.input, output_tokens: 1 },
      },
    },
    'message_start',
  );
  send(
    { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
    'content_block_start',
  );
  for (const text of reply.deltas) {
    send(
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } },
      'content_block_delta',
    );
  }
  send({ type: 'content_block_stop', index: 0 }, 'content_block_stop');
  for (const [i, call] of (reply.toolCalls ?? []).entries()) {
    const index = i + 1;
    send(
      {
        type: 'content_block_start',
        index,
        content_block: { type: 'tool_use', id: call.id ?? `toolu_${index}`, name: call.name, input: {} },
      },
      'content_block_start',
    );
    send(
      {
        type: 'content_block_delta',
        index,
        delta: { type: 'input_json_delta', partial_json: JSON.stringify(call.arguments) },
      },
      'content_block_delta',
    );
    send({ type: 'content_block_stop', index }, 'content_block_stop');
  }
  send(
    {
      type: 'message_delta',
      delta: { stop_reason: reply.toolCalls?.length ? 'tool_use' : 'end_turn', stop_sequence: null },
      usage: { output_tokens: reply.usage.output },
    },
    'message_delta',
  );
  send({ type: 'message_stop' }, 'message_stop');
}

function gemini(send: Send, reply: FakeProviderReply) {
  reply.deltas.forEach((text, i) => {
    const last = i === reply.deltas.length - 1;
    send({
      candidates: [
        {
          content: { parts: [{ text }], role: 'model' },
          index: 0,
          ...(last ? { finishReason: 'STOP' } : {}),
        },
      ],
      ...(last
        ? {
            usageMetadata: {
              promptTokenCount: reply.usage.input,
              candidatesTokenCount: reply.usage.output,
              totalTokenCount: reply.usage.input + reply.usage.output,
            },
          }
        : {}),
      modelVersion: 'fake-model',
    });
  });
}
