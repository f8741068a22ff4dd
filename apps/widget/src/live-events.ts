import type { LiveStreamEvent } from '@confidant/contract';
import { bearer, parseJson } from './http.js';
import { SseParser } from './sse.js';

/**
 * The visitor's live stream (GET …/events) read with fetch, because EventSource cannot send an
 * Authorization header. Stays connected while the conversation is open:
 * - reconnects after any drop with exponential backoff and full jitter (1 s doubling to 30 s),
 *   resuming after the last event id (`?lastEventId=`, the query form of Last-Event-ID, which
 *   needs no extra CORS header) so no event is lost or repeated;
 * - the server sends a keep-alive comment every 15 s, so 45 s of silence means a dead
 *   connection (a sleeping laptop, a proxy that dropped it): abort and reconnect;
 * - 401 (token expired) and 404 (conversation gone) stop it: retrying cannot help.
 */
export type LiveEventsOptions = {
  url: () => string;
  token: () => string;
  lastEventId: () => string | undefined;
  onEvent(event: LiveStreamEvent, id: string | undefined): void;
  /** Called once when the stream gives up for good (token expired, conversation gone). */
  onStopped(reason: 'expired' | 'gone'): void;
};

const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 30_000;
const SILENCE_LIMIT_MS = 45_000;

export function backoffDelay(attempt: number, random = Math.random): number {
  const ceiling = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** attempt);
  return Math.round(ceiling * (0.5 + random() / 2));
}

export function openLiveEvents(options: LiveEventsOptions): { close(): void } {
  let closed = false;
  let controller: AbortController | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let attempt = 0;

  async function connect() {
    controller = new AbortController();
    const aborter = controller;
    let silence: ReturnType<typeof setTimeout> | undefined;
    const heardFromServer = () => {
      clearTimeout(silence);
      silence = setTimeout(() => aborter.abort(), SILENCE_LIMIT_MS);
    };
    try {
      const lastEventId = options.lastEventId();
      heardFromServer();
      const url = new URL(options.url());
      if (lastEventId) url.searchParams.set('lastEventId', lastEventId);
      const res = await fetch(url.href, {
        method: 'GET',
        headers: { accept: 'text/event-stream', ...bearer(options.token()) },
        credentials: 'omit',
        cache: 'no-store',
        mode: 'cors',
        signal: aborter.signal,
      });
      if (res.status === 401 || res.status === 404) {
        closed = true;
        options.onStopped(res.status === 401 ? 'expired' : 'gone');
        return;
      }
      if (!res.ok || !res.body) return;
      const parser = new SseParser((event) => {
        const data = parseJson(event.data);
        if (!data || !['status', 'message', 'typing'].includes(event.event)) return;
        attempt = 0;
        options.onEvent({ event: event.event, data } as LiveStreamEvent, event.id);
      });
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        heardFromServer();
        parser.push(decoder.decode(value, { stream: true }));
      }
    } catch {
      // Network failure, silence or close(): fall through to the retry (unless closed).
    } finally {
      clearTimeout(silence);
    }
    if (closed) return;
    retryTimer = setTimeout(() => void connect(), backoffDelay(attempt++));
  }

  void connect();
  return {
    close() {
      closed = true;
      clearTimeout(retryTimer);
      controller?.abort();
    },
  };
}
