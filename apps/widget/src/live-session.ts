import type { LiveStreamEvent } from '@confidant/contract';
import type { ChatClient, Conversation } from './chat-client.js';
import { ChatError } from './http.js';
import { openLiveEvents } from './live-events.js';
import type { SessionStore, StoredSession } from './session-store.js';
import { refreshDelay } from './visitor-token.js';

/**
 * Keeps an open conversation alive in this page: the live events stream, a fresh visitor token
 * before the current one expires, and the stored copy of `{ conversationId, token, lastEventId }`
 * (session-store.ts decides where, if anywhere, that goes). Started only once a conversation
 * exists, i.e. after the visitor's first message or when resuming one after a reload.
 */
const REFRESH_RETRY_MS = 30_000;

export type LiveSession = ReturnType<typeof createLiveSession>;

export function createLiveSession(options: {
  apiBase: string;
  client: ChatClient;
  store: SessionStore;
  onEvent(event: LiveStreamEvent): void;
}) {
  const { client, store } = options;
  let stream: { close(): void } | undefined;
  let streamFor: string | undefined;
  let lastEventId: string | undefined;
  let refreshTimer: ReturnType<typeof setTimeout> | undefined;

  const snapshot = (): StoredSession | undefined => {
    const conversation = client.conversation();
    if (!conversation) return undefined;
    return {
      conversationId: conversation.id,
      token: conversation.token,
      ...(lastEventId ? { lastEventId } : {}),
    };
  };
  const persist = () => {
    const session = snapshot();
    if (session) store.save(session);
  };

  function scheduleRefresh(token: string) {
    clearTimeout(refreshTimer);
    const delay = refreshDelay(token);
    if (delay === undefined) return;
    refreshTimer = setTimeout(async () => {
      try {
        await client.refreshToken();
      } catch (error) {
        if (error instanceof ChatError && (error.kind === 'expired' || error.kind === 'rejected')) {
          stop(true);
          return;
        }
        refreshTimer = setTimeout(() => scheduleRefresh(token), REFRESH_RETRY_MS);
      }
    }, delay);
  }

  function stop(forget: boolean) {
    clearTimeout(refreshTimer);
    stream?.close();
    stream = undefined;
    streamFor = undefined;
    if (forget) store.clear();
  }

  return {
    /** A conversation started, resumed, or got a fresh token. */
    attach(conversation: Conversation, resumeAfter?: string) {
      if (streamFor !== conversation.id) {
        stream?.close();
        lastEventId = resumeAfter;
        streamFor = conversation.id;
        stream = openLiveEvents({
          url: () =>
            new URL(`v1/widget/conversations/${encodeURIComponent(conversation.id)}/events`, options.apiBase)
              .href,
          token: () => client.conversation()?.token ?? conversation.token,
          lastEventId: () => lastEventId,
          onEvent(event, id) {
            if (id) lastEventId = id;
            options.onEvent(event);
            persist();
          },
          onStopped: () => stop(true),
        });
      }
      persist();
      scheduleRefresh(conversation.token);
    },

    snapshot,

    stop: () => stop(false),
  };
}
