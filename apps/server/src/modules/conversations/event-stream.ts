import { PassThrough } from 'node:stream';
import type { FastifyReply } from 'fastify';

/**
 * A server-sent event stream as the reply body. Sent through Fastify (not hijacked), so response
 * hooks — CORS, request id, security headers — apply as to any other response.
 *
 * Writing after the client went away is a no-op, never an error: the caller learns about the
 * disconnect through `onClientGone` and stops its work.
 */
export type EventStream = {
  send(event: string, data: unknown): void;
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
  reply.raw.on('close', () => {
    if (ended) return;
    ended = true;
    for (const listener of listeners.splice(0)) listener();
  });
  reply
    .header('content-type', 'text/event-stream; charset=utf-8')
    .header('cache-control', 'no-cache, no-transform')
    .header('x-accel-buffering', 'no')
    .send(body);
  return {
    send(event, data) {
      if (ended || body.destroyed) return;
      body.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    end() {
      if (ended) return;
      ended = true;
      body.end();
    },
    onClientGone(listener) {
      listeners.push(listener);
    },
  };
}
