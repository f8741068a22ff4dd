import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Test helper: a real local HTTP server speaking OpenAI's embeddings protocol
 * (`POST /v1/embeddings` { model, input, dimensions? } → { data: [{ embedding, index }], usage }).
 *
 * Its vectors are deterministic bags of words: each word is lower-cased, mapped to a concept when
 * it has one (so "money" and "reimburse" land on the same axis — the "semantic" closeness a real
 * model learns), stripped of a plural "s", and hashed into one of 64 dimensions (or the requested
 * size) with a hashed sign; the sum is L2-normalised. Texts sharing words or concepts are near.
 * Every request is recorded so tests can check what a provider receives.
 */
export const FAKE_DIMENSIONS = 64;

const CONCEPTS: Record<string, string[]> = {
  refund: ['refund', 'reimburse', 'reimbursed', 'reimbursement', 'money', 'repay', 'repaid', 'cashback'],
  shipping: [
    'shipping',
    'ship',
    'shipped',
    'delivery',
    'deliver',
    'delivered',
    'parcel',
    'package',
    'courier',
  ],
  password: ['password', 'passcode', 'credential', 'login', 'signin'],
  cancel: ['cancel', 'cancellation', 'terminate', 'unsubscribe'],
};
const conceptOf = new Map(Object.entries(CONCEPTS).flatMap(([c, words]) => words.map((w) => [w, c])));
const STOPWORDS = new Set(
  'a an and are at be can do does for from get how i in is it my of on or our the to we what when where who why will with you your back'.split(
    ' ',
  ),
);

function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The fake model's embedding of a text (exported so tests can reason about nearness). */
export function fakeEmbedding(text: string, dimensions = FAKE_DIMENSIONS): number[] {
  const v = new Array<number>(dimensions).fill(0);
  for (const raw of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    if (STOPWORDS.has(raw)) continue;
    const word = raw.length > 3 && raw.endsWith('s') ? raw.slice(0, -1) : raw;
    const token = conceptOf.get(word) ?? word;
    const h = hash(token);
    v[h % dimensions]! += (h >>> 16) & 1 ? 1 : -1;
  }
  const norm = Math.hypot(...v);
  return norm === 0 ? v : v.map((x) => x / norm);
}

export type FakeEmbeddings = {
  baseUrl: string;
  /** Every request's body (model, input as sent, dimensions) and its Authorization header. */
  requests: { model: string; input: string[]; dimensions?: number; authorization?: string }[];
  /** When set, requests are answered with this HTTP status and an OpenAI-style error. */
  failWith: number | null;
  close(): Promise<void>;
};

export async function startFakeEmbeddings(): Promise<FakeEmbeddings> {
  const fake: Omit<FakeEmbeddings, 'baseUrl' | 'close'> = { requests: [], failWith: null };
  const server = createServer((req, res) => {
    void handle(req, res);
  });
  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.method !== 'POST' || req.url !== '/v1/embeddings') {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'not found', type: 'invalid_request_error' } }));
      return;
    }
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
      model: string;
      input: string | string[];
      dimensions?: number;
    };
    const input = Array.isArray(body.input) ? body.input : [body.input];
    fake.requests.push({
      model: body.model,
      input,
      ...(body.dimensions ? { dimensions: body.dimensions } : {}),
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
    });
    if (fake.failWith) {
      res.writeHead(fake.failWith, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'upstream overloaded', type: 'server_error' } }));
      return;
    }
    const tokens = input.reduce((n, text) => n + (text.match(/\S+/g)?.length ?? 0), 0);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        object: 'list',
        model: body.model,
        data: input.map((text, index) => ({
          object: 'embedding',
          index,
          embedding: fakeEmbedding(text, body.dimensions ?? FAKE_DIMENSIONS),
        })),
        usage: { prompt_tokens: tokens, total_tokens: tokens },
      }),
    );
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  });
}
