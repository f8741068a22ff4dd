/**
 * Test helper: a minimal server-sent-events reader over a real fetch Response, parsing the
 * stream byte by byte as a browser's EventSource would (events split on a blank line; `event:`
 * and `data:` fields; `:` comments ignored).
 */
import { request as httpRequest } from 'node:http';

export type SseEvent = { event: string; data: unknown };

export async function readEvents(
  response: Response,
  onEvent?: (event: SseEvent, all: SseEvent[]) => void,
): Promise<SseEvent[]> {
  const events: SseEvent[] = [];
  if (!response.body) return events;
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let boundary = buffer.indexOf('\n\n');
      while (boundary !== -1) {
        const block = buffer.slice(0, boundary);
        buffer = buffer.slice(boundary + 2);
        const event = parseBlock(block);
        if (event) {
          events.push(event);
          onEvent?.(event, events);
        }
        boundary = buffer.indexOf('\n\n');
      }
    }
  } catch (error) {
    // A test that aborts its own request ends up here; anything else is a failure.
    if (!(error instanceof Error && error.name === 'AbortError')) throw error;
  }
  return events;
}

/**
 * POSTs and reads the event stream until `stopWhen` says so, then drops the connection — a
 * visitor closing the tab mid-answer. Uses node:http without keep-alive: aborting a pooled fetch
 * makes undici open a spare connection, which would hold the server's close() for a minute.
 */
export function postAndDisconnect(
  url: string,
  headers: Record<string, string>,
  body: string,
  stopWhen: (event: SseEvent) => boolean,
): Promise<SseEvent[]> {
  return new Promise((resolve, reject) => {
    const events: SseEvent[] = [];
    const req = httpRequest(url, { method: 'POST', headers, agent: false }, (res) => {
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let boundary = buffer.indexOf('\n\n');
        while (boundary !== -1) {
          const event = parseBlock(buffer.slice(0, boundary));
          buffer = buffer.slice(boundary + 2);
          if (event) {
            events.push(event);
            if (stopWhen(event)) {
              req.destroy();
              resolve(events);
              return;
            }
          }
          boundary = buffer.indexOf('\n\n');
        }
      });
      res.on('end', () => resolve(events));
    });
    req.on('error', (error) => {
      if (!req.destroyed || events.length === 0) reject(error);
    });
    req.end(body);
  });
}

function parseBlock(block: string): SseEvent | null {
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) continue;
    if (line.startsWith('event:')) event = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
  }
  if (data.length === 0) return null;
  return { event, data: JSON.parse(data.join('\n')) };
}

/** The event names in order, with consecutive `token` events collapsed into one "token…". */
export function eventSequence(events: readonly SseEvent[]): string[] {
  const out: string[] = [];
  for (const e of events) {
    const name = e.event === 'token' ? 'token…' : e.event;
    if (name === 'token…' && out.at(-1) === 'token…') continue;
    out.push(name);
  }
  return out;
}

/** The concatenated text of all `token` events. */
export function streamedText(events: readonly SseEvent[]): string {
  return events
    .filter((e) => e.event === 'token')
    .map((e) => (e.data as { text: string }).text)
    .join('');
}

export function dataOf<T>(events: readonly SseEvent[], name: string): T | undefined {
  return events.find((e) => e.event === name)?.data as T | undefined;
}
