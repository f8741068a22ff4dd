import { Agent, request } from 'node:http';
import { createParser } from 'eventsource-parser';
import { SITE } from '../../apps/server/src/modules/conversations/testing/widget-fixture.js';

/**
 * Many visitors' event streams (GET /v1/widget/conversations/{id}/events) from one process: one
 * kept-alive socket per stream, a streaming SSE parser, and a callback per event — nothing is
 * stored here, so a thousand streams cost the client little.
 *
 * Each stream resumes after seq 0 (Last-Event-ID: 0): the server then replays the conversation
 * from the start before going live, so no reply can slip past a subscription that is still being
 * set up (a first connection without Last-Event-ID only sees events committed after it
 * subscribed).
 */
export type StreamEvent = { id: number | null; event: string; data: string };

export type VisitorStream = { close(): void };

/** One socket per stream, reused by nothing else; kept alive so the server never times it out. */
const agent = new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });

export function openVisitorStream(
  baseUrl: string,
  conversationId: string,
  token: string,
  handlers: { onEvent(e: StreamEvent): void; onEnd(reason: string): void },
): Promise<VisitorStream> {
  return new Promise((resolve, reject) => {
    let ready = false;
    const parser = createParser({
      onEvent(message) {
        const event = message.event ?? 'message';
        // The server sends the current status first: from then on the stream is open.
        if (!ready && event === 'status') {
          ready = true;
          resolve({ close: () => req.destroy() });
        }
        handlers.onEvent({ id: message.id ? Number(message.id) : null, event, data: message.data });
      },
    });
    const req = request(
      `${baseUrl}/v1/widget/conversations/${conversationId}/events`,
      {
        agent,
        headers: {
          accept: 'text/event-stream',
          authorization: `Bearer ${token}`,
          origin: SITE,
          'last-event-id': '0',
        },
      },
      (res) => {
        if (res.statusCode !== 200) {
          reject(new Error(`events stream: HTTP ${res.statusCode}`));
          res.resume();
          return;
        }
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => parser.feed(chunk));
        res.on('error', () => {});
        res.on('close', () => handlers.onEnd(ready ? 'closed' : 'closed before ready'));
      },
    );
    req.on('error', (error) => {
      if (!ready) reject(error);
      else handlers.onEnd(error.message);
    });
    req.end();
  });
}

/** Runs `task` over items with at most `width` in flight (setup phases: opening, warm-up). */
export async function inBatches<T>(items: readonly T[], width: number, task: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
}
