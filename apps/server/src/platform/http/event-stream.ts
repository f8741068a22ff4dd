import { PassThrough } from 'node:stream';
import type { FastifyReply } from 'fastify';

/**
 * A server-sent event stream as the reply body. Sent through Fastify (not hijacked), so response
 * hooks — CORS, request id, security headers — apply as to any other response.
 *
 * Writing after the client went away is a no-op, never an error: the caller learns about the
 * disconnect through `onClientGone` and stops its work. While a slow model thinks, a comment line
 * goes out every HEARTBEAT_MS so proxies do not time the quiet connection out (clients ignore
 * comments).
 */
const HEARTBEAT_MS = 15_000;

export type EventStream = {
  /** Sends one event; `id` (the outbox seq) lets the client resume with Last-Event-ID. */
  send(event: string, data: unknown, id?: number): void;
  end(): void;
  /** Called once if the client disconnects before the stream ended. */
  onClientGone(listener: () => void): void;
};

export function openEventStream(reply: FastifyReply): EventStream {
  const body = new PassThrough();
  // Fastify destroys the body when the socket closes; a late write must not become an uncaught error.
  body.on('error', () => {});
  let ended = false;
  const listeners: (() => void)[] = [];
  const heartbeat = setInterval(() => {
    if (!ended && !body.destroyed) body.write(': keep-alive\n\n');
  }, HEARTBEAT_MS);
  heartbeat.unref();
  reply.raw.on('close', () => {
    clearInterval(heartbeat);
    if (ended) return;
    ended = true;
    for (const listener of listeners.splice(0)) listener();
  });
  reply
    .header('content-type', 'text/event-stream; charset=utf-8')
    .header('cache-control', 'no-cache, no-transform')
    .header('x-accel-buffering', 'no')
    .send(body);
  // Flushes the headers now: a live stream may stay quiet for a long time, and a client (or a
  // proxy) should know at once that it is connected.
  body.write(': connected\n\n');
  return {
    send(event, data, id) {
      if (ended || body.destroyed) return;
      body.write(
        `${id !== undefined ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`,
      );
    },
    end() {
      clearInterval(heartbeat);
      if (ended) return;
      ended = true;
      body.end();
    },
    onClientGone(listener) {
      listeners.push(listener);
    },
  };
}
