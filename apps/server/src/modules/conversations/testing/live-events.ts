import { request as httpRequest, type IncomingMessage } from 'node:http';
import { createParser } from 'eventsource-parser';

/**
 * Test helper: a long-lived server-sent-events subscription over a real socket (node:http, no
 * keep-alive, so closing it frees the server at once). Collects events as they arrive; tests
 * wait for the one they expect. Never asserts on time: `waitFor` only bounds a hang.
 */
export type LiveEvent = { id: string | undefined; event: string; data: unknown };

export type LiveEvents = {
  events: LiveEvent[];
  status: number;
  headers: IncomingMessage['headers'];
  /** Resolves with the first event (already received or future) that matches. */
  waitFor(match: (e: LiveEvent) => boolean, what?: string, timeoutMs?: number): Promise<LiveEvent>;
  close(): void;
};

export function openLiveEvents(url: string, headers: Record<string, string> = {}): Promise<LiveEvents> {
  return new Promise((resolve, reject) => {
    const events: LiveEvent[] = [];
    const waiters: { match: (e: LiveEvent) => boolean; done: (e: LiveEvent) => void }[] = [];
    const parser = createParser({
      onEvent(message) {
        let data: unknown = message.data;
        try {
          data = JSON.parse(message.data);
        } catch {}
        const event: LiveEvent = { id: message.id, event: message.event ?? 'message', data };
        events.push(event);
        for (const w of [...waiters]) {
          if (w.match(event)) {
            waiters.splice(waiters.indexOf(w), 1);
            w.done(event);
          }
        }
      },
    });
    const req = httpRequest(
      url,
      { headers: { accept: 'text/event-stream', connection: 'close', ...headers }, agent: false },
      (res) => {
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => parser.feed(chunk));
        res.on('error', () => {});
        resolve({
          events,
          status: res.statusCode ?? 0,
          headers: res.headers,
          waitFor(match, what = 'event', timeoutMs = 15_000) {
            const seen = events.find(match);
            if (seen) return Promise.resolve(seen);
            return new Promise((done, fail) => {
              const timer = setTimeout(() => {
                waiters.splice(waiters.indexOf(waiter), 1);
                fail(new Error(`no ${what} arrived; got ${JSON.stringify(events)}`));
              }, timeoutMs);
              const waiter = {
                match,
                done: (e: LiveEvent) => {
                  clearTimeout(timer);
                  done(e);
                },
              };
              waiters.push(waiter);
            });
          },
          close() {
            req.destroy();
          },
        });
      },
    );
    req.on('error', (error) => {
      if ((error as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(error);
    });
    req.end();
  });
}
