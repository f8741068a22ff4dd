import type { ConversationStatus, LiveStreamEvent, VisibleMessage } from '@confidant/contract';
import type { PanelView } from './panel-view.js';
import { systemLineText } from './system-lines.js';

/**
 * Puts the conversation's messages in the log exactly once, whichever way they arrive: typed
 * here and answered over the answer stream, loaded from the transcript after a reload, or
 * delivered live (operator replies, system lines, and echoes of the visitor's own messages and
 * the assistant's answers).
 *
 * Invariants:
 * - every message id is rendered at most once (`shown`);
 * - a live echo of a message typed in this tab is matched by its text while its id is not yet
 *   known (the echo can arrive before the answer stream's `done` names it);
 * - a live assistant message that arrives while an answer is streaming is held until `done`:
 *   if it is that answer, the streamed bubble already shows it; otherwise it is shown then.
 */
const TYPING_SHOWN_MS = 6_000;

export type ConversationLog = ReturnType<typeof createConversationLog>;

export function createConversationLog(view: PanelView, agentName: () => string) {
  const shown = new Set<string>();
  const unmatchedVisitorTexts: string[] = [];
  let held: VisibleMessage[] = [];
  let answering = false;
  let status: ConversationStatus = 'ai';
  let operatorName: string | undefined;
  let typingTimer: ReturnType<typeof setTimeout> | undefined;

  const stopTyping = () => {
    clearTimeout(typingTimer);
    view.setTyping(null);
  };

  function render(message: VisibleMessage) {
    if (shown.has(message.id)) return;
    shown.add(message.id);
    switch (message.role) {
      case 'visitor':
        view.addVisitor(message.text);
        break;
      case 'assistant':
        view.addAssistant(message.text, message.citations ?? []);
        break;
      case 'operator':
        stopTyping();
        view.addOperator(message.text, message.authorName);
        break;
      case 'system': {
        const line = systemLineText(message.systemEvent, message.authorName);
        if (line) view.addSystemLine(line);
        break;
      }
    }
  }

  function receive(message: VisibleMessage) {
    if (shown.has(message.id)) return;
    if (message.role === 'visitor') {
      const local = unmatchedVisitorTexts.indexOf(message.text);
      if (local !== -1) {
        unmatchedVisitorTexts.splice(local, 1);
        shown.add(message.id);
        return;
      }
    }
    if (message.role === 'assistant' && answering) {
      held.push(message);
      return;
    }
    render(message);
  }

  function setStatus(next: ConversationStatus, name: string | undefined) {
    status = next;
    operatorName = next === 'human' ? (name ?? operatorName) : undefined;
    // A person answers even when nobody is named (an integration replied): say so honestly.
    view.setResponder(next === 'human' ? (operatorName ?? 'our team') : undefined, agentName());
    if (next !== 'human' && next !== 'waiting') stopTyping();
  }

  return {
    status: () => status,

    /** The visitor typed this here and it is already in the log. */
    sentLocally(text: string) {
      unmatchedVisitorTexts.push(text);
    },

    /** An answer stream starts: hold live assistant messages until it ends. */
    answerStarted() {
      answering = true;
    },

    /**
     * The answer stream ended: its ids are known now; release what was held. `text` is the
     * visitor message of this turn: if its echo has not arrived, it is matched by id from now on.
     */
    answerFinished(
      text: string,
      result: { userMessageId?: string | undefined; assistantMessageId: string | null } | null,
    ) {
      answering = false;
      if (result?.userMessageId && !shown.has(result.userMessageId)) {
        shown.add(result.userMessageId);
        const local = unmatchedVisitorTexts.indexOf(text);
        if (local !== -1) unmatchedVisitorTexts.splice(local, 1);
      }
      if (result?.assistantMessageId) shown.add(result.assistantMessageId);
      const release = held;
      held = [];
      for (const message of release) render(message);
    },

    /** After a reload: everything the visitor may see, in order. */
    loadTranscript(messages: VisibleMessage[], currentStatus: ConversationStatus) {
      for (const message of messages) render(message);
      const lastJoin = [...messages]
        .reverse()
        .find((m) => m.systemEvent === 'claimed' || m.systemEvent === 'assigned');
      setStatus(currentStatus, lastJoin?.authorName);
    },

    live(event: LiveStreamEvent) {
      if (event.event === 'message') receive(event.data);
      else if (event.event === 'status') setStatus(event.data.status, event.data.operatorName);
      else if (event.event === 'typing') {
        view.setTyping(event.data.authorName ?? operatorName ?? 'Someone from our team');
        clearTimeout(typingTimer);
        typingTimer = setTimeout(stopTyping, TYPING_SHOWN_MS);
      }
    },
  };
}
