import type { Citation, WidgetConfig } from '@confidant/contract';
import { type ChatClient, ChatError, createChatClient, type TurnResult } from './chat-client.js';
import { createConversationLog } from './conversation-log.js';
import { adoptStyles } from './dom.js';
import { newMessageId } from './ids.js';
import { createLiveSession, type LiveSession } from './live-session.js';
import { panelCss } from './panel-styles.js';
import { createPanelView } from './panel-view.js';
import { createSessionStore, type SessionStore } from './session-store.js';
import type { PanelHandle, PanelOptions } from './types.js';

/**
 * widget-panel.js — loaded by the launcher on first open. Owns the conversation for the life of
 * the page. Nothing is written to web storage before the visitor's first message, and after it
 * only what the agent's `persistence` allows (session-store.ts). Every sentence about storage and
 * handoff comes from the server's config, computed from real settings.
 */

/** Content hashes of widget-flow.js (flows, the closing rating prompt) and widget-voice.js, from bundle.mjs. */
declare const __FLOW_VERSION__: string;
declare const __VOICE_VERSION__: string;

/** Visitor typing is sent at most this often (the server throttles too). */
const TYPING_EVERY_MS = 3_000;

export function mountPanel(options: PanelOptions): PanelHandle {
  adoptStyles(options.shadow, panelCss);
  const setAvatarCss = adoptStyles(options.shadow, '');
  const view = createPanelView();
  options.shadow.append(view.root);

  let config: WidgetConfig | undefined;
  let store: SessionStore | undefined;
  let live: LiveSession | undefined;
  let configState: 'idle' | 'loading' | 'ready' = 'idle';
  let busy = false;
  let started = false;
  let contactOffered = false;
  let lastTypingSent = 0;

  const log = createConversationLog(view, () => config?.name ?? 'Chat');
  let identity = options.identity;
  let identifiedAs: string | undefined;
  /** Sends the page's identity once per conversation and identity, after the visitor started it. */
  const sendIdentity = () => {
    const conversation = client.conversation();
    const key = conversation && identity ? `${conversation.id}:${JSON.stringify(identity)}` : undefined;
    if (!key || !identity || key === identifiedAs) return;
    identifiedAs = key;
    // A refused identity (wrong HMAC) leaves the chat anonymous; nothing to show the visitor.
    client.identify(identity).catch(() => {});
  };
  const client: ChatClient = createChatClient(options.apiBase, options.agentKey, {
    onConversation(conversation) {
      sendIdentity();
      live?.attach(conversation);
      if (config?.persistence === 'device') view.showRemember(store?.isRemembered() ?? false);
    },
  });

  async function loadConfig() {
    if (configState !== 'idle') return;
    configState = 'loading';
    try {
      config = await client.fetchConfig();
      configState = 'ready';
      store = createSessionStore(config.persistence, options.agentKey);
      live = createLiveSession({
        apiBase: options.apiBase,
        client,
        store,
        onEvent(event) {
          log.live(event);
          if (event.event === 'status' && event.data.status === 'closed') showRating();
        },
      });
      const look = config.appearance;
      if (look) {
        options.setAppearance(look);
        const avatarUrl = look.avatarUrl ? new URL(look.avatarUrl, options.apiBase).href : null;
        view.setAvatar(avatarUrl);
        // The same picture beside each answer, drawn by CSS so every bubble needs no extra node.
        // A URL's serialisation percent-encodes quotes, so it cannot end the url("…") early.
        setAvatarCss(
          avatarUrl ? `.with-avatar .assistant::before{background-image:url("${avatarUrl}")}` : '',
        );
      }
      view.setAgent(config.name);
      view.setResponder(undefined, config.name);
      view.setFootnote(config.storageNotice);
      if (config.greeting) view.addGreeting(config.greeting);
      // Starters only invite a first question: not once the visitor has asked one.
      const resumed = await resumeStored();
      const showStarters = () => {
        if (!resumed && !started && config) view.setStarters(config.starters, (text) => void send(text));
      };
      if (config.flow) void runFlow(config, resumed || started, showStarters);
      else showStarters();
      // The microphone's code loads only for agents that take voice; it asks the browser for
      // nothing until the visitor presses the microphone (voice.ts).
      if (config.voice)
        loadBundle<typeof import('./voice.js')>('voice', __VOICE_VERSION__).then(
          (voice) =>
            voice.mountVoice({
              shadow: options.shadow,
              view,
              client,
              apiBase: options.apiBase,
              voice: config!.voice!,
              ask: (text, turnId, onSpeech) => send(text, turnId, onSpeech),
              busy: () => busy,
            }),
          () => {},
        );
    } catch {
      configState = 'idle';
      view.addError('The chat is unavailable right now.', () => void loadConfig());
    }
  }

  /**
   * widget-flow.js holds what only some conversations reach (the agent's flow, the rating prompt
   * when a conversation closes), so the panel keeps its size budget for the chat.
   */
  async function loadBundle<T>(name: string, version: string): Promise<T> {
    const url = new URL(`widget-${name}.js?v=${version}`, import.meta.url);
    return (await import(/* @vite-ignore */ url.href)) as T;
  }
  const loadFlowBundle = () => loadBundle<typeof import('./flow.js')>('flow', __FLOW_VERSION__);

  /** The agent's flow, loaded only when there is one. */
  async function runFlow(current: WidgetConfig, resumed: boolean, onChat: () => void) {
    try {
      const flow = await loadFlowBundle();
      flow.startFlow({
        flow: current.flow!,
        config: current,
        shadow: options.shadow,
        view,
        client,
        resumed,
        onChat,
      });
    } catch {
      onChat();
    }
  }

  /** After a reload: the stored conversation's transcript, then its live events. */
  async function resumeStored(): Promise<boolean> {
    const stored = store?.load();
    if (!stored || started) return false;
    client.resume({ id: stored.conversationId, token: stored.token });
    try {
      const transcript = await client.transcript();
      started = true;
      log.loadTranscript(transcript.messages, transcript.status);
      live?.attach({ id: stored.conversationId, token: stored.token }, stored.lastEventId);
      if (config?.persistence === 'device') view.showRemember(store?.isRemembered() ?? false);
      return true;
    } catch (error) {
      // Expired or gone: forget it and start fresh. A network failure keeps it for next time.
      if (error instanceof ChatError && (error.kind === 'expired' || error.kind === 'rejected'))
        store?.clear();
      client.resume(undefined);
      return false;
    }
  }

  async function send(raw: string, voiceTurnId?: string, onSpeech?: (index: number) => void) {
    const text = raw.trim();
    if (!text || busy) return;
    started = true;
    view.setStarters([], () => {});
    view.addVisitor(text);
    log.sentLocally(text);
    view.input.value = '';
    view.autosizeInput();
    await runTurn(text, newMessageId(), voiceTurnId, onSpeech);
  }

  /** One question and its streamed answer; a retry reuses the clientMessageId (no duplicate). */
  async function runTurn(
    text: string,
    clientMessageId: string,
    voiceTurnId?: string,
    onSpeech?: (index: number) => void,
  ) {
    busy = true;
    view.setBusy(true);
    log.answerStarted();
    const streaming = view.addStreaming();
    let answer = '';
    let citations: Citation[] = [];
    let handoff: { operatorsAvailable: boolean | undefined } | undefined;
    let result: TurnResult | null = null;
    let frame = 0;
    const scheduleRender = () => {
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        streaming.render(answer);
      });
    };
    try {
      result = await client.send(
        text,
        clientMessageId,
        {
          onSpeech,
          onToken(delta) {
            answer += delta;
            scheduleRender();
          },
          onCitations(list) {
            citations = list;
          },
          onHandoff(details) {
            handoff = details;
          },
          onRestart() {
            answer = '';
            citations = [];
            handoff = undefined;
          },
        },
        voiceTurnId,
      );
      cancelAnimationFrame(frame);
      streaming.remove();
      // assistantMessageId null: a person owns the conversation now; the partial text is dropped.
      // Otherwise a fresh node, so the polite live region announces the complete answer once.
      if (result.assistantMessageId !== null && answer.trim()) view.addAssistant(answer, citations);
      if (result.assistantMessageId !== null && handoff) showHandoff(handoff.operatorsAvailable);
    } catch (error) {
      cancelAnimationFrame(frame);
      streaming.remove();
      view.addError(errorMessage(error), () => void runTurn(text, clientMessageId));
    } finally {
      log.answerFinished(text, result);
      busy = false;
      view.setBusy(false);
    }
  }

  /**
   * What happens now, said honestly. With someone available the answer itself already says a
   * person will reply here (the server chose that text from presence), so nothing is repeated;
   * with nobody, the email offer.
   */
  function showHandoff(operatorsAvailable: boolean | undefined) {
    if (!config || operatorsAvailable !== false) return;
    if (contactOffered) return;
    contactOffered = true;
    // An agent that stores no transcripts keeps no address either: the line says so, no form.
    if (!config.handoff.emailReplies) {
      view.addSystemLine(config.handoff.offlineLine);
      return;
    }
    // The email form is in widget-flow.js: only conversations that reach an empty inbox need it.
    loadFlowBundle().then(
      ({ createContactForm }) =>
        view.addCustom(
          createContactForm({
            offlineLine: config!.handoff.offlineLine,
            consentText: config!.handoff.contactConsentText,
            submit: (email) => client.leaveContact(email),
          }),
        ),
      () => view.addSystemLine(config!.handoff.offlineLine),
    );
  }

  /** The satisfaction prompt, once per conversation in this page, when it closes (rating.ts). */
  let ratedConversation: string | undefined;
  function showRating() {
    const id = client.conversation()?.id;
    if (!id || id === ratedConversation) return;
    ratedConversation = id;
    loadFlowBundle().then(
      ({ createRatingPrompt }) =>
        view.addCustom(createRatingPrompt({ submit: (score, comment) => client.rate(score, comment) })),
      () => {}, // the rating is optional: an unavailable bundle just means no prompt
    );
  }

  /** Operators see the visitor typing, only while a person is involved. */
  function typingSignal() {
    const status = log.status();
    if ((status !== 'waiting' && status !== 'human') || !client.conversation()) return;
    const now = Date.now();
    if (now - lastTypingSent < TYPING_EVERY_MS) return;
    lastTypingSent = now;
    client.sendTyping().catch(() => {});
  }

  const handle: PanelHandle = {
    open() {
      view.root.hidden = false;
      options.onOpenChange(true);
      view.input.focus();
      void loadConfig();
    },
    close() {
      view.root.hidden = true;
      options.onOpenChange(false);
      options.launcher.focus();
    },
    isOpen: () => !view.root.hidden,
    identify(next) {
      identity = next;
      sendIdentity();
    },
  };

  view.closeButton.addEventListener('click', () => handle.close());
  view.form.addEventListener('submit', (event) => {
    event.preventDefault();
    void send(view.input.value);
  });
  view.input.addEventListener('input', () => {
    view.autosizeInput();
    if (view.input.value.trim()) typingSignal();
  });
  view.input.addEventListener('keydown', (event) => {
    // Enter sends, Shift+Enter is a newline; never send mid-IME composition.
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      void send(view.input.value);
    }
  });
  view.rememberBox.addEventListener('change', () => {
    store?.setRemembered(view.rememberBox.checked, live?.snapshot());
  });
  // Escape anywhere in the widget (panel or launcher) closes the panel and returns focus.
  options.shadow.addEventListener('keydown', (event) => {
    if ((event as KeyboardEvent).key === 'Escape' && handle.isOpen()) {
      event.stopPropagation();
      handle.close();
    }
  });

  return handle;
}

function errorMessage(error: unknown): string {
  const kind = error instanceof ChatError ? error.kind : 'server';
  switch (kind) {
    case 'network':
      return "Sorry, we couldn't reach the assistant. Check your connection and try again.";
    case 'rate_limited':
      return "You're sending messages a little too quickly. Please wait a moment and try again.";
    case 'unavailable':
      return 'The assistant is busy right now. Please try again in a moment.';
    case 'rejected':
    case 'expired':
      return "Sorry, that message couldn't be sent.";
    default:
      return 'Sorry, something went wrong on our side. Please try again.';
  }
}
