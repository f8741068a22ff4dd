import type { ConversationDetail } from '@confidant/contract';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Lock, MessageSquare, Send } from 'lucide-react';
import { type KeyboardEvent, type Ref, useId, useImperativeHandle, useRef, useState } from 'react';
import { conversationActions } from '../api/mutations';
import { cannedResponsesQuery, queryKeys } from '../api/queries';
import { Button } from '../ui/button';
import { useToasts } from '../ui/toasts';
import { CannedSuggestions, matchCanned } from './canned-suggestions';

type Mode = 'reply' | 'note';
export type ComposerHandle = { focus: (mode: Mode) => void };

/** The typing signal is sent at most this often while the operator types a reply. */
const TYPING_SIGNAL_MS = 2500;

/**
 * The reply box: a reply goes to the visitor (and takes the conversation over), a private note
 * stays with the team. Enter sends, Shift+Enter starts a new line, `/` opens canned responses.
 */
export function Composer({
  orgId,
  conversationId,
  ref,
}: {
  orgId: string;
  conversationId: string;
  ref?: Ref<ComposerHandle>;
}) {
  const queryClient = useQueryClient();
  const toasts = useToasts();
  const listId = useId();
  const textarea = useRef<HTMLTextAreaElement>(null);
  const lastTypingSignal = useRef(0);
  const [mode, setMode] = useState<Mode>('reply');
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);
  const [active, setActive] = useState(0);
  const [dismissed, setDismissed] = useState(false);
  const canned = useQuery(cannedResponsesQuery(orgId));
  const suggestions = dismissed ? [] : matchCanned(text, canned.data);

  useImperativeHandle(ref, () => ({
    focus: (next) => {
      setMode(next);
      requestAnimationFrame(() => textarea.current?.focus());
    },
  }));

  const change = (value: string) => {
    setText(value);
    setActive(0);
    setDismissed(false);
    const now = Date.now();
    if (mode === 'reply' && value.trim() && now - lastTypingSignal.current > TYPING_SIGNAL_MS) {
      lastTypingSignal.current = now;
      conversationActions.typing(orgId, conversationId).catch(() => {});
    }
  };

  const send = async () => {
    const body = text.trim();
    if (!body || sending) return;
    setSending(true);
    try {
      const message = await conversationActions.post(orgId, conversationId, body, mode === 'note');
      queryClient.setQueryData<ConversationDetail>(queryKeys.conversation(orgId, conversationId), (d) =>
        d && !d.messages.some((m) => m.id === message.id) ? { ...d, messages: [...d.messages, message] } : d,
      );
      setText('');
      lastTypingSignal.current = 0;
    } catch (error) {
      toasts.showError(mode === 'note' ? 'Could not add the note' : 'Could not send the reply', error);
    } finally {
      setSending(false);
      textarea.current?.focus();
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (suggestions.length > 0) {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        const step = event.key === 'ArrowDown' ? 1 : -1;
        setActive((i) => (i + step + suggestions.length) % suggestions.length);
        return;
      }
      if (event.key === 'Enter' || event.key === 'Tab') {
        event.preventDefault();
        setText(suggestions[active]!.text);
        return;
      }
      if (event.key === 'Escape') {
        event.preventDefault();
        setDismissed(true);
        return;
      }
    }
    if (event.key === 'Escape') textarea.current?.blur();
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void send();
    }
  };

  const isNote = mode === 'note';
  return (
    <form
      className={`composer ${isNote ? 'composer-note' : ''}`}
      onSubmit={(event) => {
        event.preventDefault();
        void send();
      }}
    >
      <fieldset className="composer-modes">
        <legend className="visually-hidden">Write a</legend>
        <Button
          size="sm"
          variant={isNote ? 'ghost' : 'secondary'}
          aria-pressed={!isNote}
          onClick={() => setMode('reply')}
        >
          <MessageSquare aria-hidden="true" />
          Reply to visitor
        </Button>
        <Button
          size="sm"
          variant={isNote ? 'secondary' : 'ghost'}
          aria-pressed={isNote}
          onClick={() => setMode('note')}
        >
          <Lock aria-hidden="true" />
          Private note
        </Button>
      </fieldset>
      {suggestions.length > 0 && (
        <CannedSuggestions
          id={listId}
          options={suggestions}
          active={active}
          onPick={(o) => setText(o.text)}
        />
      )}
      <div className="composer-row">
        <textarea
          ref={textarea}
          className="textarea composer-input"
          aria-label={isNote ? 'Note' : 'Reply'}
          aria-controls={suggestions.length > 0 ? listId : undefined}
          aria-activedescendant={suggestions.length > 0 ? `${listId}-${active}` : undefined}
          placeholder={isNote ? 'Only your team sees notes' : 'Write a reply… Type / for canned responses'}
          rows={2}
          value={text}
          onChange={(event) => change(event.target.value)}
          onKeyDown={onKeyDown}
        />
        <Button type="submit" variant="primary" disabled={sending || !text.trim()}>
          <Send aria-hidden="true" />
          {isNote ? 'Add note' : 'Send'}
        </Button>
      </div>
    </form>
  );
}
