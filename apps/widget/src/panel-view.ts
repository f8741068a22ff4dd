import type { Citation } from '@confidant/contract';
import {
  type CitationNumbering,
  numberCitations,
  withoutPartialMarker,
} from '@confidant/contract/citation-markers';
import { citeRenderer, sourcesList } from './citations.js';
import { CLOSE_ICON, h, icon } from './dom.js';
import { renderMarkdown } from './markdown.js';

/**
 * The panel's DOM: a non-modal dialog with a header, a message log, starter chips and a composer.
 * Accessibility invariants: the log is role="log" + aria-live="polite"; a streaming answer is
 * aria-hidden while tokens arrive and is replaced by a fresh node when complete, so a screen
 * reader announces each answer once, whole, instead of every token. Operator replies and system
 * lines are appended to the same log, so they are announced as they arrive; the typing
 * indicator sits outside the log and is not announced (it would repeat every few seconds).
 * Citation markers: a streaming answer shows none (its citations come after the text, and a
 * half-arrived `[1` is held back); the final bubble draws them from the same text and citations
 * as the stored message, so a reloaded conversation looks the same.
 */

/** While tokens stream no marker resolves: they are left out until the answer is complete. */
const STREAMING: CitationNumbering = { sources: [], numberOf: () => undefined };

const SEND_ICON = 'M5 12h13M13 6l6 6-6 6';

export type PanelView = ReturnType<typeof createPanelView>;

export function createPanelView() {
  const title = h('h2', { class: 'title', id: 'cw-title' }, 'Chat');
  const subtitle = h('p', { class: 'subtitle' }, 'Answers from our help articles');
  const typingName = h('span', { class: 'typing-name' });
  const typingRow = h(
    'div',
    { class: 'typing-row', 'aria-hidden': 'true', hidden: true },
    h('span', { class: 'typing' }, h('span'), h('span'), h('span')),
    typingName,
  );
  const footnote = h('p', { class: 'footnote' }, 'No cookies.');
  const rememberBox = h('input', { type: 'checkbox', id: 'cw-remember', class: 'checkbox' });
  const remember = h(
    'div',
    { class: 'remember', hidden: true },
    rememberBox,
    h('label', { for: 'cw-remember' }, 'Remember this chat on this device'),
  );
  const avatar = h('div', { class: 'avatar', 'aria-hidden': 'true' }, '?');
  const closeButton = h(
    'button',
    { type: 'button', class: 'icon-button', 'aria-label': 'Close chat' },
    icon(CLOSE_ICON),
  );
  const log = h('div', {
    class: 'log',
    role: 'log',
    'aria-live': 'polite',
    'aria-labelledby': 'cw-title',
    tabindex: '0',
  });
  const starters = h('div', {
    class: 'starters',
    role: 'group',
    'aria-label': 'Suggested questions',
    hidden: true,
  });
  const input = h('textarea', {
    class: 'input',
    id: 'cw-input',
    rows: '1',
    maxlength: '4000',
    placeholder: 'Ask a question…',
    'aria-describedby': 'cw-hint',
  });
  const sendButton = h(
    'button',
    { type: 'submit', class: 'send', 'aria-label': 'Send message' },
    icon(SEND_ICON),
  );
  const form = h(
    'form',
    { class: 'composer' },
    h('label', { for: 'cw-input', class: 'sr-only' }, 'Your message'),
    input,
    sendButton,
    h('span', { id: 'cw-hint', class: 'sr-only' }, 'Press Enter to send, Shift+Enter for a new line.'),
  );
  const root = h(
    'section',
    { class: 'panel', role: 'dialog', 'aria-modal': 'false', 'aria-labelledby': 'cw-title', hidden: true },
    h('header', { class: 'header' }, avatar, h('div', { class: 'titles' }, title, subtitle), closeButton),
    log,
    typingRow,
    starters,
    form,
    h('div', { class: 'footer' }, remember, footnote),
  );

  let agentName = 'Chat';
  let avatarUrl: string | null = null;
  /** The agent's picture when it has one and no person answers, else the initial of who answers. */
  const showAvatar = (operatorName: string | undefined) => {
    avatar.classList.toggle('person', operatorName !== undefined);
    if (avatarUrl && operatorName === undefined)
      avatar.replaceChildren(h('img', { src: avatarUrl, alt: '' }));
    else avatar.textContent = initialOf(operatorName ?? agentName);
  };

  const scrollToEnd = () => {
    log.scrollTop = log.scrollHeight;
  };

  /** An answer (citations given, markers drawn) or the greeting (no citations: text as written). */
  const assistantBubble = (text: string, citations?: Citation[]) => {
    const bubble = h('div', { class: 'msg assistant' }, h('span', { class: 'sr-only' }, 'Assistant: '));
    const numbering = citations && numberCitations(text, citations);
    bubble.append(renderMarkdown(text, numbering && citeRenderer(numbering)));
    if (numbering?.sources.length) bubble.append(sourcesList(numbering.sources));
    return bubble;
  };

  const append = (node: HTMLElement) => {
    log.append(node);
    scrollToEnd();
    return node;
  };

  return {
    root,
    log,
    input,
    form,
    sendButton,
    closeButton,
    starters,
    rememberBox,

    setAgent(name: string) {
      title.textContent = name;
      agentName = name;
      showAvatar(undefined);
    },

    /** The agent's picture (a URL on the Confidant server), in the header and beside its answers. */
    setAvatar(url: string | null) {
      avatarUrl = url;
      root.classList.toggle('with-avatar', url !== null);
      showAvatar(undefined);
    },

    /** Who answers now, under the title: the assistant, or the operator by name. */
    setResponder(operatorName: string | undefined, name: string) {
      agentName = name;
      subtitle.textContent = operatorName
        ? `You're chatting with ${operatorName}`
        : 'Answers from our help articles';
      showAvatar(operatorName);
    },

    setFootnote(text: string) {
      footnote.textContent = text;
    },

    /** The "Remember this chat on this device" choice (persistence `device`, after the first message). */
    showRemember(checked: boolean) {
      rememberBox.checked = checked;
      remember.hidden = false;
    },

    /** "Olga is typing…", or hidden with null. */
    setTyping(name: string | null) {
      typingRow.hidden = name === null;
      if (name !== null) {
        typingName.textContent = `${name} is typing…`;
        const nearEnd = log.scrollHeight - log.scrollTop - log.clientHeight < 60;
        if (nearEnd) scrollToEnd();
      }
    },

    setStarters(items: string[], onPick: (text: string) => void) {
      starters.replaceChildren(
        ...items.map((text) => {
          const chip = h('button', { type: 'button', class: 'chip' }, text);
          chip.addEventListener('click', () => onPick(text));
          return chip;
        }),
      );
      starters.hidden = items.length === 0;
    },

    addAssistant(text: string, citations: Citation[] = []) {
      return append(assistantBubble(text, citations));
    },

    /** The agent's greeting: always the first line, even if the visitor wrote before it arrived. */
    addGreeting(text: string) {
      const bubble = assistantBubble(text);
      log.prepend(bubble);
      return bubble;
    },

    /** A reply from a person, with their display name above it. */
    addOperator(text: string, name: string | undefined) {
      const who = name ?? 'Support team';
      return append(
        h(
          'div',
          { class: 'msg operator' },
          h('span', { class: 'author', 'aria-hidden': 'true' }, who),
          h('span', { class: 'sr-only' }, `${who}: `),
          h('div', { class: 'operator-text' }, text),
        ),
      );
    },

    /** A quiet line about who is in the conversation ("You're now chatting with Olga"). */
    addSystemLine(text: string) {
      return append(h('div', { class: 'system-line' }, h('span', {}, text)));
    },

    /** Any element the panel composes itself (the offline contact form). */
    addCustom(node: HTMLElement) {
      return append(node);
    },

    addVisitor(text: string) {
      return append(h('div', { class: 'msg visitor' }, h('span', { class: 'sr-only' }, 'You: '), text));
    },

    /** A bubble that tokens stream into; hidden from assistive tech until replaced by the final answer. */
    addStreaming() {
      const body = h('div', {}, h('span', { class: 'typing' }, h('span'), h('span'), h('span')));
      const bubble = append(h('div', { class: 'msg assistant', 'aria-hidden': 'true' }, body));
      return {
        render(text: string) {
          const nearEnd = log.scrollHeight - log.scrollTop - log.clientHeight < 60;
          body.replaceChildren(renderMarkdown(withoutPartialMarker(text), citeRenderer(STREAMING)));
          if (nearEnd) scrollToEnd();
        },
        remove() {
          bubble.remove();
        },
      };
    },

    addError(text: string, onRetry: (() => void) | undefined) {
      const box = h('div', { class: 'error-box' }, h('p', {}, text));
      if (onRetry) {
        const retry = h('button', { type: 'button', class: 'retry' }, 'Try again');
        retry.addEventListener('click', () => {
          box.remove();
          onRetry();
        });
        box.append(retry);
      }
      return append(box);
    },

    setBusy(busy: boolean) {
      log.setAttribute('aria-busy', String(busy));
      sendButton.disabled = busy;
    },

    autosizeInput() {
      // CSSOM writes are allowed under a strict style-src; only the style attribute is not.
      input.style.height = 'auto';
      input.style.height = `${Math.min(input.scrollHeight, 140)}px`;
    },
  };
}

const initialOf = (name: string) => name.trim().charAt(0).toUpperCase() || '?';
