import { type ChatClient, ChatError, createChatClient } from './chat-client.js';
import { adoptStyles } from './dom.js';
import { newMessageId } from './ids.js';
import { panelCss } from './panel-styles.js';
import { createPanelView } from './panel-view.js';
import type { Citation, PanelHandle, PanelOptions } from './types.js';

/**
 * widget-panel.js — loaded by the launcher on first open. Owns the conversation for the life of
 * the page: all state is in memory (DESIGN.md §4.8); closing the tab forgets it.
 */

/** Shown as a status line under the answer (the answer itself may already say it in its own words). */
const HANDOFF_NOTICE = 'A team member has been asked to join this chat.';

export function mountPanel(options: PanelOptions): PanelHandle {
  adoptStyles(options.shadow, panelCss);
  const view = createPanelView();
  options.shadow.append(view.root);
  const client: ChatClient = createChatClient(options.apiBase, options.agentKey);

  let configState: 'idle' | 'loading' | 'ready' = 'idle';
  let busy = false;
  let started = false;

  async function loadConfig() {
    if (configState !== 'idle') return;
    configState = 'loading';
    try {
      const config = await client.fetchConfig();
      configState = 'ready';
      view.setAgent(config.name);
      if (config.greeting) view.addAssistant(config.greeting);
      if (!started) view.setStarters(config.starters, (text) => void send(text));
    } catch {
      configState = 'idle';
      view.addError('The chat is unavailable right now.', () => void loadConfig());
    }
  }

  async function send(raw: string) {
    const text = raw.trim();
    if (!text || busy) return;
    started = true;
    view.setStarters([], () => {});
    view.addVisitor(text);
    view.input.value = '';
    view.autosizeInput();
    await runTurn(text, newMessageId());
  }

  /** One question and its streamed answer; a retry reuses the clientMessageId (no duplicate). */
  async function runTurn(text: string, clientMessageId: string) {
    busy = true;
    view.setBusy(true);
    const streaming = view.addStreaming();
    let answer = '';
    let citations: Citation[] = [];
    let handoff = false;
    let frame = 0;
    const scheduleRender = () => {
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        streaming.render(answer);
      });
    };
    try {
      await client.send(text, clientMessageId, {
        onToken(delta) {
          answer += delta;
          scheduleRender();
        },
        onCitations(list) {
          citations = list;
        },
        onHandoff() {
          handoff = true;
        },
        onRestart() {
          answer = '';
          citations = [];
          handoff = false;
        },
      });
      cancelAnimationFrame(frame);
      streaming.remove();
      // A fresh node, so the polite live region announces the complete answer once.
      if (answer.trim()) view.addAssistant(answer, citations);
      if (handoff) view.addNotice(HANDOFF_NOTICE);
    } catch (error) {
      cancelAnimationFrame(frame);
      streaming.remove();
      view.addError(errorMessage(error), () => void runTurn(text, clientMessageId));
    } finally {
      busy = false;
      view.setBusy(false);
    }
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
  };

  view.closeButton.addEventListener('click', () => handle.close());
  view.form.addEventListener('submit', (event) => {
    event.preventDefault();
    void send(view.input.value);
  });
  view.input.addEventListener('input', () => view.autosizeInput());
  view.input.addEventListener('keydown', (event) => {
    // Enter sends, Shift+Enter is a newline; never send mid-IME composition.
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      void send(view.input.value);
    }
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
      return "Sorry, that message couldn't be sent.";
    default:
      return 'Sorry, something went wrong on our side. Please try again.';
  }
}
