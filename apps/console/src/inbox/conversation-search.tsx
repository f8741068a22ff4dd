import { useNavigate } from '@tanstack/react-router';
import { Search } from 'lucide-react';
import { type Ref, useEffect, useState } from 'react';

const DEBOUNCE_MS = 300;

/**
 * The list's search box. The query lives in the URL (`?q=`), so it survives opening a
 * conversation, a reload and the back button; typing updates it after a short pause. The server
 * searches message text, consented email addresses and conversation ids.
 */
export function ConversationSearch({ q, ref }: { q: string | undefined; ref?: Ref<HTMLInputElement> }) {
  const navigate = useNavigate();
  const [text, setText] = useState(q ?? '');

  // The URL changed elsewhere (a link, the back button): show what is searched.
  useEffect(() => setText(q ?? ''), [q]);

  useEffect(() => {
    const next = text.trim().slice(0, 200);
    if (next === (q ?? '')) return;
    const timer = setTimeout(
      () =>
        void navigate({
          to: '.',
          search: (prev: Record<string, unknown>) => ({ ...prev, q: next || undefined }),
          replace: true,
        }),
      DEBOUNCE_MS,
    );
    return () => clearTimeout(timer);
  }, [text, q, navigate]);

  return (
    <search className="conversation-search">
      <Search aria-hidden="true" className="conversation-search-icon" />
      <input
        ref={ref}
        type="search"
        className="input conversation-search-input"
        aria-label="Search conversations"
        placeholder="Search messages, email, id"
        maxLength={200}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && text) {
            e.stopPropagation();
            setText('');
          }
        }}
      />
    </search>
  );
}
