import { readEventStream } from './sse.js';
import type { Citation, WidgetConfig } from './types.js';

/**
 * The widget API client (DESIGN.md §5). Conversation id and visitor token live only in this
 * object's memory: no cookie (every request uses `credentials: 'omit'`), no web storage. The
 * conversation is created on the first send, so nothing is stored server-side before the
 * visitor interacts.
 */

export type ErrorKind = 'network' | 'rate_limited' | 'unavailable' | 'rejected' | 'server';

export class ChatError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'ChatError';
  }
}

export type StreamHandlers = {
  onToken(delta: string): void;
  onCitations(citations: Citation[]): void;
  onHandoff(reason: string | undefined): void;
  /** A retry starts the answer over: drop whatever streamed before the failure. */
  onRestart(): void;
};

type Conversation = { id: string; token: string };

export type ChatClient = {
  fetchConfig(): Promise<WidgetConfig>;
  /** Sends one visitor message and streams the answer; resolves on `done`, throws ChatError. */
  send(text: string, clientMessageId: string, handlers: StreamHandlers): Promise<void>;
};

export function createChatClient(apiBase: string, agentKey: string): ChatClient {
  let conversation: Conversation | undefined;
  const url = (path: string) => new URL(path, apiBase).href;

  async function request(path: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(url(path), { ...init, credentials: 'omit', cache: 'no-store', mode: 'cors' });
    } catch {
      throw new ChatError('network', 'network failure');
    }
  }

  async function createConversation(): Promise<Conversation> {
    const res = await request('v1/widget/conversations', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ agentKey }),
    });
    if (!res.ok) throw await problemError(res);
    const body = (await res.json()) as { conversationId?: unknown; token?: unknown };
    if (typeof body.conversationId !== 'string' || typeof body.token !== 'string') {
      throw new ChatError('server', 'unexpected response when starting the conversation');
    }
    return { id: body.conversationId, token: body.token };
  }

  async function streamOnce(
    text: string,
    clientMessageId: string,
    handlers: StreamHandlers,
  ): Promise<Response | undefined> {
    conversation ??= await createConversation();
    const res = await request(`v1/widget/conversations/${encodeURIComponent(conversation.id)}/messages`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'text/event-stream',
        authorization: `Bearer ${conversation.token}`,
      },
      body: JSON.stringify({ text, clientMessageId }),
    });
    if (!res.ok || !res.body) return res;
    let finished = false;
    let failure: ChatError | undefined;
    try {
      await readEventStream(res.body, (event) => {
        if (finished || failure) return;
        const data = parseJson(event.data);
        if (event.event === 'token' && typeof data?.text === 'string') handlers.onToken(data.text);
        else if (event.event === 'citations' && Array.isArray(data?.citations)) {
          handlers.onCitations(data.citations.filter(isCitation));
        } else if (event.event === 'handoff') {
          handlers.onHandoff(typeof data?.reason === 'string' ? data.reason : undefined);
        } else if (event.event === 'done') finished = true;
        else if (event.event === 'error') failure = problemToError(data);
      });
    } catch {
      if (!finished) throw new ChatError('network', 'the answer stream was interrupted');
    }
    if (failure) throw failure;
    if (!finished) throw new ChatError('network', 'the answer stream ended early');
    return undefined;
  }

  return {
    async fetchConfig() {
      const res = await request(`v1/widget/config?agentKey=${encodeURIComponent(agentKey)}`, {
        method: 'GET',
      });
      if (!res.ok) throw await problemError(res);
      const body = (await res.json()) as Partial<WidgetConfig>;
      return {
        name: typeof body.name === 'string' ? body.name : 'Chat',
        greeting: typeof body.greeting === 'string' ? body.greeting : '',
        starters: Array.isArray(body.starters) ? body.starters.filter((s) => typeof s === 'string') : [],
      };
    },

    async send(text, clientMessageId, handlers) {
      let retriedNetwork = false;
      let renewedSession = false;
      for (;;) {
        try {
          const failed = await streamOnce(text, clientMessageId, handlers);
          if (!failed) return;
          // An expired visitor token: start a fresh conversation once and resend.
          if (failed.status === 401 && !renewedSession) {
            renewedSession = true;
            conversation = undefined;
            continue;
          }
          throw await problemError(failed);
        } catch (error) {
          // One retry on a network failure, with the same clientMessageId: the server treats a
          // repeat as the same message, so a retry can never post the question twice.
          if (error instanceof ChatError && error.kind === 'network' && !retriedNetwork) {
            retriedNetwork = true;
            handlers.onRestart();
            continue;
          }
          throw error instanceof ChatError ? error : new ChatError('server', 'unexpected failure');
        }
      }
    },
  };
}

type Json = Record<string, unknown> | undefined;

function parseJson(text: string): Json {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function isCitation(value: unknown): value is Citation {
  const c = value as Partial<Citation> | null;
  return (
    !!c &&
    typeof c.title === 'string' &&
    typeof c.sourceId === 'string' &&
    (c.url === undefined || typeof c.url === 'string')
  );
}

async function problemError(res: Response): Promise<ChatError> {
  const body = parseJson(await res.text().catch(() => ''));
  return problemToError({ status: res.status, ...body });
}

function problemToError(problem: Json): ChatError {
  const status = typeof problem?.status === 'number' ? problem.status : 500;
  const detail = typeof problem?.detail === 'string' ? problem.detail : `HTTP ${status}`;
  if (status === 429) return new ChatError('rate_limited', detail);
  if (status === 503) return new ChatError('unavailable', detail);
  if (status >= 400 && status < 500) return new ChatError('rejected', detail);
  return new ChatError('server', detail);
}
