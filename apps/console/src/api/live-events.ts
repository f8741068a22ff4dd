import type { InboxEvent } from '@confidant/contract';
import { createParser } from 'eventsource-parser';
import { ORG_HEADER } from './client';

const RETRY_MIN_MS = 1000;
const RETRY_MAX_MS = 15_000;

/**
 * Follows GET /v1/events for one org with fetch streaming (EventSource cannot send the org
 * header). Reconnects with backoff and resumes after the last seen event id (?lastEventId=), so
 * nothing is missed across a dropped connection. `onOpen` fires on every (re)connection: callers
 * refetch what they show, since events before the first connection are not replayed.
 * Returns a function that stops following.
 */
export function followInboxEvents(
  orgId: string,
  handlers: { onEvent: (event: InboxEvent) => void; onOpen?: () => void },
): () => void {
  const controller = new AbortController();
  let lastEventId: string | null = null;
  let delay = RETRY_MIN_MS;

  const connect = async () => {
    while (!controller.signal.aborted) {
      try {
        const url = lastEventId ? `/v1/events?lastEventId=${lastEventId}` : '/v1/events';
        const response = await fetch(url, {
          headers: { accept: 'text/event-stream', [ORG_HEADER]: orgId },
          credentials: 'same-origin',
          signal: controller.signal,
        });
        if (!response.ok || !response.body) throw new Error(`events: status ${response.status}`);
        delay = RETRY_MIN_MS;
        handlers.onOpen?.();
        const parser = createParser({
          onEvent: (message) => {
            if (message.id) lastEventId = message.id;
            if (!message.event || message.event === 'ping') return;
            try {
              handlers.onEvent({ event: message.event, data: JSON.parse(message.data) } as InboxEvent);
            } catch {
              // A malformed event is skipped; the next refetch shows the truth.
            }
          },
        });
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          parser.feed(value);
        }
      } catch {
        if (controller.signal.aborted) return;
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, RETRY_MAX_MS);
    }
  };
  void connect();
  return () => controller.abort();
}
