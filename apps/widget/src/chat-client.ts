import type { Citation, VisitorTranscript, WidgetConfig } from '@confidant/contract';
import { bearer, ChatError, createApiRequest, parseJson, problemError, problemToError } from './http.js';
import { readEventStream } from './sse.js';
import type { Identity } from './types.js';

/**
 * The widget API client (DESIGN.md §5). The conversation id and visitor token live in this
 * object; the panel decides whether they are also kept in web storage (session-store.ts). The
 * conversation is created on the first send, so nothing is stored server-side before the
 * visitor interacts.
 */

export { ChatError, type ErrorKind } from './http.js';

export type StreamHandlers = {
  onToken(delta: string): void;
  onCitations(citations: Citation[]): void;
  onHandoff(handoff: { operatorsAvailable: boolean | undefined }): void;
  /** A retry starts the answer over: drop whatever streamed before the failure. */
  onRestart(): void;
  /** A voice turn's sentence `index` can be fetched as speech (voice.ts). */
  onSpeech?(index: number): void;
};

/** How a turn ended: the answer's id, or null when a person owns the conversation (no answer). */
export type TurnResult = { userMessageId: string | undefined; assistantMessageId: string | null };

export type Conversation = { id: string; token: string };

export type ChatClient = {
  fetchConfig(): Promise<WidgetConfig>;
  /** Sends one visitor message and streams the answer; resolves on `done`, throws ChatError. */
  send(
    text: string,
    clientMessageId: string,
    handlers: StreamHandlers,
    voiceTurnId?: string,
  ): Promise<TurnResult>;
  conversation(): Conversation | undefined;
  /** Resumes a stored conversation (after a reload); undefined forgets it (the next send starts anew). */
  resume(conversation: Conversation | undefined): void;
  /** The visible transcript; throws ChatError 'expired' when the token is no longer valid. */
  transcript(): Promise<VisitorTranscript>;
  /** Swaps the token for a fresh one (the current one must still be valid). */
  refreshToken(): Promise<string>;
  sendTyping(): Promise<void>;
  leaveContact(email: string): Promise<void>;
  /** Rates the closed conversation (1–5, optional comment); a second call changes the rating. */
  rate(score: number, comment: string): Promise<void>;
  /** Sends the host page's signed identity for the current conversation (403 when the HMAC is wrong). */
  identify(identity: Identity): Promise<void>;
  /** The conversation, started now if there is none yet (a flow step the visitor acted on). */
  start(): Promise<Conversation>;
  /** A JSON call on the current conversation (`suffix` after its path); throws ChatError. */
  call(method: 'GET' | 'POST', suffix: string, body?: object): Promise<unknown>;
};

export function createChatClient(
  apiBase: string,
  agentKey: string,
  events: { onConversation(conversation: Conversation): void },
): ChatClient {
  let current: Conversation | undefined;
  const request = createApiRequest(apiBase);
  const conversationPath = (suffix = '') =>
    `v1/widget/conversations/${encodeURIComponent(current?.id ?? '')}${suffix}`;

  const setConversation = (next: Conversation | undefined) => {
    current = next;
    if (next) events.onConversation(next);
  };

  async function createConversation(): Promise<Conversation> {
    const res = await request('v1/widget/conversations', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      // Origin and path only: a query string or fragment may carry personal data.
      body: JSON.stringify({ agentKey, page: `${location.origin}${location.pathname}` }),
    });
    if (!res.ok) throw await problemError(res);
    const body = (await res.json()) as { conversationId?: unknown; token?: unknown };
    if (typeof body.conversationId !== 'string' || typeof body.token !== 'string') {
      throw new ChatError('server', 'unexpected response when starting the conversation');
    }
    return { id: body.conversationId, token: body.token };
  }

  /** POST with the visitor token; throws ChatError unless 2xx. */
  async function visitorPost(suffix: string, body?: object): Promise<Response> {
    if (!current) throw new ChatError('rejected', 'no conversation yet');
    const res = await request(conversationPath(suffix), {
      method: 'POST',
      headers: { ...bearer(current.token), ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    if (!res.ok) throw await problemError(res);
    return res;
  }

  async function streamOnce(
    text: string,
    clientMessageId: string,
    handlers: StreamHandlers,
    voiceTurnId?: string,
  ): Promise<Response | TurnResult> {
    if (!current) setConversation(await createConversation());
    const res = await request(conversationPath('/messages'), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'text/event-stream',
        ...bearer(current!.token),
      },
      body: JSON.stringify({ text, clientMessageId, voiceTurnId }),
    });
    if (!res.ok || !res.body) return res;
    let done: TurnResult | undefined;
    let failure: ChatError | undefined;
    try {
      await readEventStream(res.body, (event) => {
        if (done || failure) return;
        const data = parseJson(event.data);
        if (event.event === 'token' && typeof data?.text === 'string') handlers.onToken(data.text);
        else if (event.event === 'speech') handlers.onSpeech?.(data?.index as number);
        else if (event.event === 'citations' && Array.isArray(data?.citations)) {
          handlers.onCitations(data.citations.filter(isCitation));
        } else if (event.event === 'handoff') {
          const available = data?.operatorsAvailable;
          handlers.onHandoff({ operatorsAvailable: typeof available === 'boolean' ? available : undefined });
        } else if (event.event === 'done') {
          done = {
            userMessageId: typeof data?.userMessageId === 'string' ? data.userMessageId : undefined,
            assistantMessageId: typeof data?.assistantMessageId === 'string' ? data.assistantMessageId : null,
          };
        } else if (event.event === 'error') failure = problemToError(data);
      });
    } catch {
      if (!done) throw new ChatError('network', 'the answer stream was interrupted');
    }
    if (failure) throw failure;
    if (!done) throw new ChatError('network', 'the answer stream ended early');
    return done;
  }

  return {
    async fetchConfig() {
      const res = await request(`v1/widget/config?agentKey=${encodeURIComponent(agentKey)}`, {
        method: 'GET',
      });
      if (!res.ok) throw await problemError(res);
      return (await res.json()) as WidgetConfig;
    },

    async send(text, clientMessageId, handlers, voiceTurnId) {
      let retriedNetwork = false;
      let renewedSession = false;
      for (;;) {
        try {
          const outcome = await streamOnce(text, clientMessageId, handlers, voiceTurnId);
          if (!(outcome instanceof Response)) return outcome;
          // An expired visitor token: start a fresh conversation once and resend.
          if (outcome.status === 401 && !renewedSession) {
            renewedSession = true;
            current = undefined;
            continue;
          }
          throw await problemError(outcome);
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

    conversation: () => current,
    resume: (conversation) => {
      current = conversation;
    },

    async transcript() {
      if (!current) throw new ChatError('rejected', 'no conversation yet');
      const res = await request(conversationPath(), { method: 'GET', headers: bearer(current.token) });
      if (!res.ok) throw await problemError(res);
      return (await res.json()) as VisitorTranscript;
    },

    async refreshToken() {
      const res = await visitorPost('/token');
      const body = (await res.json()) as { token?: unknown };
      if (typeof body.token !== 'string' || !current)
        throw new ChatError('server', 'no token in the response');
      setConversation({ id: current.id, token: body.token });
      return body.token;
    },

    async sendTyping() {
      await visitorPost('/typing');
    },

    async leaveContact(email) {
      await visitorPost('/contact', { email, consent: true, purpose: 'reply_by_email' });
    },

    async rate(score, comment) {
      await visitorPost('/rating', { score, comment });
    },

    async identify(identity) {
      await visitorPost('/identify', identity);
    },

    async start() {
      if (!current) setConversation(await createConversation());
      return current!;
    },

    async call(method, suffix, body) {
      if (method === 'POST') return (await visitorPost(suffix, body ?? {})).json();
      if (!current) throw new ChatError('rejected', 'no conversation yet');
      const res = await request(conversationPath(suffix), { method, headers: bearer(current.token) });
      if (!res.ok) throw await problemError(res);
      return res.json();
    },
  };
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
